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
    /// `batch`, by Levenberg-Marquardt (`LevenbergMarquardt`) on the exact loss and gradient with
    /// the Gauss-Newton matrix of the spectral form (`SpectralTasks`; tasks where a token clip acts
    /// go through the kernel and add to the loss and gradient, not to that matrix), until the
    /// gradient norm is at most `gradientTolerance`, no damped step lowers the loss, or after
    /// `maxIterations` steps. GD++'s last `gamma` is 0 and not fitted: the last layer's update of
    /// the inputs is never read.
    ///
    /// The default start is `eta_k = (eta*/K) (1 + (k - (K-1)/2) / (2K))`, `gamma_k = 0`. The
    /// steps are deliberately unequal: K-step GD from `W_0 = 0` is symmetric in its step sizes
    /// (`W_K = b S^-1 (I - prod_k (I - eta_k S))`), so from equal steps the gradient is equal in
    /// every coordinate and the search never leaves the diagonal, where the optimum is not.
    /// Start GD++ at the tuned GD steps (`initialEtas`) with `gamma = 0`: the method only accepts
    /// steps that lower the loss, so the fitted GD++ is then never worse than the fitted GD.
    /// With `tokenClip` the algorithm runs under the clip a model of that shape has (`LSAShape`).
    public static func tune(plusPlus: Bool, layers: Int, batch: TaskBatch, initialEtas: [Double]? = nil, initialGammas: [Double]? = nil,
                            maxIterations: Int = 200, tokenClip: Double? = nil, gradientTolerance: Double = 1e-9) -> TunedSteps {
        let shape = LSAShape(inputDimension: batch.inputDimension, outputDimension: batch.outputDimension, contextCount: batch.contextCount,
                             layers: layers, heads: 1, tokenClip: tokenClip)
        let problem = TuningProblem(shape: shape, batch: batch, plusPlus: plusPlus)
        let etas0 = initialEtas ?? defaultEtas(layers: layers, batch: batch)
        let gammas0 = initialGammas ?? Array(repeating: 0, count: layers)
        precondition(etas0.count == layers && gammas0.count == layers, "one initial eta and gamma per layer")
        let run = LevenbergMarquardt.minimize(from: plusPlus ? etas0 + gammas0.dropLast() : etas0, tolerance: gradientTolerance,
                                              maxIterations: maxIterations, evaluate: problem.model)
        let (etas, gammas) = problem.stepSizes(run.point)
        let model = plusPlus ? gdPlusPlus(shape, etas: etas, gammas: gammas) : gradientDescent(shape, etas: etas)
        return TunedSteps(etas: etas, gammas: gammas, loss: run.value, iterations: run.iterations,
                          gradientNorm: run.gradientNorm!, stop: run.stop, model: model)
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
                            tokenClip: Double? = nil, gradientTolerance: Double = 1e-9) -> MultiStartFit {
        precondition(!starts.isEmpty, "a fit needs a start")
        let fits = starts.map {
            tune(plusPlus: plusPlus, layers: layers, batch: batch, initialEtas: $0.etas, initialGammas: $0.gammas,
                 maxIterations: maxIterations, tokenClip: tokenClip, gradientTolerance: gradientTolerance)
        }
        var best = fits[0]
        for fit in fits.dropFirst() where fit.loss < best.loss { best = fit }
        let reached = fits.filter { $0.loss <= best.loss + 1e-6 * abs(best.loss) }.count
        return MultiStartFit(best: best, startLosses: fits.map(\.loss), startIterations: fits.map(\.iterations),
                             startGradientNorms: fits.map(\.gradientNorm), reachedBest: reached)
    }
}

/// The best of several fits of the same family, with what the other starts reached.
public struct MultiStartFit: Sendable {
    public var best: TunedSteps
    /// The final loss of each start, in the order given.
    public var startLosses: [Double]
    /// The iterations of each start, and the gradient norm it stopped at.
    public var startIterations: [Int]
    public var startGradientNorms: [Double]
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
    /// Why the fit stopped.
    public var stop: Multimin.Stop
    /// The algorithm as a folded LSA stack.
    public var model: FoldedLSA
}

/// The tuning objective: the spectral form (`SpectralTasks`) on every task where it is exact, the
/// kernel on the tasks where the token clip acts (none without a clip). The free parameters are
/// `eta_1..eta_K`, then for GD++ `gamma_1..gamma_{K-1}`.
final class TuningProblem {
    let shape: LSAShape
    let batch: TaskBatch
    let plusPlus: Bool
    let kernel: LSAKernel
    let spectral: SpectralTasks
    /// Tasks evaluated by the kernel over the fit (a diagnostic).
    private(set) var kernelTasks = 0

    init(shape: LSAShape, batch: TaskBatch, plusPlus: Bool) {
        precondition(!shape.queryInContext, "the spectral form needs the query outside the context")
        (self.shape, self.batch, self.plusPlus) = (shape, batch, plusPlus)
        kernel = LSAKernel(shape: shape)
        spectral = SpectralTasks(batch)
    }

    /// The free parameters' indices among `(eta_1..eta_K, gamma_1..gamma_K)`.
    var free: [Int] { Array(0..<shape.layers) + (plusPlus ? Array(shape.layers..<(2 * shape.layers - 1)) : []) }

    /// `(etas, gammas)` of the free parameters `x`.
    func stepSizes(_ x: [Double]) -> (etas: [Double], gammas: [Double]) {
        let K = shape.layers
        return (Array(x.prefix(K)), plusPlus ? Array(x.dropFirst(K)) + [0] : Array(repeating: 0, count: K))
    }

    /// The loss at `x`, its gradient and the Gauss-Newton matrix of its spectral tasks.
    func model(_ x: [Double]) -> LevenbergMarquardt.Model {
        let (etas, gammas) = stepSizes(x), P = 2 * shape.layers
        var gradient = [Double](repeating: 0, count: P), gaussNewton = [Double](repeating: 0, count: P * P)
        let loss = evaluate(etas: etas, gammas: gammas, gradient: &gradient, gaussNewton: &gaussNewton)
        let free = free
        return (loss, free.map { gradient[$0] }, free.flatMap { p in free.map { gaussNewton[p * P + $0] } })
    }

    /// The loss at `(etas, gammas)`, its gradient in all `2K` step sizes, and the Gauss-Newton
    /// matrix of the tasks the spectral form evaluates (weighted by their share of the batch).
    func evaluate(etas: [Double], gammas: [Double], gradient: inout [Double], gaussNewton: inout [Double]) -> Double {
        let K = shape.layers, d = shape.inputDimension, D = shape.tokenDimension
        precondition(gradient.count == 2 * K && gaussNewton.count == 4 * K * K, "a gradient of 2K and a matrix of 2K x 2K entries")
        let clipped = shape.tokenClip.map { spectral.clippedTasks(etas: etas, gammas: gammas, clip: $0) } ?? []
        var isClipped = [Bool](repeating: false, count: batch.taskCount)
        for b in clipped { isClipped[b] = true }
        let rest = clipped.isEmpty ? nil : (0..<batch.taskCount).filter { !isClipped[$0] }
        var loss = 0.0
        if rest?.isEmpty != true {
            loss = gradient.withUnsafeMutableBufferPointer { g in gaussNewton.withUnsafeMutableBufferPointer { h in
                spectral.loss(etas: etas, gammas: gammas, tasks: rest, gradient: g, gaussNewton: h)
            } }
        }
        guard !clipped.isEmpty else { return loss }
        kernelTasks += clipped.count
        // The means over the two groups, weighted by their sizes.
        let share = Double(clipped.count) / Double(batch.taskCount)
        loss *= 1 - share
        for p in gradient.indices { gradient[p] *= 1 - share }
        for p in gaussNewton.indices { gaussNewton[p] *= 1 - share }
        let (l, dModel) = kernel.lossAndGradient(Baselines.gdPlusPlus(shape, etas: etas, gammas: gammas), batch.tasks(clipped))
        loss += share * l
        for k in 0..<K {
            let o = k * D * D
            for j in d..<D { gradient[k] -= share * dModel.projectionValue[o + j * D + j] / Double(shape.contextCount) }
            for i in 0..<d { gradient[K + k] -= share * dModel.projectionValue[o + i * D + i] }
        }
        return loss
    }
}
