extension Matrix {
    @inlinable
    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.cols == b.cols, "adding \(a.rows)x\(a.cols) and \(b.rows)x\(b.cols)")
        var c = a
        for k in c.elements.indices { c.elements[k] = a.elements[k] + b.elements[k] }
        return c
    }

    @inlinable
    public static func - (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.cols == b.cols, "subtracting \(a.rows)x\(a.cols) and \(b.rows)x\(b.cols)")
        var c = a
        for k in c.elements.indices { c.elements[k] = a.elements[k] - b.elements[k] }
        return c
    }

    @inlinable
    public static prefix func - (a: Matrix) -> Matrix { a.map { -$0 } }

    @inlinable
    public static func * (s: Scalar, a: Matrix) -> Matrix { a.map { s * $0 } }

    @inlinable
    public static func += (a: inout Matrix, b: Matrix) { a = a + b }

    @inlinable
    public static func -= (a: inout Matrix, b: Matrix) { a = a - b }

    /// The matrix product `a b`. `Double` goes through BLAS `dgemm`; other scalars use
    /// the triple loop `c_ij = sum_k a_ik b_kj` in the order `k = 0, 1, ...` (`RunningError`
    /// through a specialised copy of that loop).
    @inlinable
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.cols == b.rows, "multiplying \(a.rows)x\(a.cols) by \(b.rows)x\(b.cols)")
        if Scalar.self == Double.self {
            let product = gemm(unsafeBitCast(a, to: Matrix<Double>.self), unsafeBitCast(b, to: Matrix<Double>.self))
            return unsafeBitCast(product, to: Matrix.self)
        }
        if Scalar.self == RunningError.self {
            let product = Matrix<RunningError>.runningProduct(unsafeBitCast(a, to: Matrix<RunningError>.self),
                                                              unsafeBitCast(b, to: Matrix<RunningError>.self))
            return unsafeBitCast(product, to: Matrix.self)
        }
        return naiveProduct(a, b)
    }

    /// `c_ij = sum_k a_ik b_kj` without BLAS (used for exact and majorant scalars).
    @inlinable
    public static func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
        var c = Matrix(rows: a.rows, cols: b.cols)
        for i in 0..<a.rows {
            for k in 0..<a.cols {
                let aik = a[i, k]
                if aik == .zero { continue }
                for j in 0..<b.cols { c[i, j] = c[i, j] + aik * b[k, j] }
            }
        }
        return c
    }
}
