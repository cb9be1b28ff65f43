import _TestSupport
import Constructions
import Linalg
import PropertyBased
import Testing

/// `gaussian-optimum`: f(Gamma) = E (yhat - y)^2 for x ~ N(0, Sigma), w ~ N(0, I), and its
/// stationary point Gamma_0 = ((n+1)/n Sigma + (tr Sigma + sigma^2)/n I)^{-1}.
@Suite struct GaussianOptimumTests {
    @Test func doubleWithinDerivedBound() async { await checkTheorem(.gaussianOptimum, exact: false, count: floatingPointInstances) }
    @Test func exactRational() async { await checkTheorem(.gaussianOptimum, exact: true, count: exactInstances) }

    /// Sigma = I: Gamma_0 = n/(n+d+1) I (one GD step with eta = n/(n+d+1)), and the optimal
    /// error equals Zhang-Frei-Bartlett's d(d+1)/(n+d+1) — computed from f, compared exactly.
    @Test func isotropicCase() async {
        await propertyCheck(count: 100, input: Gen.int(in: 1...16), Gen.int(in: 1...64)) { d, n in
            let problem = GaussianOptimum<Rational>(covariance: .identity(d), contextCount: n)
            let gamma0 = try! problem.optimum()
            #expect(gamma0 == Rational(n, n + d + 1) * Matrix<Rational>.identity(d))
            #expect(problem.expectedLoss(gamma0) == isotropicOptimalError(dimension: d, contextCount: n))
        }
    }

    /// f is quadratic, so a central difference is its exact derivative: the closed-form gradient
    /// matches it entry by entry in rationals; and Gamma_0 is a minimum: f(Gamma_0 + D) >= f(Gamma_0).
    @Test func gradientAndMinimality() async {
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let d = random.int(in: 1...5)
            let a = random.rationalMatrix(d, d)
            let sigma = Matrix.naiveProduct(a, a.transposed) + Rational(1, 10) * Matrix<Rational>.identity(d)
            let problem = GaussianOptimum(covariance: sigma, contextCount: random.int(in: 1...20), noiseVariance: random.rational(maxNumerator: 3).magnitude)
            let gamma = random.rationalMatrix(d, d)
            let g = problem.gradient(gamma)
            let h = Rational(1, 3)
            for i in 0..<d { for j in 0..<d {
                var up = gamma, down = gamma
                up[i, j] = up[i, j] + h
                down[i, j] = down[i, j] - h
                #expect((problem.expectedLoss(up) - problem.expectedLoss(down)) / (Rational(2) * h) == g[i, j])
            } }
            let gamma0 = try! problem.optimum()
            #expect(problem.gradient(gamma0) == .zeros(d, d))
            #expect(problem.expectedLoss(gamma0 + random.rationalMatrix(d, d)) >= problem.expectedLoss(gamma0))
        }
    }

    /// The closed form f(Gamma) against a Monte Carlo estimate, for Gamma_0 and an arbitrary
    /// Gamma, with and without noise: within 4 standard errors.
    @Test(arguments: [0.0, 0.5])
    func monteCarloAgrees(noise: Double) throws {
        let random = RandomSource(seed: 11)
        let a = random.gaussianMatrix(3, 3)
        let sigma = (1.0 / 3) * (a * a.transposed) + 0.2 * Matrix<Double>.identity(3)
        let problem = GaussianOptimum(covariance: sigma, contextCount: 5, noiseVariance: noise)
        for gamma in [try problem.optimumDouble(), random.gaussianMatrix(3, 3, sd: 0.3)] {
            let estimate = try problem.monteCarloLoss(gamma, samples: 40_000, random: random)
            let exact = problem.expectedLoss(gamma)
            #expect(abs(estimate.mean - exact) <= 4 * estimate.standardError, "MC \(estimate.mean) +- \(estimate.standardError), exact \(exact)")
        }
    }

    /// The classic slip — n in place of n+1 — is not stationary (exact).
    @Test func slipIsNotStationary() {
        let sigma = Matrix<Rational>([[Rational(2), Rational(1)], [Rational(1), Rational(3)]])
        let problem = GaussianOptimum(covariance: sigma, contextCount: 4)
        let slip = try! (sigma + (sigma.trace / Rational(4)) * Matrix<Rational>.identity(2)).exactInverse()
        #expect(problem.gradient(slip) != .zeros(2, 2))
    }
}
