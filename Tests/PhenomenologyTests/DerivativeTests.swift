import _TestSupport
import Linalg
import PropertyBased
import Testing
@testable import Phenomenology

/// The hand-derived gradient and Hessian agree with central differences of the loss and of
/// the gradient, within the difference's truncation + rounding bound, for the default y(beta),
/// a random monotone alternative, and y given directly.
@Suite struct DerivativeTests {
    @Test func gradientAndHessianMatchCentralDifferences() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let (n, l) = randomSizes(random)
            let x = randomPoint(random)
            let direct = try! ReddyModel(N: n, L: l, attention: DirectAttention())
            let xDirect = ReddyPoint(beta: random.uniform(in: 0.01..<1), alpha: x.alpha, xi: x.xi)
            try! forBothAttentions(random, N: n, L: l) { name, evaluate in
                check(evaluate, at: x, L: l, "\(name), seed \(seed), N \(n), L \(l)")
            }
            check({ direct.evaluate(at: $0) }, at: xDirect, L: l, "direct y, seed \(seed), N \(n), L \(l)")
        }
    }

    func check(_ evaluate: (ReddyPoint) -> ReddyEvaluation, at x: ReddyPoint, L: Int, _ label: String) {
        let e = evaluate(x)
        for i in 0..<3 {
            let cd = centralDifference({ evaluate($0).loss }, at: x, i, rounding: lossRounding(e, x, L: L))
            #expect(abs(cd.value - e.gradient[i]) <= cd.bound,
                    "dL/d\(ReddyCoordinates.standard[i]) at \(x) (\(label)): analytic \(e.gradient[i]), central difference \(cd.value), bound \(cd.bound)")
            for j in 0..<3 {
                let cdH = centralDifference({ evaluate($0).gradient[i] }, at: x, j, rounding: gradientRounding(e, x, i, L: L))
                #expect(abs(cdH.value - e.hessian[i, j]) <= cdH.bound,
                        "H[\(i)][\(j)] at \(x) (\(label)): analytic \(e.hessian[i, j]), central difference \(cdH.value), bound \(cdH.bound)")
            }
        }
    }

    /// The check has teeth: a Hessian entry off by 1% of its size, or a gradient with y'
    /// dropped from d/dbeta, is caught at a generic point.
    @Test func centralDifferencesCatchAWrongDerivative() throws {
        let model = try ReddyModel(N: 8, L: 32)
        let x = ReddyPoint(beta: 0.7, alpha: 1.3, xi: 2.1)
        let e = model.evaluate(at: x)
        let cd = centralDifference({ model.loss(at: $0) }, at: x, 0, rounding: lossRounding(e, x, L: 32))
        let wrong = e.gradient[0] / model.attention(x.beta).dy * 1  // d/dbeta without the factor y'
        #expect(abs(cd.value - wrong) > cd.bound)
        let cdH = centralDifference({ model.evaluate(at: $0).gradient[1] }, at: x, 2, rounding: gradientRounding(e, x, 1, L: 32))
        #expect(abs(cdH.value - e.hessian[1, 2] * 1.01) > cdH.bound)
    }
}
