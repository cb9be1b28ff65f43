@preconcurrency import CGSL

/// Why a solve could not be done.
public enum LinalgError: Error, CustomStringConvertible, Equatable {
    case notSquare(rows: Int, cols: Int)
    case shapeMismatch(String)
    case singular
    case notPositiveDefinite

    public var description: String {
        switch self {
        case let .notSquare(r, c): "expected a square matrix, got \(r) x \(c)"
        case let .shapeMismatch(s): "shape mismatch: \(s)"
        case .singular: "the matrix is singular"
        case .notPositiveDefinite: "the matrix is not symmetric positive definite"
        }
    }
}

extension Matrix where Scalar == Double {
    /// Runs `body` on a GSL view of a copy of `self` (GSL factorizations work in place).
    private func withGSLCopy<R>(_ body: (UnsafeMutablePointer<gsl_matrix>) throws -> R) rethrows -> R {
        var copy = elements
        return try copy.withUnsafeMutableBufferPointer { buffer in
            var view = gsl_matrix_view_array(buffer.baseAddress, rows, cols)
            return try body(&view.matrix)
        }
    }

    /// LU factorization with partial pivoting (`gsl_linalg_LU_decomp`), then `body` on it.
    private func withLU<R>(_ body: (UnsafeMutablePointer<gsl_matrix>, UnsafeMutablePointer<gsl_permutation>) throws -> R) throws -> R {
        guard isSquare else { throw LinalgError.notSquare(rows: rows, cols: cols) }
        disableGSLAbort()
        return try withGSLCopy { lu in
            let perm = gsl_permutation_alloc(rows)!
            defer { gsl_permutation_free(perm) }
            var signum: Int32 = 0
            try checkGSL(gsl_linalg_LU_decomp(lu, perm, &signum), "gsl_linalg_LU_decomp")
            for i in 0..<rows where gsl_matrix_get(lu, i, i) == 0 { throw LinalgError.singular }
            return try body(lu, perm)
        }
    }

    /// Solves `A X = B` by LU with partial pivoting (`gsl_linalg_LU_svx` on each column, in place).
    public func solve(_ b: Matrix<Double>) throws -> Matrix<Double> {
        guard b.rows == rows else { throw LinalgError.shapeMismatch("A is \(rows)x\(cols), B has \(b.rows) rows") }
        return try withLU { lu, perm in
            var x = Matrix<Double>(rows: rows, cols: b.cols)
            var column = [Double](repeating: 0, count: rows)
            for j in 0..<b.cols {
                for i in 0..<rows { column[i] = b[i, j] }
                try column.withUnsafeMutableBufferPointer { buf in
                    var v = gsl_vector_view_array(buf.baseAddress, rows)
                    try checkGSL(gsl_linalg_LU_svx(lu, perm, &v.vector), "gsl_linalg_LU_svx")
                }
                for i in 0..<rows { x[i, j] = column[i] }
            }
            return x
        }
    }

    /// `A^{-1}` by LU (`gsl_linalg_LU_invert`).
    public func inverse() throws -> Matrix<Double> {
        try withLU { lu, perm in
            var inv = Matrix<Double>(rows: rows, cols: cols)
            try inv.elements.withUnsafeMutableBufferPointer { buf in
                var view = gsl_matrix_view_array(buf.baseAddress, rows, cols)
                try checkGSL(gsl_linalg_LU_invert(lu, perm, &view.matrix), "gsl_linalg_LU_invert")
            }
            return inv
        }
    }

    /// `log |det A|` by LU.
    public func logAbsDeterminant() throws -> Double {
        try withLU { lu, _ in gsl_linalg_LU_lndet(lu) }
    }

    /// The lower Cholesky factor `L` with `A = L L^T` (`gsl_linalg_cholesky_decomp1`).
    /// Throws `notPositiveDefinite` if `A` is not SPD.
    public func cholesky() throws -> Matrix<Double> {
        guard isSquare else { throw LinalgError.notSquare(rows: rows, cols: cols) }
        disableGSLAbort()
        return try withGSLCopy { m in
            let status = gsl_linalg_cholesky_decomp1(m)
            if status == GSL_EDOM { throw LinalgError.notPositiveDefinite }
            try checkGSL(status, "gsl_linalg_cholesky_decomp1")
            return Matrix(rows: rows, cols: cols) { i, j in j <= i ? gsl_matrix_get(m, i, j) : 0 }
        }
    }
}

extension Matrix {
    /// `A^{-1}` by Gauss-Jordan elimination, exact for `Rational` (pivot: first nonzero entry).
    public func exactInverse() throws -> Matrix {
        guard isSquare else { throw LinalgError.notSquare(rows: rows, cols: cols) }
        let n = rows
        var a = self
        var inv = Matrix.identity(n)
        for col in 0..<n {
            guard let pivot = (col..<n).first(where: { a[$0, col] != .zero }) else { throw LinalgError.singular }
            if pivot != col {
                for j in 0..<n {
                    (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j])
                    (inv[col, j], inv[pivot, j]) = (inv[pivot, j], inv[col, j])
                }
            }
            let p = a[col, col]
            for j in 0..<n { a[col, j] = a[col, j] / p; inv[col, j] = inv[col, j] / p }
            for i in 0..<n where i != col && a[i, col] != .zero {
                let f = a[i, col]
                for j in 0..<n { a[i, j] = a[i, j] - f * a[col, j]; inv[i, j] = inv[i, j] - f * inv[col, j] }
            }
        }
        return inv
    }
}
