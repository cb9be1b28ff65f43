@preconcurrency import CGSL
import Glibc
import Linalg

/// The minimizer of the loss over `xi` alone, at fixed `(beta, alpha)`.
///
/// With `a = alpha y(beta)` fixed the loss is `log(1 + (N-1) e^{-xi (p-q)} + (L-N) e^{-xi p})`,
/// a log-sum-exp of functions linear in `xi`, hence convex in `xi`. It has a finite
/// minimizer exactly when the two slopes pull in opposite directions: `N >= 2`, `L > N` and
/// `p - q < 0`, i.e. `a < 0`. Setting `dLoss/dxi = -(w1 (p-q) + w2 p) = 0` gives
///
///     xi* = log((L-N) p / ((N-1) (q - p))) / q        (using p - (p - q) = q),
///
/// which `closedForm` reports beside Brent's answer as an independent check.
public struct XiMinimum: Sendable {
    public var xi: Double
    public var loss: Double
    /// The closed form above.
    public var closedForm: Double
    public var iterations: Int
    public var evaluations: Int
    /// Final bracket `[lower, upper]` of the root of `dLoss/dxi` (`gsl_root_fsolver_x_lower/upper`).
    public var lower: Double
    public var upper: Double
    /// Whether the bracket met the tolerance within the iteration limit.
    public var converged: Bool
}

/// Why there is no finite `xi*`.
public enum XiMinimumAbsence: Error, Sendable, CustomStringConvertible {
    /// `a >= 0`: the loss decreases in `xi` without bound on `xi` (to 0 if a > 0, to log N if a = 0).
    case decreasingInXi(a: Double)
    /// `N = 1` or `L = N`: one of the two terms is absent and the loss is monotone in `xi`.
    case singleTerm

    public var description: String {
        switch self {
        case .decreasingInXi(let a):
            return "no finite xi*: a = alpha y(beta) = \(a) >= 0, so the loss decreases monotonically as xi grows"
        case .singleTerm:
            return "no finite xi*: with N = 1 or L = N the loss is monotone in xi"
        }
    }
}

extension ReddyModel {
    /// Minimizes over `xi` by finding the root of `dLoss/dxi` with GSL's Brent root finder
    /// (`gsl_root_fsolver_brent`) after bracketing it: from `xi = 0` the step doubles in the
    /// downhill direction until the derivative changes sign, so the minimizer is always
    /// interior to the final bracket. The derivative, not the loss, is searched because far
    /// from the origin the loss can be flat to within its rounding over a wide range (at
    /// `alpha = -650` it changes by about 1e-15 of log L between xi = -592 and xi = -1022)
    /// while `dLoss/dxi = -(w1 (p-q) + w2 p)` keeps its relative accuracy.
    /// Returns `.failure` with the reason when no finite minimizer exists.
    ///
    /// - Parameter relativeTolerance: `gsl_root_test_interval` stops when the bracket is below
    ///   this relative width (or the derivative is exactly zero).
    @_specialize(exported: true, where Attention == SoftmaxAttention)
    @_specialize(exported: true, where Attention == DirectAttention)
    public func minimizeXi(beta: Double, alpha: Double, relativeTolerance: Double = 1e-13,
                           maxIterations: Int = 200) throws -> Result<XiMinimum, XiMinimumAbsence> {
        disableGSLAbort()
        let a = alpha * attention(beta).y
        guard contextPairs >= 2 && labels > contextPairs else { return .failure(.singleTerm) }
        guard a < 0 else { return .failure(.decreasingInXi(a: a)) }
        let two = LayerTwoAttention(a: a, twoN: twoN)
        let closed = log(Double(labels - contextPairs) * two.p / (Double(contextPairs - 1) * -two.pmq)) / two.q

        let slope = Line { xi in self.lossAndGradient(at: ReddyPoint(beta: beta, alpha: alpha, xi: xi)).gradient[2] }  // dLoss/dxi
        // Bracket: the derivative is increasing (convexity); walk from 0 towards its root.
        let d0 = slope(0)
        if d0 == 0 {
            return .success(XiMinimum(xi: 0, loss: loss(at: ReddyPoint(beta: beta, alpha: alpha, xi: 0)), closedForm: closed, iterations: 0,
                                      evaluations: slope.evaluations, lower: 0, upper: 0, converged: true))
        }
        let direction = d0 < 0 ? 1.0 : -1.0
        var near = 0.0, far = direction
        while (slope(far) < 0) == (d0 < 0) {
            near = far
            far *= 2
            guard far.isFinite, far.magnitude < 1e300 else {
                throw GSLError(operation: "bracketing xi* (dLoss/dxi keeps its sign up to |xi| = \(near.magnitude))",
                               status: Int32(GSL_EMAXITER))
            }
        }
        let (lower, upper) = near < far ? (near, far) : (far, near)
        let root = try brentRoot(slope, lower: lower, upper: upper, relativeTolerance: relativeTolerance,
                                 maxIterations: maxIterations)
        return .success(XiMinimum(xi: root.x, loss: loss(at: ReddyPoint(beta: beta, alpha: alpha, xi: root.x)), closedForm: closed,
                                  iterations: root.iterations, evaluations: slope.evaluations, lower: root.lower,
                                  upper: root.upper, converged: root.converged))
    }
}
