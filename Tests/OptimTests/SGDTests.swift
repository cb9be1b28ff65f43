import Foundation
import Linalg
import Optim
import PropertyBased
import Testing

@Suite struct SGDTests {
    /// Heavy ball by hand (`mu = 1/2`, `lambda = 1/2`, `eta = 1/4`, `p = 2`; all dyadic, exact):
    /// step 1, `g = 1`: `gt = 1 + 1 = 2`, `v = 2`, `p = 2 - 1/2 = 3/2`;
    /// step 2, `g = -1`: `gt = -1 + 3/4 = -1/4`, `v = 1 - 1/4 = 3/4`, `p = 3/2 - 3/16 = 21/16`.
    @Test func heavyBallByHand() {
        var sgd = SGD(parameterCount: 1, momentum: 0.5, weightDecay: 0.5)
        var p = [2.0]
        sgd.step(parameters: &p, gradient: [1], learningRate: 0.25)
        #expect(p == [1.5] && sgd.state.firstMoment == [2])
        sgd.step(parameters: &p, gradient: [-1], learningRate: 0.25)
        #expect(p == [1.3125] && sgd.state.firstMoment == [0.75] && sgd.state.stepCount == 2)
    }

    /// Nesterov by hand, same numbers: step 1: `gt = 2`, `v = 2`, `u = 2 + 1 = 3`, `p = 2 - 3/4 = 5/4`;
    /// step 2: `gt = -1 + 5/8 = -3/8`, `v = 1 - 3/8 = 5/8`, `u = -3/8 + 5/16 = -1/16`, `p = 5/4 + 1/64`.
    @Test func nesterovByHand() {
        var sgd = SGD(parameterCount: 1, momentum: 0.5, nesterov: true, weightDecay: 0.5)
        var p = [2.0]
        sgd.step(parameters: &p, gradient: [1], learningRate: 0.25)
        #expect(p == [1.25] && sgd.state.firstMoment == [2])
        sgd.step(parameters: &p, gradient: [-1], learningRate: 0.25)
        #expect(p == [1.265625] && sgd.state.firstMoment == [0.625])
    }

    /// Without momentum and decay, SGD is `p <- p - eta g`, bit for bit, and keeps no buffer.
    @Test func plainSGDIsGradientDescent() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let n = random.int(in: 1...50)
            var sgd = SGD(parameterCount: n)
            var p = (0..<n).map { _ in random.gaussian() }
            for _ in 0..<random.int(in: 1...10) {
                let g = randomGradient(random, count: n), eta = random.uniform(in: 1e-3..<1)
                let expected = zip(p, g).map { $0 - eta * $1 }
                sgd.step(parameters: &p, gradient: g, learningRate: eta)
                #expect(bitPatterns(p) == bitPatterns(expected), "seed \(seed)")
            }
            #expect(sgd.state.firstMoment.isEmpty)
        }
    }

    /// Momentum with a constant gradient: the velocity is the geometric sum
    /// `v_t = (1 - mu^t) / (1 - mu) g`, so after t steps `p = p0 - eta g sum_{k=1..t} (1 - mu^k)/(1 - mu)`.
    /// Bound: the recurrences add 2 roundings per step to `v` and 2 to `p` (relative to the
    /// magnitudes, all of one sign here): `gamma_{4t}` on `eta |g| sum_k k` plus `gamma_{2t} |p0|`.
    @Test func constantGradientGivesGeometricVelocity() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let mu = random.uniform(in: 0.01..<0.99), eta = random.uniform(in: 1e-3..<0.1), g = random.gaussian()
            let steps = random.int(in: 1...60), p0 = random.gaussian()
            var sgd = SGD(parameterCount: 1, momentum: mu)
            var p = [p0]
            for _ in 0..<steps { sgd.step(parameters: &p, gradient: [g], learningRate: eta) }
            let total = (1...steps).reduce(0.0) { $0 + (1 - pow(mu, Double($1))) / (1 - mu) }
            let exact = p0 - eta * g * total
            let bound = gamma(4 * steps + 8) * eta * abs(g) * Double(steps * (steps + 1) / 2) + gamma(2 * steps + 1) * abs(p0)
            #expect(abs(p[0] - exact) <= bound, "seed \(seed): \(p[0]) vs \(exact)")
        }
    }
}
