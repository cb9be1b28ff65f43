import CVectorMath

extension Matrix where Scalar == RunningError {
    /// `naiveProduct` on running-error scalars without the generic element access (and eight
    /// columns at a time on AVX-512F or AVX2, through `icl_running_product`): the same
    /// operations in the same order (`c_ij = c_ij + a_ik b_kj` for `k = 0, 1, ...`, exact zeros
    /// of `a` skipped), so values and bounds are bit-identical to the generic loop, which spent
    /// most of `icl verify`'s time in subscripts (callgrind: 69% of a multistep run).
    @usableFromInline
    static func runningProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
        let (m, inner, n) = (a.rows, a.cols, b.cols)
        let (u, eta) = (RunningError.roundoff, Double.leastNonzeroMagnitude)
        // Eight columns at a time where the CPU has AVX-512F or AVX2 (CVectorMath, the same
        // operations), reading and writing the (value, error) pairs in place.
        if RunningError.isPairOfDoubles {
            var vectorized = false
            let elements = [RunningError](unsafeUninitializedCapacity: m * n) { c, count in
                a.elements.withUnsafeBytes { pa in
                    b.elements.withUnsafeBytes { pb in
                        vectorized = icl_running_product(pa.baseAddress!.assumingMemoryBound(to: Double.self),
                                                         pb.baseAddress!.assumingMemoryBound(to: Double.self),
                                                         UnsafeMutableRawPointer(c.baseAddress!).assumingMemoryBound(to: Double.self),
                                                         m, inner, n, u) != 0
                    }
                }
                count = vectorized ? m * n : 0
            }
            if vectorized { return Matrix(rows: m, cols: n, elements: elements) }
        }
        var values = [Double](repeating: 0, count: m * n), errors = [Double](repeating: 0, count: m * n)
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                values.withUnsafeMutableBufferPointer { cv in
                    errors.withUnsafeMutableBufferPointer { ce in
                        for i in 0..<m {
                            for k in 0..<inner {
                                let aik = pa[i * inner + k]
                                if aik.value == 0 && aik.error == 0 { continue }
                                let (av, ae, absA) = (aik.value, aik.error, Swift.abs(aik.value))
                                for j in 0..<n {
                                    let bkj = pb[k * n + j]
                                    let p = av * bkj.value
                                    let pe = (absA * bkj.error + Swift.abs(bkj.value) * ae + ae * bkj.error) + (u * Swift.abs(p) + eta)
                                    let s = cv[i * n + j] + p
                                    ce[i * n + j] = (ce[i * n + j] + pe) + u * Swift.abs(s)
                                    cv[i * n + j] = s
                                }
                            }
                        }
                    }
                }
            }
        }
        return Matrix(rows: m, cols: n, elements: zip(values, errors).map { RunningError(value: $0, error: $1) })
    }
}
