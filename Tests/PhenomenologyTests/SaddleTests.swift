import _TestSupport
import Foundation
import Linalg
import PropertyBased
import Testing
@testable import Phenomenology

/// reddy-saddle: for L = N the origin is stationary (the gradient vanishes there, exactly in
/// the analytic form and within the difference bound numerically), it is a saddle (curvature
/// of opposite signs along (0,1,1) and (0,1,-1)), gradient flow started there stays there,
/// and from a perturbation of size s along a fixed random direction the escape time (first
/// time the loss falls to half of log N) grows as s shrinks. Independent of y: run for both maps.
@Suite struct SaddleTests {
    @Test func originIsAStationarySaddleForLEqualsN() async {
        await propertyCheck(count: 120, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let n = random.int(in: 2...512)
            let standard = try! ReddyModel(N: n, L: n)
            let alternative = try! ReddyModel(N: n, L: n, attention: randomAttention(random))
            var direction = SIMD3<Double>.zero
            repeat { direction = randomPoint(random, radius: 1).vector } while abs(direction[1] + direction[2]) < 0.2 * euclideanNorm(direction)
            direction /= euclideanNorm(direction)
            check(standard, direction, "default y, seed \(seed), N = L = \(n)")
            check(alternative, direction, "\(alternative.attention.name), seed \(seed), N = L = \(n)")
        }
    }

    func check<A>(_ model: ReddyModel<A>, _ direction: SIMD3<Double>, _ label: String) {
        let n = model.contextPairs
        let e = model.evaluate(at: .origin)
        #expect(e.gradient == .zero, "gradient at the origin \(e.gradient) (\(label))")
        for i in 0..<3 {
            let cd = centralDifference({ model.loss(at: $0) }, at: .origin, i, rounding: lossRounding(e, .origin, L: n))
            #expect(abs(cd.value) <= cd.bound, "central difference d/d\(ReddyCoordinates.standard[i]) = \(cd.value) (\(label))")
        }
        let up = SIMD3<Double>(0, 1, 1), down = SIMD3<Double>(0, 1, -1)
        let curvatureUp = (up * e.hessian.apply(up)).sum(), curvatureDown = (down * e.hessian.apply(down)).sum()
        #expect(curvatureUp < 0 && curvatureDown > 0, "not a saddle: curvatures \(curvatureUp), \(curvatureDown) (\(label))")

        var options = GradientFlow.Options()
        options.timeLimit = 1e6
        let still = try! model.gradientFlow(options)
        #expect(still.points.allSatisfy { $0 == .origin }, "flow from the origin moved to \(still.points.last!) (\(label))")

        options.timeLimit = 1e12
        options.stopLoss = 0.5 * log(Double(n))
        var previous = -Double.infinity
        for s in [1e-1, 1e-2, 1e-3, 1e-4] {
            options.initial = ReddyPoint(s * direction)
            let t = try! model.gradientFlow(options).firstTime(lossAtOrBelow: 0.5 * log(Double(n)))
            #expect(t != nil, "no escape from s = \(s) (\(label))")
            guard let t else { return }
            #expect(t > previous, "escape time \(t) from s = \(s) is not larger than \(previous) from 10 s (\(label))")
            previous = t
        }
    }
}
