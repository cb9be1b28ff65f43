import Linalg

/// The optimal preconditioner of a one-layer LSA for Gaussian data (Ahn et al. 2023, Thm 1).
///
/// Data: `x ~ N(0, Sigma)`, `w ~ N(0, I_d)`, `y = w^T x + eps`, `eps ~ N(0, sigma^2)`; `n`
/// context examples; predictor `yhat = x_q^T Gamma (1/n) sum_i y_i x_i`. With
/// `S = (1/n) sum_i x_i x_i^T`, Isserlis' theorem gives `E[S A S] = Sigma A Sigma +
/// (Sigma A^T Sigma + tr(A Sigma) Sigma)/n`, hence the expected squared error
///
///     f(Gamma) = tr(Gamma^T Sigma Gamma M) - 2 tr(Gamma Sigma^2) + tr(Sigma) + sigma^2,
///     M = (n+1)/n Sigma^2 + (tr(Sigma) + sigma^2)/n Sigma,
///
/// with gradient `grad f = 2 Sigma Gamma M - 2 Sigma^2` (Sigma, M symmetric), which vanishes at
///
///     Gamma_0 = ((n+1)/n Sigma + (tr(Sigma) + sigma^2)/n I)^{-1}.
public struct GaussianOptimum<S: FieldScalar>: Sendable {
    public var covariance: Matrix<S>
    public var contextCount: Int
    public var noiseVariance: S

    public init(covariance: Matrix<S>, contextCount: Int, noiseVariance: S = .zero) {
        precondition(covariance.isSquare, "Sigma must be square")
        precondition(contextCount >= 1, "n must be at least 1")
        self.covariance = covariance
        self.contextCount = contextCount
        self.noiseVariance = noiseVariance
    }

    private var n: S { S(contextCount) }
    private var sigmaSquared: Matrix<S> { covariance * covariance }

    /// `M = (n+1)/n Sigma^2 + (tr(Sigma) + sigma^2)/n Sigma` (= `E[S Sigma-weighted]` above).
    public var secondMoment: Matrix<S> {
        (S(contextCount + 1) / n) * sigmaSquared + ((covariance.trace + noiseVariance) / n) * covariance
    }

    /// The exact expected squared error `f(Gamma)`.
    public func expectedLoss(_ gamma: Matrix<S>) -> S {
        (gamma.transposed * covariance * gamma * secondMoment).trace
            - S(2) * (gamma * sigmaSquared).trace + covariance.trace + noiseVariance
    }

    /// `grad f(Gamma) = 2 Sigma Gamma M - 2 Sigma^2`.
    public func gradient(_ gamma: Matrix<S>) -> Matrix<S> {
        S(2) * (covariance * gamma * secondMoment) - S(2) * sigmaSquared
    }

    /// `A = (n+1)/n Sigma + (tr(Sigma) + sigma^2)/n I`, so that `M = A Sigma = Sigma A` and `Gamma_0 = A^{-1}`.
    public var optimumInverse: Matrix<S> {
        (S(contextCount + 1) / n) * covariance + ((covariance.trace + noiseVariance) / n) * Matrix<S>.identity(covariance.rows)
    }

    /// `Gamma_0 = A^{-1}` by exact Gauss-Jordan elimination (use `optimumDouble` for the LU
    /// inverse in floating point).
    public func optimum() throws -> Matrix<S> { try optimumInverse.exactInverse() }
}

extension GaussianOptimum where S == Double {
    /// `Gamma_0 = A^{-1}` with the LU inverse of GSL.
    public func optimumDouble() throws -> Matrix<Double> { try optimumInverse.inverse() }

    /// A Monte Carlo estimate of `f(Gamma)` over `samples` tasks: the sample mean of
    /// `(yhat - y)^2` and its standard error `sd / sqrt(samples)`. `Sigma = L L^T` by Cholesky.
    public func monteCarloLoss(_ gamma: Matrix<Double>, samples: Int, random: RandomSource) throws -> (mean: Double, standardError: Double) {
        let d = covariance.rows
        let factor = try covariance.cholesky()
        let noiseSD = noiseVariance.squareRoot()
        var sum = 0.0, sumSquares = 0.0
        for _ in 0..<samples {
            let w = random.gaussianMatrix(d, 1)
            let x = factor * random.gaussianMatrix(d, contextCount)
            let xq = factor * random.gaussianMatrix(d, 1)
            var y = w.transposed * x
            for j in 0..<y.cols { y[0, j] += random.gaussian(sd: noiseSD) }
            let yq = (w.transposed * xq)[0, 0] + random.gaussian(sd: noiseSD)
            let yhat = (xq.transposed * gamma * (x * y.transposed))[0, 0] / Double(contextCount)
            let e2 = (yhat - yq) * (yhat - yq)
            sum += e2
            sumSquares += e2 * e2
        }
        let mean = sum / Double(samples)
        let variance = max(0, (sumSquares - Double(samples) * mean * mean) / Double(samples - 1))
        return (mean, (variance / Double(samples)).squareRoot())
    }
}

/// Zhang, Frei & Bartlett's closed form of the test error at the optimum for `Sigma = I`,
/// no noise: `d (d+1) / (n + d + 1)`. A claim to check against `expectedLoss(Gamma_0)`.
public func isotropicOptimalError<S: FieldScalar>(dimension d: Int, contextCount n: Int) -> S {
    S(d * (d + 1)) / S(n + d + 1)
}
