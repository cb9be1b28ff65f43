/// Levenberg-Marquardt for a least-squares loss `f(x) = (s/2) sum_b r_b(x)^2`, given at each point
/// its value, its gradient `g = s J^T r` and the Gauss-Newton matrix `H = s J^T J` (or any
/// positive semi-definite model of the Hessian). Each step solves
///
///     (H + mu diag(H)) delta = -g      (diag entries floored at 1e-12 max_i H_ii)
///
/// by LU and is accepted when `f` falls (or stays within 8 ulps and `|g|` falls); `mu` follows Nielsen's rule (accepted: times
/// `max(1/3, 1 - (2 rho - 1)^3)` with `rho` the actual over the predicted decrease; rejected:
/// times `nu`, `nu` doubling). It stops when `|g| <= tolerance` (converged), when no step of any
/// damping lowers `f` (no progress: `f` is minimal to rounding along every direction tried), or
/// after `maxIterations` accepted steps.
public enum LevenbergMarquardt {
    /// The value, gradient and Gauss-Newton matrix (`n x n`, row-major) at a point.
    public typealias Model = (value: Double, gradient: [Double], gaussNewton: [Double])

    public static func minimize(from start: [Double], tolerance: Double, maxIterations: Int,
                                evaluate: ([Double]) -> Model) -> Multimin.Result {
        let n = start.count
        var x = start, current = evaluate(x)
        var mu = 1e-3, nu = 2.0, iterations = 0, stop = Multimin.Stop.maxIterations
        func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        outer: while iterations < maxIterations {
            if norm(current.gradient) <= tolerance { stop = .converged; break }
            let largest = (0..<n).map { current.gaussNewton[$0 * n + $0] }.max() ?? 0
            while true {
                var a = Matrix<Double>(rows: n, cols: n, elements: current.gaussNewton)
                for i in 0..<n { a[i, i] += mu * max(a[i, i], 1e-12 * largest, .leastNormalMagnitude) }
                guard let delta = try? a.solve(Matrix(rows: n, cols: 1, elements: current.gradient.map { -$0 })).elements,
                      delta.allSatisfy(\.isFinite) else {
                    mu *= nu; nu *= 2
                    if mu > 1e30 { stop = .noProgress; break outer }
                    continue
                }
                let candidate = zip(x, delta).map { $0 + $1 }
                let next = evaluate(candidate)
                // Near the minimum `f` stops resolving the decrease (`f - f* ~ |g|^2 / lambda` falls
                // below its rounding): a step that keeps `f` within 8 ulps and lowers `|g|` is
                // progress too (`|g|` strictly falls, so no cycle).
                let lower = next.value < current.value
                    || (next.value <= current.value + 8 * current.value.ulp && norm(next.gradient) < norm(current.gradient))
                if next.value.isFinite && lower {
                    var curvature = 0.0
                    for i in 0..<n { for j in 0..<n { curvature += delta[i] * current.gaussNewton[i * n + j] * delta[j] } }
                    let predicted = -(zip(current.gradient, delta).reduce(0) { $0 + $1.0 * $1.1 } + curvature / 2)
                    let rho = predicted > 0 ? (current.value - next.value) / predicted : 0
                    mu *= max(1.0 / 3, 1 - pow3(2 * rho - 1))
                    nu = 2
                    (x, current) = (candidate, next)
                    iterations += 1
                    break
                }
                mu *= nu; nu *= 2
                if mu > 1e30 { stop = .noProgress; break outer }
            }
        }
        return Multimin.Result(point: x, value: current.value, gradient: current.gradient, gradientNorm: norm(current.gradient),
                               iterations: iterations, stop: stop, status: gslSuccess)
    }

    private static func pow3(_ t: Double) -> Double { t * t * t }
}
