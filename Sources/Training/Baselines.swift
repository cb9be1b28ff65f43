import Linalg

/// The algorithms a trained LSA is compared with, as folded LSA stacks (so the same kernel
/// evaluates their losses, predictions and exact sensitivities), and their hyper-parameters
/// fitted on validation tasks. All start from `W_0 = 0` (the query starts at `y_q0 = 0`).
public enum Baselines {
    /// `K` steps of GD with per-step rates `eta_k` (REFERENCE.md section 1, every layer carrying
    /// `W_0 = 0`): `M = [[Gamma_k, 0], [0, 0]]` (`Gamma_k = I` unless given), `V = [[0, 0], [0, -eta_k/N I]]`.
    public static func gradientDescent(_ shape: LSAShape, etas: [Double], preconditioners: [Matrix<Double>]? = nil) -> FoldedLSA {
        precondition(shape.heads == 1 && shape.layers == etas.count, "one head and one eta per layer")
        let d = shape.inputDimension, D = shape.tokenDimension, n = Double(shape.contextCount)
        var f = FoldedLSA(zerosLike: shape)
        for (k, eta) in etas.enumerated() {
            let gamma = preconditioners?[k] ?? .identity(d)
            var m = Matrix<Double>.zeros(D, D), v = Matrix<Double>.zeros(D, D)
            for i in 0..<d { for j in 0..<d { m[i, j] = gamma[i, j] } }
            for i in d..<D { v[i, i] = -eta / n }
            f.setKeyQueryMatrix(m, layer: k, head: 0)
            f.setProjectionValueMatrix(v, layer: k, head: 0)
        }
        return f
    }

    /// `K` layers of GD++ (von Oswald et al. A.10): `M = [[I, 0], [0, 0]]`, `V = [[-gamma_k I, 0], [0, -eta_k/N I]]`,
    /// i.e. `x <- (I - gamma_k X X^T) x` and a GD step on the labels, for every token.
    public static func gdPlusPlus(_ shape: LSAShape, etas: [Double], gammas: [Double]) -> FoldedLSA {
        precondition(gammas.count == etas.count, "one gamma per eta")
        var f = gradientDescent(shape, etas: etas)
        let d = shape.inputDimension
        for (k, gamma) in gammas.enumerated() {
            var v = f.projectionValueMatrix(layer: k, head: 0)
            for i in 0..<d { v[i, i] = -gamma }
            f.setProjectionValueMatrix(v, layer: k, head: 0)
        }
        return f
    }

    /// The one-step GD learning rate with the least squared error on `batch`, in closed form: from
    /// `W_0 = 0` the prediction is `eta g_b` with `g_b = (1/N) Y X^T x_q`, so
    /// `eta* = sum_b <g_b, y_b> / sum_b |g_b|^2` (exact least squares, not a grid).
    public static func leastSquaresLearningRate(_ batch: TaskBatch) -> Double {
        let d = batch.inputDimension, dy = batch.outputDimension, D = d + dy, T = batch.tokensPerTask, n = batch.contextCount
        var numerator = 0.0, denominator = 0.0
        batch.tokens.withUnsafeBufferPointer { z in
            for b in 0..<batch.taskCount {
                let task = z.baseAddress! + b * T * D, xq = task + n * D
                for k in 0..<dy {
                    var g = 0.0
                    for i in 0..<n {
                        var dot = 0.0
                        for c in 0..<d { dot += task[i * D + c] * xq[c] }
                        g += task[i * D + d + k] * dot
                    }
                    g /= Double(n)
                    numerator += g * batch.targets[b * dy + k]
                    denominator += g * g
                }
            }
        }
        return numerator / denominator
    }

    /// The default start of a fit: `eta_k = (eta*/K) (1 + (k - (K-1)/2) / (2K))` (see `tune`).
    public static func defaultEtas(layers: Int, batch: TaskBatch) -> [Double] {
        let eta0 = leastSquaresLearningRate(batch) / Double(layers), K = Double(layers)
        return (0..<layers).map { (k: Int) -> Double in eta0 * (1 + (Double(k) - (K - 1) / 2) / (2 * K)) }
    }

    /// Hyper-parameters of `K`-step GD (`etas`) or GD++ (`etas`, `gammas`) minimizing the loss on
    /// `batch`, by GSL's `vector_bfgs2` with the exact gradient (the kernel's `dL/dV`, chained:
    /// `dL/deta_k = -(1/N) sum_y dV_k[y, y]`, `dL/dgamma_k = -sum_x dV_k[x, x]`), until the
    /// gradient norm is below 1e-9, GSL reports no progress, or after `maxIterations` iterations.
    ///
    /// The default start is `eta_k = (eta*/K) (1 + (k - (K-1)/2) / (2K))`, `gamma_k = 0`. The
    /// steps are deliberately unequal: K-step GD from `W_0 = 0` is symmetric in its step sizes
    /// (`W_K = b S^-1 (I - prod_k (I - eta_k S))`), so from equal steps the gradient is equal in
    /// every coordinate and the search never leaves the diagonal, where the optimum is not.
    /// Start GD++ at the tuned GD steps (`initialEtas`) with `gamma = 0`: BFGS only descends, so
    /// the fitted GD++ is then never worse than the fitted GD on the same tasks.
    /// With `tokenClip` the algorithm runs under the clip a model of that shape has (`LSAShape`).
    public static func tune(plusPlus: Bool, layers: Int, batch: TaskBatch, queryInContext: Bool = false,
                            initialEtas: [Double]? = nil, initialGammas: [Double]? = nil,
                            maxIterations: Int = 200, tokenClip: Double? = nil, gradientTolerance: Double = 1e-9,
                            stall: Multimin.StallTest? = nil) throws -> TunedSteps {
        let shape = LSAShape(inputDimension: batch.inputDimension, outputDimension: batch.outputDimension, contextCount: batch.contextCount,
                             layers: layers, heads: 1, queryInContext: queryInContext, tokenClip: tokenClip)
        let problem = TuningProblem(shape: shape, batch: batch, plusPlus: plusPlus)
        let eta0 = leastSquaresLearningRate(batch) / Double(layers)
        let etas0 = initialEtas ?? defaultEtas(layers: layers, batch: batch)
        let gammas0 = initialGammas ?? Array(repeating: 0, count: layers)
        precondition(etas0.count == layers && gammas0.count == layers, "one initial eta and gamma per layer")
        // Stop when the gradient is below 1e-9 (the losses are of order 0.1 and the step sizes
        // of order 1, so the hyper-parameters are then converged to about 1e-8), or when GSL
        // can make no more progress (its line search fails at the rounding level).
        let run = try Multimin.minimize(.bfgs2, from: plusPlus ? etas0 + gammas0 : etas0, stepSize: 0.1 * abs(eta0),
                                        lineTolerance: 0.1, tolerance: gradientTolerance, maxIterations: maxIterations,
                                        stall: stall) { x, g in
            problem.evaluate(x, gradient: g)
        }
        let x = run.point, iterations = run.iterations, gradientNorm = run.gradientNorm!
        let etas = Array(x.prefix(layers)), gammas = plusPlus ? Array(x.suffix(layers)) : Array(repeating: 0, count: layers)
        let model = plusPlus ? gdPlusPlus(shape, etas: etas, gammas: gammas) : gradientDescent(shape, etas: etas)
        return TunedSteps(etas: etas, gammas: gammas, loss: run.value, iterations: iterations,
                          gradientNorm: gradientNorm, model: model)
    }
}

extension Baselines {
    /// One start of a fit: initial `eta_k`, and `gamma_k` for GD++ (`nil`: zeros).
    public struct Start: Sendable {
        public var etas: [Double]
        public var gammas: [Double]?
        public init(etas: [Double], gammas: [Double]? = nil) { (self.etas, self.gammas) = (etas, gammas) }
    }

    /// `tune` from every start in turn; the fit with the least loss is kept (the first of equal
    /// ones, so the result depends only on the starts and the tasks). `reachedBest` counts the
    /// starts that ended within a relative `1e-6` of the best loss: one means the landscape has
    /// other minima the search can end in.
    public static func tune(plusPlus: Bool, layers: Int, batch: TaskBatch, starts: [Start], maxIterations: Int,
                            tokenClip: Double? = nil, gradientTolerance: Double = 1e-9,
                            stall: Multimin.StallTest? = nil) throws -> MultiStartFit {
        precondition(!starts.isEmpty, "a fit needs a start")
        let fits = try starts.map {
            try tune(plusPlus: plusPlus, layers: layers, batch: batch, initialEtas: $0.etas, initialGammas: $0.gammas,
                     maxIterations: maxIterations, tokenClip: tokenClip, gradientTolerance: gradientTolerance, stall: stall)
        }
        var best = fits[0]
        for fit in fits.dropFirst() where fit.loss < best.loss { best = fit }
        let reached = fits.filter { $0.loss <= best.loss + 1e-6 * abs(best.loss) }.count
        return MultiStartFit(best: best, startLosses: fits.map(\.loss), reachedBest: reached)
    }
}

/// The best of several fits of the same family, with what the other starts reached.
public struct MultiStartFit: Sendable {
    public var best: TunedSteps
    /// The final loss of each start, in the order given.
    public var startLosses: [Double]
    /// Starts that ended within a relative `1e-6` of the best loss.
    public var reachedBest: Int
}

/// Fitted step sizes and the loss they reach on the tasks they were fitted on.
public struct TunedSteps: Sendable {
    public var etas: [Double]
    /// GD++'s curvature steps (zeros for GD).
    public var gammas: [Double]
    public var loss: Double
    public var iterations: Int
    public var gradientNorm: Double
    /// The algorithm as a folded LSA stack.
    public var model: FoldedLSA
}

/// The tuning objective handed to `Multimin`.
final class TuningProblem {
    let shape: LSAShape
    let batch: TaskBatch
    let plusPlus: Bool
    let kernel: LSAKernel

    init(shape: LSAShape, batch: TaskBatch, plusPlus: Bool) {
        (self.shape, self.batch, self.plusPlus) = (shape, batch, plusPlus)
        kernel = LSAKernel(shape: shape)
    }

    /// The loss at `x = (eta_1..eta_K[, gamma_1..gamma_K])`, and its gradient into `gradient` when given.
    func evaluate(_ x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        let K = shape.layers, d = shape.inputDimension, D = shape.tokenDimension
        let etas = (0..<K).map { x[$0] }
        let gammas = plusPlus ? (0..<K).map { x[K + $0] } : Array(repeating: 0.0, count: K)
        let model = Baselines.gdPlusPlus(shape, etas: etas, gammas: gammas)
        guard let gradient else { return kernel.loss(model, batch) }
        let (loss, g) = kernel.lossAndGradient(model, batch)
        for k in 0..<K {
            let o = k * D * D
            var dEta = 0.0, dGamma = 0.0
            for j in d..<D { dEta -= g.projectionValue[o + j * D + j] }
            for i in 0..<d { dGamma -= g.projectionValue[o + i * D + i] }
            gradient[k] = dEta / Double(shape.contextCount)
            if plusPlus { gradient[K + k] = dGamma }
        }
        return loss
    }
}
