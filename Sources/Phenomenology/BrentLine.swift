@preconcurrency import CGSL
import Linalg

/// A one-variable function handed to GSL as its `params` pointer, counting evaluations.
final class Line {
    let f: (Double) -> Double
    var evaluations = 0
    init(_ f: @escaping (Double) -> Double) { self.f = f }

    func callAsFunction(_ x: Double) -> Double {
        evaluations += 1
        return f(x)
    }
}

/// The result of `brentMinimize`.
struct BrentResult {
    var x: Double, value: Double, lower: Double, upper: Double, iterations: Int, converged: Bool
}

/// Minimizes `line` with `gsl_min_fminimizer_brent` from a bracket `lower < middle < upper`
/// with `f(middle) < f(lower), f(upper)` (values passed in, not re-evaluated), until
/// `gsl_min_test_interval(lower, upper, absoluteTolerance, relativeTolerance)` holds.
func brentMinimize(_ line: Line, lower: (Double, Double), middle: (Double, Double), upper: (Double, Double),
                   absoluteTolerance: Double = 0, relativeTolerance: Double = 1e-10, maxIterations: Int = 500) throws -> BrentResult {
    disableGSLAbort()
    guard let s = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent) else {
        throw GSLError(operation: "gsl_min_fminimizer_alloc(brent)", status: Int32(GSL_ENOMEM))
    }
    defer { gsl_min_fminimizer_free(s) }
    var function = gsl_function(
        function: { x, ctx in Unmanaged<Line>.fromOpaque(ctx!).takeUnretainedValue()(x) },
        params: Unmanaged.passUnretained(line).toOpaque())
    return try withExtendedLifetime(line) {
        try checkGSL(gsl_min_fminimizer_set_with_values(s, &function, middle.0, middle.1, lower.0, lower.1, upper.0, upper.1),
                     "gsl_min_fminimizer_set (bracket [\(lower.0), \(upper.0)] around \(middle.0))")
        var iterations = 0
        var converged = false
        while iterations < maxIterations && !converged {
            iterations += 1
            try checkGSL(gsl_min_fminimizer_iterate(s), "gsl_min_fminimizer_iterate(brent)")
            converged = gsl_min_test_interval(gsl_min_fminimizer_x_lower(s), gsl_min_fminimizer_x_upper(s),
                                              absoluteTolerance, relativeTolerance) == Int32(GSL_SUCCESS)
        }
        return BrentResult(x: gsl_min_fminimizer_x_minimum(s), value: gsl_min_fminimizer_f_minimum(s),
                           lower: gsl_min_fminimizer_x_lower(s), upper: gsl_min_fminimizer_x_upper(s), iterations: iterations,
                           converged: converged)
    }
}

/// Finds a root of `line` with `gsl_root_fsolver_brent` in `[lower, upper]`, where the values
/// at the ends have opposite signs, until `gsl_root_test_interval(lower, upper, 0,
/// relativeTolerance)` holds or the value is exactly zero.
func brentRoot(_ line: Line, lower: Double, upper: Double, relativeTolerance: Double, maxIterations: Int = 500) throws -> BrentResult {
    disableGSLAbort()
    guard let s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent) else {
        throw GSLError(operation: "gsl_root_fsolver_alloc(brent)", status: Int32(GSL_ENOMEM))
    }
    defer { gsl_root_fsolver_free(s) }
    var function = gsl_function(
        function: { x, ctx in Unmanaged<Line>.fromOpaque(ctx!).takeUnretainedValue()(x) },
        params: Unmanaged.passUnretained(line).toOpaque())
    return try withExtendedLifetime(line) {
        try checkGSL(gsl_root_fsolver_set(s, &function, lower, upper), "gsl_root_fsolver_set (bracket [\(lower), \(upper)])")
        var iterations = 0
        var converged = false
        while iterations < maxIterations && !converged {
            iterations += 1
            try checkGSL(gsl_root_fsolver_iterate(s), "gsl_root_fsolver_iterate(brent)")
            let (lo, hi) = (gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s))
            converged = lo == hi || gsl_root_test_interval(lo, hi, 0, relativeTolerance) == Int32(GSL_SUCCESS)
        }
        let x = gsl_root_fsolver_root(s)
        return BrentResult(x: x, value: line.f(x), lower: gsl_root_fsolver_x_lower(s), upper: gsl_root_fsolver_x_upper(s),
                           iterations: iterations, converged: converged)
    }
}
