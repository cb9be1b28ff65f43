import Foundation
import Linalg
import Optim
import PropertyBased
import Testing

@Suite struct ScheduleTests {
    static func randomWarmupCosine(_ random: RandomSource) -> (Schedule, initial: Double, peak: Double, warmup: Int, decay: Int, end: Double) {
        let peak = pow(10, random.uniform(in: -5..<0))
        let initial = random.int(in: 0...1) == 0 ? 0 : peak * random.uniform(in: 0..<0.5)
        let end = random.int(in: 0...1) == 0 ? 0 : peak * random.uniform(in: 0..<0.5)
        let warmup = random.int(in: 0...300), decay = warmup + random.int(in: 1...2000)
        return (.warmupCosineDecay(initialValue: initial, peakValue: peak, warmupSteps: warmup, decaySteps: decay, endValue: end),
                initial, peak, warmup, decay, end)
    }

    @Test func constant() {
        let schedule = Schedule.constant(value: 1e-3)
        #expect([0, 1, 1000, 1_000_000].map { schedule(Int($0)) } == [1e-3, 1e-3, 1e-3, 1e-3])
    }

    /// The breakpoints are hit exactly: `lr(0) = init`, `lr(W) = peak`, `lr(t) = end` for `t >= D`
    /// (and `lr(0) = peak` without warm-up).
    @Test func breakpointsExact() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            let (schedule, initial, peak, warmup, decay, end) = Self.randomWarmupCosine(RandomSource(seed: seed))
            #expect(schedule(0) == (warmup == 0 ? peak : initial), "seed \(seed)")
            #expect(schedule(warmup) == peak, "seed \(seed)")
            #expect(schedule(decay) == end && schedule(decay + 1) == end && schedule(10 * decay) == end, "seed \(seed)")
        }
    }

    /// Increasing during the warm-up (when `init < peak`), decreasing during the decay (when
    /// `end < peak`), strictly: consecutive values differ by far more than their rounding for
    /// these lengths (at least `(peak - a) pi^2 / (4 L^2)` against `scheduleBound`).
    @Test func monotonePieces() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            let (schedule, initial, peak, warmup, decay, end) = Self.randomWarmupCosine(RandomSource(seed: seed))
            let values = (0...decay).map { schedule($0) }
            for t in 0..<warmup where initial < peak {
                #expect(values[t] < values[t + 1], "seed \(seed): warm-up not increasing at \(t)")
            }
            for t in warmup..<decay where end < peak {
                #expect(values[t] > values[t + 1], "seed \(seed): decay not decreasing at \(t)")
            }
            #expect(values.allSatisfy { $0 >= min(initial, end) && $0 <= peak }, "seed \(seed)")
        }
    }

    /// Halfway through the decay the cosine factor is 1/2: `lr = (peak + end) / 2`, and the
    /// warm-up's midpoint is `(init + peak) / 2`, both within the schedule's rounding bound.
    @Test func midpoints() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let initial = random.uniform(in: 0..<1), peak = random.uniform(in: 1..<2), end = random.uniform(in: 0..<1)
            let warmup = 2 * random.int(in: 0...100), decay = warmup + 2 * random.int(in: 1...500)
            let schedule = Schedule.warmupCosineDecay(initialValue: initial, peakValue: peak, warmupSteps: warmup,
                                                      decaySteps: decay, endValue: end)
            let middle = warmup + (decay - warmup) / 2
            #expect(abs(schedule(middle) - (peak + end) / 2) <= scheduleBound(schedule, step: middle) + unitRoundoff * (peak + end))
            if warmup > 0 {
                #expect(abs(schedule(warmup / 2) - (initial + peak) / 2)
                        <= scheduleBound(schedule, step: warmup / 2) + unitRoundoff * (initial + peak))
            }
        }
    }

    @Test func validation() throws {
        #expect(throws: ScheduleError.self) {
            try Schedule.warmupCosineDecay(initialValue: 0, peakValue: 1, warmupSteps: 10, decaySteps: 10, endValue: 0).validate()
        }
        #expect(throws: ScheduleError.self) {
            try Schedule.warmupCosineDecay(initialValue: 0, peakValue: 1, warmupSteps: -1, decaySteps: 10, endValue: 0).validate()
        }
        #expect(throws: ScheduleError.self) { try Schedule.constant(value: .nan).validate() }
        try Schedule.warmupCosineDecay(initialValue: 0, peakValue: 1, warmupSteps: 0, decaySteps: 1, endValue: 0).validate()
    }

    /// Schedules are part of a run's configuration: they survive JSON exactly.
    @Test func codableRoundTrip() throws {
        let schedules: [Schedule] = [.constant(value: 1e-3),
                                     .warmupCosineDecay(initialValue: 0, peakValue: 3e-3, warmupSteps: 500, decaySteps: 50_000, endValue: 1e-5)]
        let data = try JSONEncoder().encode(schedules)
        #expect(try JSONDecoder().decode([Schedule].self, from: data) == schedules)
    }
}
