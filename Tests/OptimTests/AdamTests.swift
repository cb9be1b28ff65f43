import Foundation
import Linalg
import Optim
import PropertyBased
import Testing

@Suite struct AdamTests {
    /// Two steps by hand with `b1 = b2 = 1/2`, `eps = 0`, `eta = 1`. Step 1: `mhat = g`,
    /// `vhat = g^2`, so every coordinate moves by `-sign(g)`, with every intermediate exact.
    /// Step 2 (`1 - b^2 = 3/4`): `mhat = (g1 + 2 g2) / 3`, `vhat = (g1^2 + 2 g2^2) / 3`, giving
    /// `mhat / sqrt(vhat) = 7/9, -7/9, 1/3, 1` for `(g1, g2) = (5, 1), (-5, -1), (5, -1), (3, 3)`;
    /// the non-dyadic results are within the one-step bound of the exact rationals.
    @Test func twoStepsByHand() {
        var adam = Adam(parameterCount: 4, beta1: 0.5, beta2: 0.5, epsilon: 0)
        var p: [Double] = [0, 1, -2, 0.5]
        adam.step(parameters: &p, gradient: [5, -5, 5, 3], learningRate: 1)
        #expect(p == [-1, 2, -3, -0.5])
        #expect(adam.state == OptimizerState(stepCount: 1, firstMoment: [2.5, -2.5, 2.5, 1.5], secondMoment: [12.5, 12.5, 12.5, 4.5]))
        let before = p, state = adam.state
        adam.step(parameters: &p, gradient: [1, -1, -1, 3], learningRate: 1)
        #expect(adam.state == OptimizerState(stepCount: 2, firstMoment: [1.75, -1.75, 0.75, 2.25], secondMoment: [6.75, 6.75, 6.75, 6.75]))
        let exact: [Double] = [-1 - 7.0 / 9, 2 + 7.0 / 9, -3 - 1.0 / 3, -1.5]  // each literal within u of the rational
        let bound = adamStepBound(beta1: 0.5, beta2: 0.5, epsilon: 0, weightDecay: 0, step: 2, learningRate: 1,
                                  parameters: before, firstMoment: state.firstMoment, secondMoment: state.secondMoment,
                                  gradient: [1, -1, -1, 3]).parameters
        for i in 0..<4 {
            #expect(abs(p[i] - exact[i]) <= bound[i] + unitRoundoff * abs(exact[i]), "entry \(i): \(p[i]) vs \(exact[i])")
        }
        #expect(p[3] == -1.5)
    }

    /// AdamW by hand, one step with `eps = 1`, `lambda = 1/2`, `eta = 1/4` (all dyadic, exact):
    /// `p = 2, g = 1`: `r = 1 / (1 + 1) = 1/2`, `u = 1/2 + 1 = 3/2`, `p = 2 - 3/8`;
    /// `p = -4, g = 3`: `r = 3 / (3 + 1)`, `u = 3/4 - 2`, `p = -4 + 5/16`.
    @Test func adamWStepByHand() {
        var adam = Adam.adamW(parameterCount: 2, beta1: 0.5, beta2: 0.5, epsilon: 1, weightDecay: 0.5)
        var p: [Double] = [2, -4]
        adam.step(parameters: &p, gradient: [1, 3], learningRate: 0.25)
        #expect(p == [1.625, -3.6875])
    }

    /// Bias correction: the first step moves each coordinate by `-eta g / (|g| + eps)`, whatever
    /// `b1`, `b2` (with `eps = 0`: by exactly `-eta sign(g)` up to rounding).
    @Test func firstStepIsSignStep() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let n = random.int(in: 1...40)
            let b1 = random.uniform(in: 0..<0.999), b2 = random.uniform(in: 0..<0.9999), eta = random.uniform(in: 1e-4..<1)
            let g = randomGradient(random, count: n).map { $0 == 0 ? 1 : $0 }
            let p0 = (0..<n).map { _ in random.gaussian() }
            var adam = Adam(parameterCount: n, beta1: b1, beta2: b2, epsilon: 0)
            var p = p0
            adam.step(parameters: &p, gradient: g, learningRate: eta)
            let bound = adamStepBound(beta1: b1, beta2: b2, epsilon: 0, weightDecay: 0, step: 1, learningRate: eta,
                                      parameters: p0, firstMoment: Array(repeating: 0, count: n),
                                      secondMoment: Array(repeating: 0, count: n), gradient: g).parameters
            for i in 0..<n {
                let exact = p0[i] - eta * (g[i] > 0 ? 1 : -1)
                // the exact value's own rounding to a double: u |exact|
                #expect(abs(p[i] - exact) <= bound[i] + unitRoundoff * abs(exact), "seed \(seed) entry \(i): \(p[i]) vs \(exact)")
            }
        }
    }

    /// AdamW with weight decay 0 is Adam, bit for bit, over whole runs.
    @Test func adamWWithoutDecayIsAdam() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let n = random.int(in: 1...50)
            let b1 = random.uniform(in: 0.5..<0.99), b2 = random.uniform(in: 0.9..<0.9999)
            var adam = Adam(parameterCount: n, beta1: b1, beta2: b2)
            var adamW = Adam.adamW(parameterCount: n, beta1: b1, beta2: b2, weightDecay: 0)
            var p = (0..<n).map { _ in random.gaussian() }, q = p
            for _ in 0..<random.int(in: 1...30) {
                let g = randomGradient(random, count: n), eta = random.uniform(in: 1e-4..<0.1)
                adam.step(parameters: &p, gradient: g, learningRate: eta)
                adamW.step(parameters: &q, gradient: g, learningRate: eta)
            }
            #expect(bitPatterns(p) == bitPatterns(q), "seed \(seed)")
            #expect(adam.state == adamW.state, "seed \(seed)")
        }
    }

    /// Decoupled decay: with zero gradients the moments stay 0 and AdamW shrinks the parameters
    /// geometrically, `p_T = (1 - eta lambda)^T p_0` (coupled decay would instead feed
    /// `lambda p` through the normalisation and move by about `eta` per step). Bound: T steps of
    /// `p <- p - eta (0 + lambda p)` each add at most 3 roundings relative (product, product,
    /// subtraction) and the power `(1 - eta lambda)^T` is evaluated with its own `pow` (2u) and
    /// subtraction (u): `gamma_{3T + 3}` relative.
    @Test func weightDecayIsDecoupled() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let n = random.int(in: 1...20), steps = random.int(in: 1...50)
            let eta = random.uniform(in: 1e-3..<0.1), lambda = random.uniform(in: 1e-3..<1)
            var adam = Adam.adamW(parameterCount: n, weightDecay: lambda)
            let p0 = (0..<n).map { _ in random.gaussian() }
            var p = p0
            for _ in 0..<steps { adam.step(parameters: &p, gradient: Array(repeating: 0, count: n), learningRate: eta) }
            let factor = pow(1 - eta * lambda, Double(steps))
            for i in 0..<n {
                #expect(abs(p[i] - factor * p0[i]) <= gamma(3 * steps + 3) * abs(factor * p0[i]), "seed \(seed) entry \(i)")
            }
            #expect(adam.state.firstMoment.allSatisfy { $0 == 0 } && adam.state.secondMoment.allSatisfy { $0 == 0 })
        }
    }

    /// The step counter drives the bias correction: `stepCount` counts calls, and an optimiser
    /// restored at step k with zero moments behaves differently from a fresh one.
    @Test func stepCountDrivesBiasCorrection() throws {
        var fresh = Adam(parameterCount: 1, epsilon: 0)
        var late = Adam(parameterCount: 1, epsilon: 0)
        try late.restore(OptimizerState(stepCount: 1000, firstMoment: [0], secondMoment: [0]))
        var p = [0.0], q = [0.0]
        fresh.step(parameters: &p, gradient: [1], learningRate: 1)
        late.step(parameters: &q, gradient: [1], learningRate: 1)
        #expect(fresh.state.stepCount == 1 && late.state.stepCount == 1001)
        // fresh: mhat = (1 - b1) / (1 - b1^1) = 1 and vhat = 1 exactly (the same doubles divided);
        // late: (0.1 / (1 - 0.9^1001)) / sqrt(0.001 / (1 - 0.999^1001)), about 0.1 / 0.0398 = 2.51.
        #expect(p == [-1])
        #expect(q[0] < -2.5 && q[0] > -2.52)
    }
}
