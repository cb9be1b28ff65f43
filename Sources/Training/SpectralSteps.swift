@preconcurrency import CGSL

/// `K` layers of GD++ (and GD, `gamma = 0`) from `W_0 = 0` on every task of a batch, evaluated in
/// the eigenbasis of each task's context Gram matrix `S = X X^T = U diag(lambda) U^T`, where the
/// whole stack acts eigenvalue by eigenvalue. `Baselines.gdPlusPlus`'s layer `k` maps every token
/// `x <- (I - gamma_k A A^T) x`, `y <- y - (eta_k/N) u^T x` with `A` the current context inputs and
/// `u = sum_j y_j x_j` the current context correlation. `A = M X` with `M` a polynomial in `S`,
/// so in the eigenbasis, with `sigma = lambda m^2` the current curvature,
///
///     m_k = m_{k-1} (1 - gamma_k sigma_{k-1}),          m_0 = 1   (the inputs' factor)
///     b_k = b_{k-1} (1 - (eta_k/N) sigma_{k-1}),        b_0 = 1   (the residual's GD factor)
///     g   = sum_k (eta_k/N) m_{k-1}^2 b_{k-1}
///
/// and the prediction is `yhat = sum_i w_i g(lambda_i)` with `w_i = (U^T X Y^T)_i (U^T x_q)_i`.
/// One evaluation costs `B d K` (times `2K` for the gradient, by forward-mode derivatives of
/// `m`, `b`) against the kernel's `B K D^2 N`; both give the same half mean squared error.
///
/// Exact for a stack without a token clip. Under a clip the form holds for a task exactly when no
/// token entry leaves `[-c, c]` in any layer: `clippedTasks` finds the others (from the exact
/// token values, cheap in the eigenbasis), which then need the kernel.
public struct SpectralTasks: Sendable {
    public let inputDimension: Int
    public let outputDimension: Int
    public let contextCount: Int
    public let taskCount: Int
    /// Per task, the eigenvalues of `S` (`d`).
    var eigenvalues: [Double]
    /// Per task, `w` (`d x d_y`, eigen-index major).
    var weights: [Double]
    /// Per task, the inputs of the context tokens and of the query in the eigenbasis (`(N+1) x d`),
    /// with `U` (`d x d`, row-major) and the context labels (`N x d_y`), for `clippedTasks`.
    var rotatedInputs: [Double]
    var bases: [Double]
    var labels: [Double]
    var targets: [Double]

    /// Diagonalizes every task's `S` (GSL's `gsl_eigen_symmv`). Needs the query outside the context.
    public init(_ batch: TaskBatch) {
        let d = batch.inputDimension, dy = batch.outputDimension, n = batch.contextCount, D = d + dy, T = n + 1
        (inputDimension, outputDimension, contextCount, taskCount) = (d, dy, n, batch.taskCount)
        eigenvalues = [Double](repeating: 0, count: taskCount * d)
        weights = [Double](repeating: 0, count: taskCount * d * dy)
        rotatedInputs = [Double](repeating: 0, count: taskCount * T * d)
        bases = [Double](repeating: 0, count: taskCount * d * d)
        labels = [Double](repeating: 0, count: taskCount * n * dy)
        targets = batch.targets
        let workspace = gsl_eigen_symmv_alloc(d)!, values = gsl_vector_alloc(d)!, vectors = gsl_matrix_alloc(d, d)!
        defer { gsl_eigen_symmv_free(workspace); gsl_vector_free(values); gsl_matrix_free(vectors) }
        var gram = [Double](repeating: 0, count: d * d)
        for b in 0..<taskCount {
            let z = Array(batch.tokens[(b * T * D)..<((b + 1) * T * D)])
            for i in 0..<d { for j in 0..<d { gram[i * d + j] = (0..<n).reduce(0) { $0 + z[$1 * D + i] * z[$1 * D + j] } } }
            gram.withUnsafeMutableBufferPointer { g in
                var view = gsl_matrix_view_array(g.baseAddress!, d, d)
                gsl_eigen_symmv(&view.matrix, values, vectors, workspace)
            }
            for i in 0..<d {
                eigenvalues[b * d + i] = gsl_vector_get(values, i)
                for r in 0..<d { bases[b * d * d + r * d + i] = gsl_matrix_get(vectors, r, i) }
            }
            // Rotated inputs x~ = U^T x for every token; w_i = (sum_j x~_j,i y_j) x~_q,i.
            for t in 0..<T {
                for i in 0..<d {
                    rotatedInputs[(b * T + t) * d + i] = (0..<d).reduce(0) { $0 + bases[b * d * d + $1 * d + i] * z[t * D + $1] }
                }
            }
            for j in 0..<n { for k in 0..<dy { labels[(b * n + j) * dy + k] = z[j * D + d + k] } }
            for i in 0..<d {
                let query = rotatedInputs[(b * T + n) * d + i]
                for k in 0..<dy {
                    let u = (0..<n).reduce(0) { $0 + rotatedInputs[(b * T + $1) * d + i] * z[$1 * D + d + k] }
                    weights[(b * d + i) * dy + k] = u * query
                }
            }
        }
    }

    /// `g(lambda)` and, when `gradient` is given, `dg/d(eta_1..eta_K, gamma_1..gamma_K)` into it
    /// (forward-mode: `dm`, `db` carry the derivatives of `m`, `b`).
    @inline(__always)
    static func response(_ lambda: Double, etas: UnsafeBufferPointer<Double>, gammas: UnsafeBufferPointer<Double>, contextCount n: Double,
                         gradient: UnsafeMutablePointer<Double>?, dm: UnsafeMutablePointer<Double>, db: UnsafeMutablePointer<Double>) -> Double {
        let K = etas.count
        var m = 1.0, b = 1.0, g = 0.0
        if let gradient {
            for p in 0..<(2 * K) { gradient[p] = 0; dm[p] = 0; db[p] = 0 }
        }
        for k in 0..<K {
            let sigma = lambda * m * m, rate = etas[k] / n, gamma = gammas[k]
            if let gradient {
                // dsigma = 2 lambda m dm; only parameters of earlier layers have moved m and b.
                for p in 0..<(2 * K) {
                    let dSigma = 2 * lambda * m * dm[p]
                    gradient[p] += rate * (2 * m * b * dm[p] + m * m * db[p])
                    let dmNext = dm[p] * (1 - gamma * sigma) - m * gamma * dSigma
                    db[p] = db[p] * (1 - rate * sigma) - b * rate * dSigma
                    dm[p] = dmNext
                }
                gradient[k] += m * m * b / n
                db[k] -= b * sigma / n
                dm[K + k] -= m * sigma
            }
            g += rate * m * m * b
            (m, b) = (m * (1 - gamma * sigma), b * (1 - rate * sigma))
        }
        return g
    }

    /// The predictions `yhat_b` (`B x d_y`).
    public func predictions(etas: [Double], gammas: [Double]) -> [Double] {
        let d = inputDimension, dy = outputDimension, P = 2 * etas.count
        var out = [Double](repeating: 0, count: taskCount * dy)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 2 * P)
        defer { scratch.deallocate() }
        etas.withUnsafeBufferPointer { e in gammas.withUnsafeBufferPointer { c in
            for b in 0..<taskCount {
                for i in 0..<d {
                    let g = Self.response(eigenvalues[b * d + i], etas: e, gammas: c, contextCount: Double(contextCount), gradient: nil,
                                          dm: scratch, db: scratch + P)
                    for k in 0..<dy { out[b * dy + k] += weights[(b * d + i) * dy + k] * g }
                }
            }
        } }
        return out
    }

    /// The half mean squared error `1/(2 B d_y) sum_b |yhat_b - y_b|^2` over `tasks` (all when nil),
    /// and its gradient in `(eta_1..eta_K, gamma_1..gamma_K)` into `gradient` when given, with
    /// the Gauss-Newton matrix `1/(B d_y) sum_b J_b^T J_b` (`J_b = dyhat_b/dparameters`, `2K x 2K`)
    /// into `gaussNewton` when that is given too.
    public func loss(etas: [Double], gammas: [Double], tasks: [Int]? = nil, gradient: UnsafeMutableBufferPointer<Double>? = nil,
                     gaussNewton: UnsafeMutableBufferPointer<Double>? = nil) -> Double {
        precondition(etas.count == gammas.count, "one gamma per eta")
        precondition(gaussNewton == nil || gradient != nil, "the Gauss-Newton matrix comes with the gradient")
        precondition((gradient.map { $0.count == 2 * etas.count } ?? true) && (gaussNewton.map { $0.count == 4 * etas.count * etas.count } ?? true),
                     "a gradient of 2K and a matrix of 2K x 2K entries")
        let d = inputDimension, dy = outputDimension, P = 2 * etas.count, n = Double(contextCount)
        let count = tasks?.count ?? taskCount
        // dm, db, dg, then dg of every eigenvalue (d x P), the residual (d_y), one row of J.
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 4 * P + P * d + dy)
        defer { scratch.deallocate() }
        let dm = scratch, db = scratch + P, dg = scratch + 2 * P, dgs = scratch + 3 * P, residual = scratch + 3 * P + P * d
        let jacobian = residual + dy
        if let gradient { for p in 0..<P { gradient[p] = 0 } }
        if let gaussNewton { for p in 0..<(P * P) { gaussNewton[p] = 0 } }
        var total = 0.0
        etas.withUnsafeBufferPointer { e in gammas.withUnsafeBufferPointer { c in
        eigenvalues.withUnsafeBufferPointer { lambdas in weights.withUnsafeBufferPointer { w in targets.withUnsafeBufferPointer { y in
            for position in 0..<count {
                let b = tasks?[position] ?? position
                for k in 0..<dy { residual[k] = -y[b * dy + k] }
                for i in 0..<d {
                    let g = Self.response(lambdas[b * d + i], etas: e, gammas: c, contextCount: n, gradient: gradient == nil ? nil : dg, dm: dm, db: db)
                    if gradient != nil { (dgs + i * P).update(from: dg, count: P) }
                    for k in 0..<dy { residual[k] += w[(b * d + i) * dy + k] * g }
                }
                for k in 0..<dy { total += residual[k] * residual[k] }
                if let gradient {
                    for i in 0..<d {
                        var r = 0.0
                        for k in 0..<dy { r += residual[k] * w[(b * d + i) * dy + k] }
                        for p in 0..<P { gradient[p] += r * dgs[i * P + p] }
                    }
                }
                if let gaussNewton {
                    for k in 0..<dy {
                        for p in 0..<P { jacobian[p] = 0 }
                        for i in 0..<d { for p in 0..<P { jacobian[p] += w[(b * d + i) * dy + k] * dgs[i * P + p] } }
                        for p in 0..<P { for q in 0..<P { gaussNewton[p * P + q] += jacobian[p] * jacobian[q] } }
                    }
                }
            }
        } } } } }
        let scale = 1 / Double(count * dy)
        if let gradient { for p in 0..<P { gradient[p] *= scale } }
        if let gaussNewton { for p in 0..<(P * P) { gaussNewton[p] *= scale } }
        return total * scale / 2
    }

    /// The tasks on which some token entry leaves `[-clip, clip]` after some layer of the stack
    /// (where the clipped stack differs from this form), from the token values in the eigenbasis:
    /// a context token's labels are `y_j - sum_i (U^T X Y^T)_i x~_j,i g_k(lambda_i)` after `k`
    /// layers, the query's `-sum_i w_i g_k(lambda_i)`, and every input is `U (m_k * x~)`.
    public func clippedTasks(etas: [Double], gammas: [Double], clip: Double) -> [Int] {
        let d = inputDimension, dy = outputDimension, n = contextCount, T = n + 1, K = etas.count, N = Double(n)
        var out: [Int] = []
        var m = [Double](repeating: 1, count: d), b = [Double](repeating: 1, count: d), g = [Double](repeating: 0, count: d)
        var correlation = [Double](repeating: 0, count: d * dy)
        for task in 0..<taskCount {
            for i in 0..<d { (m[i], b[i], g[i]) = (1, 1, 0) }
            for i in 0..<d {
                for k in 0..<dy {
                    correlation[i * dy + k] = (0..<n).reduce(0) { $0 + rotatedInputs[(task * T + $1) * d + i] * labels[(task * n + $1) * dy + k] }
                }
            }
            var clipped = false
            layers: for k in 0..<K {
                for i in 0..<d {
                    let sigma = eigenvalues[task * d + i] * m[i] * m[i], rate = etas[k] / N
                    g[i] += rate * m[i] * m[i] * b[i]
                    (m[i], b[i]) = (m[i] * (1 - gammas[k] * sigma), b[i] * (1 - rate * sigma))
                }
                for t in 0..<T {
                    for r in 0..<d {
                        var x = 0.0
                        for i in 0..<d { x += bases[task * d * d + r * d + i] * m[i] * rotatedInputs[(task * T + t) * d + i] }
                        if abs(x) > clip { clipped = true; break layers }
                    }
                    for c in 0..<dy {
                        var y = t < n ? labels[(task * n + t) * dy + c] : 0
                        for i in 0..<d { y -= correlation[i * dy + c] * rotatedInputs[(task * T + t) * d + i] * g[i] }
                        if abs(y) > clip { clipped = true; break layers }
                    }
                }
            }
            if clipped { out.append(task) }
        }
        return out
    }
}
