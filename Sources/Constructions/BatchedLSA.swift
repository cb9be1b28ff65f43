@preconcurrency import CGSL
import Dispatch
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
    var gram: [Double] = []
    var product: [Double] = []
    var map: [Double] = []
    public init() {}

    /// Grows `buffer` to at least `count` entries (zero-filled once, in this thread).
    static func reserve(_ buffer: inout [Double], _ count: Int) {
        if buffer.count < count { buffer = [Double](repeating: 0, count: count) }
    }
}

extension LSAHead where Scalar == Double {
    /// One residual LSA head applied to every task of a batch, through the folded products
    /// `M = W_K^T W_Q` and `V = P W_V` (computed once per call): per task, with the context
    /// tokens `E` and all tokens `Z` (tokens as rows here),
    ///
    ///     G = E^T E  (D x D),   A = V G M,   Z <- Z + Z A^T,
    ///
    /// the same layer as `LSALayer.callAsFunction` (`Z + P W_V E (E^T W_K^T W_Q Z)`, re-associated:
    /// the same monomials, so the same forward-error bound). FLOPs per task
    /// `2 D^2 N + 4 D^3 + 2 D^2 (N+1)`, plus `4 D^3` for the folding: fewer than the attention
    /// form's `8 D^2 (N+1) + 4 D N (N+1)` once `N > D`.
    /// Pass the same `workspace` to repeated calls to reuse its memory; a workspace must not be
    /// shared by concurrent calls.
    public func forward(_ tokens: BatchedTokens, workspace: LSAWorkspace = LSAWorkspace()) -> BatchedTokens {
        precondition(tokens.tokenDimension == key.rows, "tokens have dimension \(tokens.tokenDimension), the head expects \(key.rows)")
        let m = gemm(key, query, transposeA: true), v = projection * value
        return tokens.tokenDimension <= 32 ? forwardSIMD(tokens, m, v) : forwardBLAS(tokens, m, v, workspace)
    }

    /// FLOPs of one `forward` call: the folding and, per task, `G`, `A` and `Z A^T`.
    public static func forwardFlops(tokenDimension D: Int, contextCount n: Int, tasks: Int) -> Double {
        let d = Double(D), per = 2 * d * d * Double(n) + 4 * d * d * d + 2 * d * d * Double(n + 1)
        return 4 * d * d * d + Double(tasks) * per
    }

    /// Small tasks: widths padded to a multiple of 4, `Linalg.SmallProducts` (SIMD4 loops), one
    /// task at a time in L1, tasks spread over the cores in chunks.
    private func forwardSIMD(_ tokens: BatchedTokens, _ m: Matrix<Double>, _ v: Matrix<Double>) -> BatchedTokens {
        let D = tokens.tokenDimension, n = tokens.contextCount, per = tokens.tokensPerTask
        let Dp = SmallProducts.paddedWidth(D)
        func padded(_ w: Matrix<Double>) -> [Double] {
            var out = [Double](repeating: 0, count: Dp * Dp)
            for i in 0..<D { for j in 0..<D { out[i * Dp + j] = w[i, j] } }
            return out
        }
        let mp = padded(m), vp = padded(v)
        var out = tokens.elements
        let chunk = 64, chunks = (tokens.taskCount + chunk - 1) / chunk
        tokens.elements.withUnsafeBufferPointer { zAll in
        out.withUnsafeMutableBufferPointer { outAll in
        mp.withUnsafeBufferPointer { mp in
        vp.withUnsafeBufferPointer { vp in
            nonisolated(unsafe) let (zAll, outAll, mp, vp) = (zAll, outAll, mp, vp)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var scratch = [Double](repeating: 0, count: 4 * Dp * Dp + 2 * per * Dp)
                scratch.withUnsafeMutableBufferPointer { s in
                    let g = s.baseAddress!, r = g + Dp * Dp, a = r + Dp * Dp, at = a + Dp * Dp
                    let z = at + Dp * Dp, o = z + per * Dp
                    for b in (c * chunk)..<min(tokens.taskCount, (c + 1) * chunk) {
                        let src = zAll.baseAddress! + b * per * D
                        for t in 0..<per {
                            for col in 0..<D { z[t * Dp + col] = src[t * D + col] }
                            for col in D..<Dp { z[t * Dp + col] = 0 }
                        }
                        SmallProducts.product(z, lda: Dp, transposeA: true, z, ldb: Dp, g, ldc: Dp, m: Dp, n: Dp, k: n, accumulate: false)
                        SmallProducts.product(vp.baseAddress!, lda: Dp, transposeA: false, g, ldb: Dp, r, ldc: Dp, m: Dp, n: Dp, k: Dp, accumulate: false)
                        SmallProducts.product(r, lda: Dp, transposeA: false, mp.baseAddress!, ldb: Dp, a, ldc: Dp, m: Dp, n: Dp, k: Dp, accumulate: false)
                        for i in 0..<Dp { for j in 0..<Dp { at[j * Dp + i] = a[i * Dp + j] } }
                        o.update(from: z, count: per * Dp)
                        SmallProducts.product(z, lda: Dp, transposeA: false, at, ldb: Dp, o, ldc: Dp, m: per, n: Dp, k: Dp, accumulate: true)
                        let dst = outAll.baseAddress! + b * per * D
                        for t in 0..<per { for col in 0..<D { dst[t * D + col] = o[t * Dp + col] } }
                    }
                }
            }
        } } } }
        return BatchedTokens(tokenDimension: D, contextCount: n, taskCount: tokens.taskCount, elements: out)
    }

    /// Large tasks: per task `G = E^T E`, `V G`, `A = (V G) M` and `Z + Z A^T` by `dgemm`.
    private func forwardBLAS(_ tokens: BatchedTokens, _ m: Matrix<Double>, _ v: Matrix<Double>, _ workspace: LSAWorkspace) -> BatchedTokens {
        let D = tokens.tokenDimension, n = tokens.contextCount, per = tokens.tokensPerTask
        LSAWorkspace.reserve(&workspace.gram, D * D)
        LSAWorkspace.reserve(&workspace.product, D * D)
        LSAWorkspace.reserve(&workspace.map, D * D)
        var out = tokens.elements
        tokens.elements.withUnsafeBufferPointer { z in
        workspace.gram.withUnsafeMutableBufferPointer { g in
        workspace.product.withUnsafeMutableBufferPointer { r in
        workspace.map.withUnsafeMutableBufferPointer { a in
        m.elements.withUnsafeBufferPointer { mp in
        v.elements.withUnsafeBufferPointer { vp in
        out.withUnsafeMutableBufferPointer { o in
            for b in 0..<tokens.taskCount {
                let zb = z.baseAddress! + b * per * D
                gemm(zb, zb, g.baseAddress!, m: D, n: D, k: n, lda: D, ldb: D, ldc: D, transposeA: true)
                gemm(vp.baseAddress!, g.baseAddress!, r.baseAddress!, m: D, n: D, k: D, lda: D, ldb: D, ldc: D)
                gemm(r.baseAddress!, mp.baseAddress!, a.baseAddress!, m: D, n: D, k: D, lda: D, ldb: D, ldc: D)
                gemm(zb, a.baseAddress!, o.baseAddress! + b * per * D, m: per, n: D, k: D, lda: D, ldb: D, ldc: D, transposeB: true, beta: 1)
            }
        } } } } } } }
        return BatchedTokens(tokenDimension: D, contextCount: n, taskCount: tokens.taskCount, elements: out)
    }
}
