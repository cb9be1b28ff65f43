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
    /// Final bracket `[lower, upper]` from `gsl_min_fminimizer_x_lower/upper`.
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
    /// Minimizes over `xi` with GSL's Brent method (`gsl_min_fminimizer_brent`), after
    /// bracketing the minimum by doubling steps. Returns `.failure` with the reason when no
    /// finite minimizer exists.
    ///
    /// - Parameter relativeTolerance: `gsl_min_test_interval` stops when the bracket is below
    ///   this relative width. Near a minimum the loss is flat to second order, so values differ
    ///   only beyond `sqrt(eps) ~ 1.5e-8` relative in `xi`: tighter tolerances cannot be met.
    @_specialize(exported: true, where Attention == SoftmaxAttention)
    @_specialize(exported: true, where Attention == DirectAttention)
    public func minimizeXi(beta: Double, alpha: Double, relativeTolerance: Double = 1e-7,
                           maxIterations: Int = 200) throws -> Result<XiMinimum, XiMinimumAbsence> {
        disableGSLAbort()
        let a = alpha * attention(beta).y
        guard contextPairs >= 2 && labels > contextPairs else { return .failure(.singleTerm) }
        guard a < 0 else { return .failure(.decreasingInXi(a: a)) }
        let two = LayerTwoAttention(a: a, twoN: twoN)
        let closed = log(Double(labels - contextPairs) * two.p / (Double(contextPairs - 1) * -two.pmq)) / two.q

        let line = Line { xi in self.loss(at: Parameters(beta, alpha, xi)) }
        let f = line.callAsFunction

        // Bracket: walk downhill from 0 with doubling steps until the loss rises.
        var left = 0.0, middle = 1.0
        var fLeft = f(left), fMiddle = f(middle)
        var step = 1.0
        if fMiddle > fLeft { (left, middle, fLeft, fMiddle) = (middle, left, fMiddle, fLeft); step = -1 }
        var right = middle + 2 * step, fRight = f(right)
        while fRight < fMiddle {
            guard right.magnitude < 1e300 else { throw GSLError(operation: "bracketing xi*", status: Int32(GSL_EMAXITER)) }
            step *= 2
            (left, fLeft, middle, fMiddle) = (middle, fMiddle, right, fRight)
            right = middle + 2 * step
            fRight = f(right)
        }
        let ends = left < right ? ((left, fLeft), (right, fRight)) : ((right, fRight), (left, fLeft))
        let result = try brentMinimize(line, lower: ends.0, middle: (middle, fMiddle), upper: ends.1,
                                       relativeTolerance: relativeTolerance, maxIterations: maxIterations)
        return .success(XiMinimum(xi: result.x, loss: result.value, closedForm: closed, iterations: result.iterations,
                                  evaluations: line.evaluations, lower: result.lower, upper: result.upper,
                                  converged: result.converged))
    }
}
