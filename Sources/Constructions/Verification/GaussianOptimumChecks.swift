import Linalg

extension GaussianOptimum where S == Double {
    /// A random SPD covariance `A A^T / d + I/10`, `d` from `sizes`, `n` from `sizes.contextCount`,
    /// noise variance 0 or `U(0, 1)`.
    public static func random(_ random: RandomSource, sizes: SizeRanges) -> GaussianOptimum<Double> {
        let d = random.int(in: sizes.inputDimension)
        let a = random.gaussianMatrix(d, d)
        let sigma = (1 / Double(d)) * (a * a.transposed) + 0.1 * Matrix.identity(d)
        return GaussianOptimum(covariance: sigma, contextCount: random.int(in: sizes.contextCount),
                               noiseVariance: random.uniform() < 0.5 ? 0 : random.uniform())
    }

    /// The same problem rounded to multiples of 1/16 plus `I/10` (still SPD), in exact rationals.
    public var roundedExact: GaussianOptimum<Rational> {
        let sigma = covariance.map(roundedToSixteenths) + Rational(1, 10) * Matrix<Rational>.identity(covariance.rows)
        return GaussianOptimum<Rational>(covariance: sigma, contextCount: contextCount, noiseVariance: roundedToSixteenths(noiseVariance))
    }
}

extension Verifier {
    /// `grad f(Gamma_0) = 0`. Exactly: the Gauss-Jordan inverse in rationals gives a zero gradient.
    /// In floating point the computed `Gamma^ = fl(A^{-1})` has residual `R = Gamma^ A - I`, and
    /// since `M = A Sigma`, `grad f(Gamma^) = 2 Sigma R Sigma` exactly. With `R^` the computed
    /// residual, `|R| <= |R^| + gamma_{2d+5} (|Gamma^| |A| + I)` (rounding of the residual and of
    /// `A` itself), so entrywise
    ///
    ///     |fl(grad f(Gamma^))| <= 2 |Sigma| |R| |Sigma| + gamma_{3d+5} majorant(grad f)(|Sigma|, |Gamma^|).
    ///
    /// The signal is the gradient at the classic slip `(Sigma + (tr Sigma + sigma^2)/n I)^{-1}` (n for n+1).
    func checkGaussianOptimum(_ problem: GaussianOptimum<Double>, exact: Bool) throws -> CheckResult {
        let d = problem.covariance.rows
        if exact {
            let exactProblem = problem.roundedExact
            return exactComparison(exactProblem.gradient(try exactProblem.optimum()), .zeros(d, d))
        }
        let gammaHat = try problem.optimumDouble()
        let a = problem.optimumInverse
        let residual: Matrix<Double> = gammaHat * a - Matrix<Double>.identity(d)
        let product: Matrix<Majorant> = majorant(gammaHat) * majorant(a) + Matrix<Majorant>.identity(d)
        let residualBound: Matrix<Majorant> = majorant(residual) + Majorant(magnitude: gamma(2 * d + 5)) * product
        let sigma = majorant(problem.covariance)
        let propagated: Matrix<Majorant> = Majorant(2) * (sigma * residualBound * sigma)
        let majorantProblem = GaussianOptimum<Majorant>(covariance: sigma, contextCount: problem.contextCount,
                                                        noiseVariance: Majorant(magnitude: problem.noiseVariance))
        let evaluation: Matrix<Majorant> = majorantProblem.gradient(majorant(gammaHat))
        let bound: Matrix<Majorant> = propagated + Majorant(magnitude: gamma(3 * d + 5)) * evaluation
        let shift = (problem.covariance.trace + problem.noiseVariance) / Double(problem.contextCount)
        let slip = try (problem.covariance + shift * Matrix<Double>.identity(d)).inverse()
        return boundedComparison(problem.gradient(gammaHat), .zeros(d, d), bound: bound.map(\.value),
                                 signal: problem.gradient(slip).maxAbs)
    }
}
