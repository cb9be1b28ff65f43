#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A learning-rate schedule: the rate for the update that follows `step` updates (optax's
/// convention: the first update uses `learningRate(atStep: 0)`; pass the optimiser's
/// `state.stepCount` before calling `step`).
///
/// - `constant(value:)`: `lr(t) = value`.
/// - `warmupCosineDecay(...)`: optax's `warmup_cosine_decay_schedule(init_value, peak_value,
///   warmup_steps, decay_steps, end_value)` (exponent 1). With `W = warmupSteps` and the total
///   length `D = decaySteps` (warm-up included, `0 <= W < D`):
///
///       lr(t) = init + (peak - init) t / W                                  for t < W
///       lr(t) = end + (peak - end) (1 + cos(pi min(t - W, D - W) / (D - W))) / 2   for t >= W
///
///   so `lr(0) = init`, `lr(W) = peak`, `lr(t) = end` for `t >= D`, linear and then monotone in
///   between. Both pieces are evaluated as interpolations `(1 - f) a + f b` (`f = t / W`, resp.
///   `c a + (1 - c) b` with `c` the cosine factor), which hit `init`, `peak` and `end` exactly at
///   the breakpoints; optax's forms (`(init - peak)(1 - f) + peak`, `peak ((1 - alpha) c + alpha)`
///   with `alpha = end / peak`) are the same functions up to rounding, except that optax returns
///   0 throughout the decay when `peak = 0`.
public enum Schedule: Codable, Equatable, Sendable {
    case constant(value: Double)
    case warmupCosineDecay(initialValue: Double, peakValue: Double, warmupSteps: Int, decaySteps: Int, endValue: Double)

    /// Throws unless the values are finite and `0 <= warmupSteps < decaySteps` (for a schedule read from a file).
    public func validate() throws(ScheduleError) {
        switch self {
        case .constant(let value):
            guard value.isFinite else { throw ScheduleError("constant learning rate \(value) is not finite") }
        case let .warmupCosineDecay(initial, peak, warmup, decay, end):
            guard initial.isFinite, peak.isFinite, end.isFinite else {
                throw ScheduleError("warm-up cosine decay values (\(initial), \(peak), \(end)) must be finite")
            }
            guard warmup >= 0, decay > warmup else {
                throw ScheduleError("warm-up cosine decay needs 0 <= warmupSteps < decaySteps (the total length), got "
                    + "warmupSteps \(warmup), decaySteps \(decay)")
            }
        }
    }

    /// The learning rate for the update after `step` (>= 0) updates.
    public func learningRate(atStep step: Int) -> Double {
        precondition(step >= 0, "schedule step must be non-negative")
        switch self {
        case .constant(let value):
            return value
        case let .warmupCosineDecay(initial, peak, warmup, decay, end):
            precondition(warmup >= 0 && decay > warmup, "warm-up cosine decay needs 0 <= warmupSteps < decaySteps")
            if step < warmup {
                let f = Double(step) / Double(warmup)
                return (1 - f) * initial + f * peak
            }
            let length = Double(decay - warmup)
            let c = (1 + cos(Double.pi * Double(min(step - warmup, decay - warmup)) / length)) / 2
            return c * peak + (1 - c) * end
        }
    }

    /// `learningRate(atStep:)`.
    public func callAsFunction(_ step: Int) -> Double { learningRate(atStep: step) }
}

/// A schedule whose parameters cannot define one.
public struct ScheduleError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
