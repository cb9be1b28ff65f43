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
    /// In floating point the computed `Gamma^ = fl(A^{-1})` is not exactly `Gamma_0`: since
    /// `M = A Sigma = Sigma A`, `grad f(Gamma^) = 2 Sigma R Sigma` exactly, with `R = Gamma^ A - I`
    /// and `A` exact. On `RunningError` scalars (Sigma, sigma^2 and `Gamma^` as exact data) the
    /// residual comes out as `R^ +- e_R` (the rounding of `A` itself included) and the gradient
    /// as `g^ +- e_g`, so entrywise
    ///
    ///     |g^| <= 1.01 (2 |Sigma| (|R^| + e_R) |Sigma| + e_g).
    ///
    /// The signal is the gradient at the classic slip `(Sigma + (tr Sigma + sigma^2)/n I)^{-1}` (n for n+1).
    func checkGaussianOptimum(_ problem: GaussianOptimum<Double>, exact: Bool) throws -> CheckResult {
        let d = problem.covariance.rows
        if exact {
            let exactProblem = problem.roundedExact
            return exactComparison(exactProblem.gradient(try exactProblem.optimum()), .zeros(d, d))
        }
        let gammaHat = try problem.optimumDouble()
        let running = GaussianOptimum<RunningError>(covariance: problem.covariance.map { RunningError(exact: $0) },
                                                    contextCount: problem.contextCount,
                                                    noiseVariance: RunningError(exact: problem.noiseVariance))
        let gamma = gammaHat.map { RunningError(exact: $0) }
        let residual = gamma * running.optimumInverse - Matrix<RunningError>.identity(d)
        let sigma = majorant(problem.covariance)
        let residualMagnitude = residual.map { Majorant(magnitude: Swift.abs($0.value) + $0.error) }
        let exactGradient: Matrix<Majorant> = Majorant(2) * (sigma * residualMagnitude * sigma)
        let evaluated = running.gradient(gamma)
        let bound = Matrix<Double>(rows: d, cols: d, elements: zip(exactGradient.elements, evaluated.elements).map {
            1.01 * ($0.value + $1.error)
        })
        let shift = (problem.covariance.trace + problem.noiseVariance) / Double(problem.contextCount)
        let slip = try (problem.covariance + shift * Matrix<Double>.identity(d)).inverse()
        return boundedComparison(evaluated.map(\.value), .zeros(d, d), bound: bound,
                                 signal: problem.gradient(slip).maxAbs)
    }
}
