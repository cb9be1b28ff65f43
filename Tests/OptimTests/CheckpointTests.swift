import Foundation
import Linalg
import Optim
import PropertyBased
import Testing

/// Checkpoint and resume: saving the parameters and the optimiser state mid-run (through JSON),
/// restoring them into a fresh optimiser and continuing gives bit for bit the run that was never
/// interrupted.
@Suite struct CheckpointTests {
    enum Kind: CaseIterable { case adam, adamW, heavyBall, nesterov }

    static func make(_ kind: Kind, _ n: Int) -> any Optimizer {
        switch kind {
        case .adam: Adam(parameterCount: n, beta1: 0.9, beta2: 0.98)
        case .adamW: Adam.adamW(parameterCount: n, weightDecay: 0.01)
        case .heavyBall: SGD(parameterCount: n, momentum: 0.9, weightDecay: 1e-3)
        case .nesterov: SGD(parameterCount: n, momentum: 0.8, nesterov: true)
        }
    }

    static func roundTrip<T: Codable>(_ value: T) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
    }

    @Test func resumeIsBitIdentical() async throws {
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let n = random.int(in: 1...64), total = random.int(in: 2...60), stop = random.int(in: 1...(total - 1))
            let kind = Kind.allCases[random.int(in: 0...3)]
            let schedule = Schedule.warmupCosineDecay(initialValue: 0, peakValue: 0.05, warmupSteps: 5, decaySteps: 5 + total, endValue: 1e-4)
            let gradients = (0..<total).map { _ in randomGradient(random, count: n) }
            let p0 = (0..<n).map { _ in random.gaussian() }

            func run(_ optimizer: inout any Optimizer, _ p: inout [Double], steps: Range<Int>) {
                for t in steps {
                    var g = gradients[t]
                    GradientClipping.clipByGlobalNorm(&g, maxNorm: 1)
                    optimizer.step(parameters: &p, gradient: g, learningRate: schedule(optimizer.state.stepCount))
                }
            }
            var straight = Self.make(kind, n), p = p0
            run(&straight, &p, steps: 0..<total)

            var first = Self.make(kind, n), q = p0
            run(&first, &q, steps: 0..<stop)
            let savedParameters = try! Self.roundTrip(q), savedState = try! Self.roundTrip(first.state)
            #expect(savedState == first.state && bitPatterns(savedParameters) == bitPatterns(q))
            var resumed = Self.make(kind, n), r = savedParameters
            try! resumed.restore(savedState)
            run(&resumed, &r, steps: stop..<total)

            #expect(bitPatterns(r) == bitPatterns(p), "seed \(seed) \(kind): resumed run differs")
            #expect(bitPatterns(resumed.state.firstMoment) == bitPatterns(straight.state.firstMoment), "seed \(seed) \(kind)")
            #expect(bitPatterns(resumed.state.secondMoment) == bitPatterns(straight.state.secondMoment), "seed \(seed) \(kind)")
            #expect(resumed.state.stepCount == total)
        }
    }

    /// JSON keeps every double exactly, including -0, subnormals and the extremes.
    @Test func stateJSONRoundTripIsExact() throws {
        let values = [0.0, -0.0, 0x1p-1030, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude, -1.0 / 3, 0.1, 1e-8]
        let state = OptimizerState(stepCount: 12345, firstMoment: values, secondMoment: values.reversed())
        let back = try Self.roundTrip(state)
        #expect(back.stepCount == 12345)
        #expect(bitPatterns(back.firstMoment) == bitPatterns(state.firstMoment))
        #expect(bitPatterns(back.secondMoment) == bitPatterns(state.secondMoment))
    }

    /// A state from another model or optimiser is refused with a reason.
    @Test func mismatchedStateRefused() {
        var adam = Adam(parameterCount: 3)
        #expect(throws: OptimizerError.self) { try adam.restore(OptimizerState(firstMoment: [0, 0], secondMoment: [0, 0])) }
        #expect(throws: OptimizerError.self) { try adam.restore(OptimizerState(firstMoment: [0, 0, 0])) }
        #expect(throws: OptimizerError.self) {
            try adam.restore(OptimizerState(stepCount: -1, firstMoment: [0, 0, 0], secondMoment: [0, 0, 0]))
        }
        var sgd = SGD(parameterCount: 3, momentum: 0.9)
        #expect(throws: OptimizerError.self) { try sgd.restore(OptimizerState(firstMoment: [])) }
        var plain = SGD(parameterCount: 3)
        #expect(throws: OptimizerError.self) { try plain.restore(OptimizerState(firstMoment: [0, 0, 0])) }
        #expect(adam.state == Adam(parameterCount: 3).state, "a refused state must not be applied")
    }
}
