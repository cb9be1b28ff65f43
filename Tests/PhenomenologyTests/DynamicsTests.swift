import _TestSupport
import Foundation
import Linalg
import PropertyBased
import Testing
@testable import Phenomenology

/// The integrators agree with each other: rk8pd and msbdf (with the exact Hessian as
/// Jacobian) give the same cliff, and gradient descent with a small learning rate follows the flow.
@Suite struct DynamicsTests {
    @Test func rk8pdAndMsbdfAgree() async {
        await propertyCheck(count: 20, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let n = random.int(in: 2...64)
            let l = random.int(in: (n + 1)...(4 * n + 64))
            let model = try! ReddyModel(N: n, L: l)
            var options = GradientFlow.Options()
            let a = try! model.gradientFlow(options).cliffSummary()
            options.method = .msbdf
            options.relativeTolerance = 1e-9
            options.absoluteTolerance = 1e-9
            let b = try! model.gradientFlow(options).cliffSummary()
            // The cliff time is set by the slow plateau drift; msbdf's tolerance 1e-9 over the
            // plateau moves it by far less than 1e-4 relative.
            #expect(abs(a.cliffTime! - b.cliffTime!) <= 1e-4 * a.cliffTime!, "rk8pd t_c \(a.cliffTime!), msbdf \(b.cliffTime!) (seed \(seed))")
        }
    }

    @Test func smallStepDescentFollowsTheFlow() throws {
        let model = try ReddyModel(N: 8, L: 32)
        let flow = try model.gradientFlow().cliffSummary()
        let gd = try model.gradientDescent(learningRate: 0.01).cliffSummary()
        // GD with step lr is the explicit Euler method: first-order error in the time scale.
        #expect(abs(gd.cliffTime! - flow.cliffTime!) <= 0.01 * flow.cliffTime!, "GD t_c \(gd.cliffTime!), flow \(flow.cliffTime!)")
        #expect(gd.firstExceeds[2]! < gd.firstExceeds[1]! && gd.firstExceeds[1]! < gd.firstExceeds[0]!)
    }

    /// The Hermite interpolation reproduces a re-integration to an intermediate time, to the
    /// accuracy the measurements claim (1e-3 relative: the adaptive steps after the cliff are
    /// long, and the interpolation error there is about 1e-4 relative).
    @Test func interpolationMatchesIntegration() throws {
        let model = try ReddyModel(N: 8, L: 32)
        let t = try model.gradientFlow()
        let tc = t.cliffSummary().cliffTime!
        for target in [0.5 * tc, tc, 1.1 * tc] {
            var options = GradientFlow.Options()
            options.timeLimit = target
            options.stopLoss = 0
            let direct = try model.gradientFlow(options)
            #expect(direct.times.last! == target)
            let interpolated = t.loss(at: target)
            print("interpolation at t = \(target): relative error \(abs(interpolated - direct.losses.last!) / direct.losses.last!)")
            #expect(abs(interpolated - direct.losses.last!) <= 1e-3 * direct.losses.last!,
                    "t = \(target): interpolated \(interpolated), integrated \(direct.losses.last!)")
        }
    }
}
