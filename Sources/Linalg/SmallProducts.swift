import CVectorMath

/// `C (+)= op(A) B` for the small matrices of one in-context task (`D` up to a few dozen), on
/// row-major storage, without BLAS's per-call overhead: `op(A)` is `m x k`, stored `m x k` with
/// leading dimension `lda` or, with `transposeA`, `k x m`; `B` is `k x n` and `n` must be a
/// multiple of 4 (pad widths with `paddedWidth`: zero padding changes no sum). Blocks of 4 rows
/// x 4 columns keep four independent `SIMD4<Double>` accumulators; the sum over `p` runs in
/// increasing order, so results are deterministic. On a CPU with AVX the same loops run in C on
/// 256-bit registers (`icl_small_product`: the same products and sums in the same order, no fused
/// multiply-add, so the same bits), about twice as fast as Swift's baseline SSE2 code.
public enum SmallProducts {
    /// `D` rounded up to a multiple of 4.
    @inlinable
    public static func paddedWidth(_ D: Int) -> Int { (D + 3) / 4 * 4 }

    @inlinable @inline(__always)
    public static func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> { UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self) }

    @inlinable @inline(__always)
    public static func store(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self)
    }

    @inlinable
    public static func product(_ a: UnsafePointer<Double>, lda: Int, transposeA: Bool,
                               _ b: UnsafePointer<Double>, ldb: Int,
                               _ c: UnsafeMutablePointer<Double>, ldc: Int,
                               m: Int, n: Int, k: Int, accumulate: Bool) {
        precondition(n % 4 == 0, "SmallProducts.product needs n % 4 == 0, got \(n)")
        if icl_small_product(a, lda, transposeA ? 1 : 0, b, ldb, c, ldc, m, n, k, accumulate ? 1 : 0) != 0 { return }
        let rowStride = transposeA ? 1 : lda, depthStride = transposeA ? lda : 1
        let groups = n / 4
        var i = 0
        while i + 4 <= m {
            let a0 = a + i * rowStride, a1 = a0 + rowStride, a2 = a1 + rowStride, a3 = a2 + rowStride
            for g in 0..<groups {
                let col = 4 * g
                let c0 = c + i * ldc + col, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc
                var s0 = accumulate ? load(c0) : .zero, s1 = accumulate ? load(c1) : .zero
                var s2 = accumulate ? load(c2) : .zero, s3 = accumulate ? load(c3) : .zero
                var bp = b + col
                var o = 0
                for _ in 0..<k {
                    let bv = load(bp)
                    s0 += SIMD4(repeating: a0[o]) * bv
                    s1 += SIMD4(repeating: a1[o]) * bv
                    s2 += SIMD4(repeating: a2[o]) * bv
                    s3 += SIMD4(repeating: a3[o]) * bv
                    bp += ldb
                    o += depthStride
                }
                store(s0, c0); store(s1, c1); store(s2, c2); store(s3, c3)
            }
            i += 4
        }
        while i < m {
            let ai = a + i * rowStride
            for g in 0..<groups {
                let ci = c + i * ldc + 4 * g
                var s = accumulate ? load(ci) : .zero
                var bp = b + 4 * g
                var o = 0
                for _ in 0..<k {
                    s += SIMD4(repeating: ai[o]) * load(bp)
                    bp += ldb
                    o += depthStride
                }
                store(s, ci)
            }
            i += 1
        }
    }
}
