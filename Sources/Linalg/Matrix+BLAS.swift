@preconcurrency import CGSL
#if canImport(Glibc)
import Glibc
#endif

/// `C = alpha op(A) op(B) + beta C` through CBLAS `dgemm` (OpenBLAS at link time), on
/// row-major storage with leading dimensions (strided views of larger buffers allowed):
/// `op(A)` is `m x k`, `op(B)` is `k x n`, `C` is `m x n`.
public func gemm(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
                 m: Int, n: Int, k: Int, lda: Int, ldb: Int, ldc: Int,
                 transposeA: Bool = false, transposeB: Bool = false, alpha: Double = 1, beta: Double = 0) {
    cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// `C = alpha op(A) op(B)` for matrices (see the pointer form).
public func gemm(_ a: Matrix<Double>, _ b: Matrix<Double>,
                 transposeA: Bool = false, transposeB: Bool = false,
                 alpha: Double = 1) -> Matrix<Double> {
    let m = transposeA ? a.cols : a.rows
    let k = transposeA ? a.rows : a.cols
    let kb = transposeB ? b.cols : b.rows
    let n = transposeB ? b.rows : b.cols
    precondition(k == kb, "gemm: inner dimensions \(k) and \(kb) differ")
    var c = Matrix<Double>(rows: m, cols: n)
    if m == 0 || n == 0 || k == 0 { return c }
    a.elements.withUnsafeBufferPointer { pa in
        b.elements.withUnsafeBufferPointer { pb in
            c.elements.withUnsafeMutableBufferPointer { pc in
                gemm(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!, m: m, n: n, k: k,
                     lda: max(a.cols, 1), ldb: max(b.cols, 1), ldc: max(n, 1),
                     transposeA: transposeA, transposeB: transposeB, alpha: alpha)
            }
        }
    }
    return c
}

/// `y = alpha op(A) x` through CBLAS `dgemv`; `x` is an array of length `op(A).cols`.
public func gemv(_ a: Matrix<Double>, _ x: [Double], transpose: Bool = false, alpha: Double = 1) -> [Double] {
    let outCount = transpose ? a.cols : a.rows
    let inCount = transpose ? a.rows : a.cols
    precondition(x.count == inCount, "gemv: vector has \(x.count) entries, expected \(inCount)")
    var y = [Double](repeating: 0, count: outCount)
    if outCount == 0 || inCount == 0 { return y }
    a.elements.withUnsafeBufferPointer { pa in
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                cblas_dgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans,
                            Int32(a.rows), Int32(a.cols), alpha, pa.baseAddress, Int32(max(a.cols, 1)),
                            px.baseAddress, 1, 0, py.baseAddress, 1)
            }
        }
    }
    return y
}

/// The shared library that provides `cblas_dgemm` at run time (to confirm it is OpenBLAS,
/// not GSL's reference `gslcblas`): the mapping in `/proc/self/maps` that holds its address.
public func cblasProvider() -> String {
    typealias Dgemm = @convention(c) (CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, Int32, Int32, Int32, Double,
                                      UnsafePointer<Double>?, Int32, UnsafePointer<Double>?, Int32, Double,
                                      UnsafeMutablePointer<Double>?, Int32) -> Void
    let address = UInt(bitPattern: unsafeBitCast(cblas_dgemm as Dgemm, to: UnsafeRawPointer.self))
    guard let file = fopen("/proc/self/maps", "r") else { return "unknown" }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 4096)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(cString: line)
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        let range = fields.first?.split(separator: "-") ?? []
        guard fields.count >= 6, range.count == 2, let lo = UInt(range[0], radix: 16), let hi = UInt(range[1], radix: 16) else { continue }
        if (lo..<hi).contains(address) { return String(fields[5].filter { !$0.isNewline }) }
    }
    return "unknown"
}
