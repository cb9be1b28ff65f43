@preconcurrency import CGSL
/// The plateau-and-cliff measurements of a trajectory.
///
/// - cliff time `t_c`: where the loss slope `s = -dLoss/dt` is largest (the steepest drop),
///   located between samples at the zero of the interpolated `ds/dt`;
/// - plateau length `t_on`: where the tangent to the loss curve at the cliff,
///   `Loss(t_c) - s_max (t - t_c)`, crosses the initial loss `Loss(0)` (the classic
///   onset-time construction), i.e. `t_on = t_c - (Loss(0) - Loss(t_c)) / s_max`, at least 0;
/// - cliff end `t_off`: where that tangent reaches 0, the infimum of the loss:
///   `t_off = t_c + Loss(t_c) / s_max` (at most the end of the trajectory);
/// - `lossBefore = Loss(t_on)`, `lossAfter = Loss(t_off)`: the loss drop across the cliff is
///   their difference; `meanPlateauSlope = (Loss(0) - Loss(t_on)) / t_on`;
/// - `firstExceeds[k]`: the first time `|theta_k|` exceeds `threshold` (nil: never).
///
/// A cliff is an interior maximum of the slope: when the slope is largest at the first sample
/// (the run starts past the cliff), at the last one (it ended before the cliff, e.g. at
/// `t_max`), or zero throughout (a stationary start), there is no cliff: the cliff fields are
/// nil and `noCliffReason` says why.
public struct CliffSummary: Sendable {
    public var cliffTime: Double?
    public var maxSlope: Double
    public var plateauLength: Double?
    public var cliffEnd: Double?
    public var initialLoss: Double
    public var lossBefore: Double?
    public var lossAfter: Double?
    public var meanPlateauSlope: Double?
    public var threshold: Double
    /// `(beta, alpha, xi)` first-exceed times.
    public var firstExceeds: [Double?]
    public var finalTime: Double
    public var finalLoss: Double
    public var finalPoint: ReddyPoint
    /// Why there is no cliff (nil when there is one).
    public var noCliffReason: String?

    /// `maxSlope / meanPlateauSlope` (nil without a plateau or with a flat one).
    public var cliffSharpness: Double? {
        guard let m = meanPlateauSlope, m > 0 else { return nil }
        return maxSlope / m
    }

    /// The default threshold for `firstExceeds`.
    public static let defaultThreshold = 0.5
}

extension GradientFlow.Trajectory {
    /// The plateau, cliff and first-exceed measurements (see `CliffSummary`).
    public func cliffSummary(threshold: Double = CliffSummary.defaultThreshold) -> CliffSummary {
        let first = (0..<3).map { firstExceeds($0, threshold: threshold) }
        var summary = CliffSummary(cliffTime: nil, maxSlope: 0, plateauLength: nil, cliffEnd: nil,
                                   initialLoss: losses[0], lossBefore: nil, lossAfter: nil, meanPlateauSlope: nil,
                                   threshold: threshold, firstExceeds: first, finalTime: times.last!,
                                   finalLoss: losses.last!, finalPoint: points.last!, noCliffReason: nil)
        guard let i = slopes.indices.max(by: { slopes[$0] < slopes[$1] }), slopes[i] > 0 else {
            summary.noCliffReason = "the gradient vanishes along the trajectory (a stationary start)"
            return summary
        }
        guard times.last! > times[0] else {
            switch stop {
            case .lossTarget:
                summary.noCliffReason = "the run has no duration: the loss starts at or below its stop level, past the cliff"
            case .timeLimit:
                summary.noCliffReason = "the run has no duration: one step is longer than the time limit, so none was taken; take shorter steps or raise the time limit"
            default:
                summary.noCliffReason = "the run has no duration: it stopped (\(stop.rawValue)) before its first step"
            }
            return summary
        }
        guard i > 0 && i < slopes.count - 1 else {
            let fell = losses.last! < 0.5 * losses[0]
            summary.noCliffReason = !fell
                ? "no cliff within the run (t = 0...\(times.last!)): the loss only fell from \(losses[0]) to \(losses.last!); raise the time limit"
                : i == 0 ? "the loss falls fastest at the start: the run begins past the cliff"
                : "the loss still falls faster and faster at the end (t = \(times.last!)): raise the time limit"
            return summary
        }
        guard let (tc, smax) = steepest(), smax > 0 else { return summary }
        let lossAtCliff = loss(at: tc)
        let onset = max(0, tc - (losses[0] - lossAtCliff) / smax)
        let end = min(times.last!, tc + lossAtCliff / smax)
        summary.cliffTime = tc
        summary.maxSlope = smax
        summary.plateauLength = onset
        summary.cliffEnd = end
        summary.lossBefore = loss(at: onset)
        summary.lossAfter = loss(at: end)
        if onset > 0 { summary.meanPlateauSlope = (losses[0] - summary.lossBefore!) / onset }
        return summary
    }

    /// The time and value of the largest slope: the best sample, refined to the maximum of
    /// the cubic Hermite interpolant of `s` on the neighbouring intervals (its derivative is a
    /// quadratic, solved exactly).
    func steepest() -> (time: Double, slope: Double)? {
        guard let i = slopes.indices.max(by: { slopes[$0] < slopes[$1] }) else { return nil }
        var best = (time: times[i], slope: slopes[i])
        for j in [i - 1, i] where j >= 0 && j + 1 < times.count {
            let h = times[j + 1] - times[j]
            guard h > 0 else { continue }
            let (v0, v1, d0, d1) = (slopes[j], slopes[j + 1], slopeRates[j] * h, slopeRates[j + 1] * h)
            // p(x) = (2x^3 - 3x^2 + 1) v0 + (x^3 - 2x^2 + x) d0 + (-2x^3 + 3x^2) v1 + (x^3 - x^2) d1
            // p'(x) = A x^2 + B x + C
            let a = 6 * v0 + 3 * d0 - 6 * v1 + 3 * d1
            let b = -6 * v0 - 4 * d0 + 6 * v1 - 2 * d1
            let c = d0
            for x in quadraticRoots(a, b, c) where x > 0 && x < 1 {
                let t = times[j] + x * h
                let s = slope(at: t)
                if s > best.slope { best = (t, s) }
            }
        }
        return best
    }
}

/// Real roots of `a x^2 + b x + c` by GSL's `gsl_poly_solve_quadratic` (the cancellation-free
/// form; linear when `a == 0`, none when `a == b == 0`).
func quadraticRoots(_ a: Double, _ b: Double, _ c: Double) -> [Double] {
    var x0 = 0.0, x1 = 0.0
    let count = gsl_poly_solve_quadratic(a, b, c, &x0, &x1)
    return Array([x0, x1].prefix(Int(count)))
}
