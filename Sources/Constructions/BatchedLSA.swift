@preconcurrency import CGSL
import Linalg

/// The tokens of `B` tasks, one token per row: a `B(N+1) x D` row-major matrix whose rows
/// `b(N+1) ..< (b+1)(N+1)` hold task `b`'s `N` context tokens and then its query token.
/// (Rows rather than columns so that each task's tokens are contiguous in memory.)
public struct BatchedTokens: Sendable, Equatable {
    public let tokenDimension: Int
    public let contextCount: Int
    public let taskCount: Int
    public var elements: [Double]

    public init(tokenDimension: Int, contextCount: Int, taskCount: Int, elements: [Double]) {
        precondition(elements.count == tokenDimension * taskCount * (contextCount + 1), "BatchedTokens: wrong element count")
        self.tokenDimension = tokenDimension
        self.contextCount = contextCount
        self.taskCount = taskCount
        self.elements = elements
    }

    /// Packs per-task token matrices (`D x (N+1)`, tokens as columns) into a batch.
    public init(tasks: [Matrix<Double>]) {
        precondition(!tasks.isEmpty && tasks.allSatisfy { $0.rows == tasks[0].rows && $0.cols == tasks[0].cols }, "tasks must share a shape")
        self.init(tokenDimension: tasks[0].rows, contextCount: tasks[0].cols - 1, taskCount: tasks.count,
                  elements: tasks.flatMap { $0.transposed.elements })
    }

    /// Rows per task, `N + 1`.
    public var tokensPerTask: Int { contextCount + 1 }

    /// Task `b`'s `D x (N+1)` token matrix (tokens as columns, as in `LSALayer`).
    public func task(_ b: Int) -> Matrix<Double> {
        let start = b * tokensPerTask * tokenDimension
        return Matrix(rows: tokensPerTask, cols: tokenDimension,
                      elements: Array(elements[start..<(start + tokensPerTask * tokenDimension)])).transposed
    }
}

/// Scratch memory for `LSAHead.forward`, reused across calls (as GSL's workspaces are): fresh
/// multi-megabyte buffers would be page-faulted in by the BLAS threads on every call.
public final class LSAWorkspace: @unchecked Sendable {
    var projected: [Double] = []
    var attended: [Double] = []
    var scores: [Double] = []
    public init() {}

    /// Grows `buffer` to at least `count` entries (zero-filled once, in this thread).
    static func reserve(_ buffer: inout [Double], _ count: Int) {
        if buffer.count < count { buffer = [Double](repeating: 0, count: count) }
    }
}

extension LSAHead where Scalar == Double {
    /// One residual LSA head applied to every task of a batch, in attention form like
    /// `LSALayer.callAsFunction`, with tokens as rows (`Z` is `B(N+1) x D`):
    /// `K = Z W_K^T`, `Q = Z W_Q^T`, `V = Z W_V^T` for all tasks in one `dgemm` each; per task
    /// the scores `S_b^T = Q_b K_ctx^T` (`(N+1) x N`) and `O_b = S_b^T V_ctx`; then `Z + O P^T`
    /// in one `dgemm`. FLOPs: `8 D^2 B (N+1) + 4 D B N (N+1)`.
    /// Pass the same `workspace` to repeated calls to reuse its memory; a workspace must not be
    /// shared by concurrent calls.
    public func forward(_ tokens: BatchedTokens, workspace: LSAWorkspace = LSAWorkspace()) -> BatchedTokens {
        precondition(tokens.tokenDimension == key.rows, "tokens have dimension \(tokens.tokenDimension), the head expects \(key.rows)")
        let D = tokens.tokenDimension, per = tokens.tokensPerTask
        return D <= 32 && per <= 128 ? forwardFused(tokens) : forwardBLAS(tokens, workspace)
    }

    /// Small tasks: everything for one task stays in L1. Rows are padded to a multiple of 4
    /// and processed as `SIMD4<Double>` lanes; weights are transposed once so each projection
    /// is a sum of scaled weight rows (`axpy`), the scores are lane-wise dot products.
    private func forwardFused(_ tokens: BatchedTokens) -> BatchedTokens {
        let D = tokens.tokenDimension, n = tokens.contextCount, per = tokens.tokensPerTask
        let groups = (D + 3) / 4
        /// `w^T` with rows padded to `stride` (zeros in the padding).
        func paddedTranspose(_ w: Matrix<Double>) -> [SIMD4<Double>] {
            var rows = [SIMD4<Double>](repeating: .zero, count: D * groups)
            for c in 0..<D { for r in 0..<D { rows[c * groups + r / 4][r % 4] = w[r, c] } }
            return rows
        }
        let wk = paddedTranspose(key), wq = paddedTranspose(query), wv = paddedTranspose(value), wp = paddedTranspose(projection)
        var out = tokens.elements
        var k = [SIMD4<Double>](repeating: .zero, count: per * groups), q = k, v = k, a = k
        var s = [Double](repeating: 0, count: n)
        tokens.elements.withUnsafeBufferPointer { zAll in
        out.withUnsafeMutableBufferPointer { outAll in
        k.withUnsafeMutableBufferPointer { k in q.withUnsafeMutableBufferPointer { q in
        v.withUnsafeMutableBufferPointer { v in a.withUnsafeMutableBufferPointer { a in
        s.withUnsafeMutableBufferPointer { s in
            /// `dst[t] = sum_c src[t, c] w^T[c]` for rows `0..<count`.
            func project(_ src: UnsafePointer<Double>, _ w: [SIMD4<Double>], _ dst: UnsafeMutableBufferPointer<SIMD4<Double>>, rows count: Int) {
                w.withUnsafeBufferPointer { w in
                    for t in 0..<count {
                        for g in 0..<groups { dst[t * groups + g] = .zero }
                        for c in 0..<D {
                            let x = SIMD4<Double>(repeating: src[t * D + c])
                            for g in 0..<groups { dst[t * groups + g] += x * w[c * groups + g] }
                        }
                    }
                }
            }
            for b in 0..<tokens.taskCount {
                let z = zAll.baseAddress! + b * per * D
                project(z, wk, k, rows: n)
                project(z, wq, q, rows: per)
                project(z, wv, v, rows: n)
                for j in 0..<per {
                    for i in 0..<n {
                        var dot = SIMD4<Double>.zero
                        for g in 0..<groups { dot += q[j * groups + g] * k[i * groups + g] }
                        s[i] = dot.sum()
                    }
                    for g in 0..<groups { a[j * groups + g] = .zero }
                    for i in 0..<n {
                        let si = SIMD4<Double>(repeating: s[i])
                        for g in 0..<groups { a[j * groups + g] += si * v[i * groups + g] }
                    }
                }
                // out_t = z_t + P a_t = z_t + sum_c a[t, c] P^T[c]; k[0..<groups] is free scratch now.
                wp.withUnsafeBufferPointer { wp in
                    for t in 0..<per {
                        for g in 0..<groups { k[g] = .zero }
                        for c in 0..<D {
                            let x = SIMD4<Double>(repeating: a[t * groups + c / 4][c % 4])
                            for g in 0..<groups { k[g] += x * wp[c * groups + g] }
                        }
                        for r in 0..<D { outAll[(b * per + t) * D + r] += k[r / 4][r % 4] }
                    }
                }
            }
        } } } } } } }
        return BatchedTokens(tokenDimension: D, contextCount: n, taskCount: tokens.taskCount, elements: out)
    }

    /// Large tasks: one `dgemm` for `[K | Q | V] = Z [W_K; W_Q; W_V]^T` over the whole batch, two
    /// per task on strided views of it, one for `Z + O P^T`.
    private func forwardBLAS(_ tokens: BatchedTokens, _ workspace: LSAWorkspace) -> BatchedTokens {
        let D = tokens.tokenDimension, n = tokens.contextCount, per = tokens.tokensPerTask
        let rows = tokens.taskCount * per, width = 3 * D
        let stackedWeights = key.elements + query.elements + value.elements           // 3D x D
        LSAWorkspace.reserve(&workspace.projected, rows * width)
        LSAWorkspace.reserve(&workspace.attended, rows * D)
        LSAWorkspace.reserve(&workspace.scores, n * per)
        var out = tokens.elements
        tokens.elements.withUnsafeBufferPointer { z in
        stackedWeights.withUnsafeBufferPointer { w in
        workspace.projected.withUnsafeMutableBufferPointer { kqv in
        workspace.attended.withUnsafeMutableBufferPointer { attended in
        workspace.scores.withUnsafeMutableBufferPointer { s in
        projection.elements.withUnsafeBufferPointer { p in
        out.withUnsafeMutableBufferPointer { o in
            gemm(z.baseAddress!, w.baseAddress!, kqv.baseAddress!, m: rows, n: width, k: D, lda: D, ldb: D, ldc: width, transposeB: true)
            for b in 0..<tokens.taskCount {
                let k = kqv.baseAddress! + b * per * width, q = k + D, v = k + 2 * D
                // S^T = Q K_ctx^T ((N+1) x N), then O = S^T V_ctx ((N+1) x D): no transposed A, the faster shape.
                gemm(q, k, s.baseAddress!, m: per, n: n, k: D, lda: width, ldb: width, ldc: n, transposeB: true)
                gemm(s.baseAddress!, v, attended.baseAddress! + b * per * D, m: per, n: D, k: n, lda: n, ldb: width, ldc: D)
            }
            gemm(attended.baseAddress!, p.baseAddress!, o.baseAddress!, m: rows, n: D, k: D, lda: D, ldb: D, ldc: D, transposeB: true, beta: 1)
        } } } } } } }
        return BatchedTokens(tokenDimension: D, contextCount: n, taskCount: tokens.taskCount, elements: out)
    }
}
