@preconcurrency import CGSL
import Linalg

/// The matrix products one task needs, `C (+)= op(A) B` on row-major storage (`op(A)` is
/// `m x k`; `A` is stored `m x k` with leading dimension `lda`, or `k x m` when `transposeA`).
/// Two implementations, chosen once per batch by the sizes of a task:
/// `SIMDProducts` keeps a whole task in L1 and runs register-blocked `SIMD4<Double>` loops
/// (widths padded to a multiple of 4, so there are no remainder columns); `BLASProducts` calls
/// `dgemm` for tasks too large for that.
protocol TaskProducts {
    static func product(_ a: UnsafePointer<Double>, lda: Int, transposeA: Bool,
                        _ b: UnsafePointer<Double>, ldb: Int,
                        _ c: UnsafeMutablePointer<Double>, ldc: Int,
                        m: Int, n: Int, k: Int, accumulate: Bool)
    /// The padded width of a dimension `D` (a multiple of 4 for the SIMD loops).
    static func paddedWidth(_ D: Int) -> Int
    /// The Gram matrix `C = A^T A` (`n x n`) of `A` (`k x n`, leading dimension `lda`), symmetric.
    static func gram(_ a: UnsafePointer<Double>, lda: Int, _ c: UnsafeMutablePointer<Double>, ldc: Int, n: Int, k: Int)
}

extension TaskProducts {
    /// As one `product` (`A^T A` in full).
    static func gram(_ a: UnsafePointer<Double>, lda: Int, _ c: UnsafeMutablePointer<Double>, ldc: Int, n: Int, k: Int) {
        product(a, lda: lda, transposeA: true, a, ldb: lda, c, ldc: ldc, m: n, n: n, k: k, accumulate: false)
    }
}

enum BLASProducts: TaskProducts {
    @inline(__always)
    static func product(_ a: UnsafePointer<Double>, lda: Int, transposeA: Bool,
                        _ b: UnsafePointer<Double>, ldb: Int,
                        _ c: UnsafeMutablePointer<Double>, ldc: Int,
                        m: Int, n: Int, k: Int, accumulate: Bool) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        gemm(a, b, c, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc, transposeA: transposeA, beta: accumulate ? 1 : 0)
    }

    static func paddedWidth(_ D: Int) -> Int { D }

    /// `dsyrk` on the upper triangle (half the multiplications of `dgemm`), mirrored below.
    static func gram(_ a: UnsafePointer<Double>, lda: Int, _ c: UnsafeMutablePointer<Double>, ldc: Int, n: Int, k: Int) {
        if n == 0 { return }
        if k == 0 { for i in 0..<n { (c + i * ldc).update(repeating: 0, count: n) }; return }
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(k), 1, a, Int32(lda), 0, c, Int32(ldc))
        for i in 1..<n { for j in 0..<i { c[i * ldc + j] = c[j * ldc + i] } }
    }
}

/// `Linalg.SmallProducts` (register-blocked `SIMD4` loops) as a `TaskProducts`.
enum SIMDProducts: TaskProducts {
    static func paddedWidth(_ D: Int) -> Int { SmallProducts.paddedWidth(D) }

    @inline(__always)
    static func product(_ a: UnsafePointer<Double>, lda: Int, transposeA: Bool,
                        _ b: UnsafePointer<Double>, ldb: Int,
                        _ c: UnsafeMutablePointer<Double>, ldc: Int,
                        m: Int, n: Int, k: Int, accumulate: Bool) {
        SmallProducts.product(a, lda: lda, transposeA: transposeA, b, ldb: ldb, c, ldc: ldc, m: m, n: n, k: k, accumulate: accumulate)
    }
}
