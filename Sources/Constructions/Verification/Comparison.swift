import Linalg

/// Entrywise comparison of two floating-point results against a priori error bounds (used by
/// the tests; `icl verify` compares on `RunningError` scalars, `runningComparison` below).
///
/// `lhsMajorant`, `rhsMajorant` are the same computations run on `Majorant` inputs; with
/// `k` roundings along each side's longest chain, entry `(i, j)` may differ by at most
///
///     bound_ij = gamma_kl * lhsMajorant_ij + gamma_kr * rhsMajorant_ij.
public func boundedComparison(_ lhs: Matrix<Double>, _ rhs: Matrix<Double>,
                              lhsMajorant: Matrix<Majorant>, lhsRoundings: Int,
                              rhsMajorant: Matrix<Majorant>, rhsRoundings: Int,
                              signal: Double) -> CheckResult {
    let gl = gamma(lhsRoundings), gr = gamma(rhsRoundings)
    let bound = Matrix<Double>(rows: lhs.rows, cols: lhs.cols, elements: zip(lhsMajorant.elements, rhsMajorant.elements).map {
        gl * $0.value + gr * $1.value
    })
    return boundedComparison(lhs, rhs, bound: bound, signal: signal)
}

/// Entrywise comparison of two sides evaluated on `RunningError` scalars: the values are the
/// floating-point results, and since the two exact results are equal (the theorem), entry
/// `(i, j)` may differ by at most `1.01 (e_lhs_ij + e_rhs_ij)` (the factor covers the rounding of
/// the error bounds' own arithmetic; see `RunningError`).
public func runningComparison(_ lhs: Matrix<RunningError>, _ rhs: Matrix<RunningError>, signal: Double) -> CheckResult {
    precondition(lhs.rows == rhs.rows && lhs.cols == rhs.cols, "comparing \(lhs.shape) with \(rhs.shape)")
    let bound = Matrix<Double>(rows: lhs.rows, cols: lhs.cols, elements: zip(lhs.elements, rhs.elements).map { 1.01 * ($0.error + $1.error) })
    return boundedComparison(lhs.map(\.value), rhs.map(\.value), bound: bound, signal: signal)
}

/// Entrywise comparison against a given bound matrix: holds when `|lhs_ij - rhs_ij| <= bound_ij`
/// for every entry (a NaN never does).
public func boundedComparison(_ lhs: Matrix<Double>, _ rhs: Matrix<Double>, bound: Matrix<Double>,
                              signal: Double) -> CheckResult {
    precondition(lhs.rows == rhs.rows && lhs.cols == rhs.cols && bound.rows == lhs.rows && bound.cols == lhs.cols,
                 "comparing \(lhs.shape) with \(rhs.shape) under a \(bound.shape) bound")
    var maxError = 0.0, within = true
    for k in lhs.elements.indices {
        let error = Swift.abs(lhs.elements[k] - rhs.elements[k])
        if !(error <= bound.elements[k]) { within = false }
        maxError = Swift.max(maxError, error.isNaN ? .infinity : error)
    }
    return CheckResult(error: maxError, bound: bound.maxAbs, signal: signal, withinBound: within, exact: false)
}

/// Exact comparison: the sides must be equal; `error` reports `max |lhs - rhs|` as a `Double`.
public func exactComparison(_ lhs: Matrix<Rational>, _ rhs: Matrix<Rational>) -> CheckResult {
    precondition(lhs.rows == rhs.rows && lhs.cols == rhs.cols, "comparing \(lhs.shape) with \(rhs.shape)")
    let error = zip(lhs.elements, rhs.elements).reduce(0.0) { Swift.max($0, Swift.abs(($1.0 - $1.1).doubleValue)) }
    return CheckResult(error: error, bound: 0, signal: 0, withinBound: lhs == rhs, exact: true)
}

/// Entry `|x|` for every entry of a `Double` matrix, as majorants.
public func majorant(_ m: Matrix<Double>) -> Matrix<Majorant> { m.map { Majorant(magnitude: $0) } }
/// Entries converted exactly to rationals.
public func exact(_ m: Matrix<Double>) -> Matrix<Rational> { m.map { Rational(approximating: $0) } }
