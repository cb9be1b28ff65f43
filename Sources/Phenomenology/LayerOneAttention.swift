import Glibc

/// The layer-1 attention `y` and its first two derivatives at one value of its parameter.
public struct AttentionValue: Sendable, Equatable {
    /// `y`, the attention a label token pays to the item before it.
    public var y: Double
    /// `dy/dbeta`.
    public var dy: Double
    /// `d^2y/dbeta^2`.
    public var d2y: Double

    public init(y: Double, dy: Double, d2y: Double) {
        self.y = y
        self.dy = dy
        self.d2y = d2y
    }
}

/// The map `beta -> y(beta)` from layer-1 position-position strength to the layer-1
/// attention `y` (REFERENCE.md section 4 gives the loss in terms of `y`, not `beta`).
///
/// This is a replaceable modelling choice: the loss, its gradient and Hessian, the
/// minimizers and the dynamics are generic over it. A conforming type returns `y` and its
/// first two derivatives (the chain rule for the gradient and the Hessian needs both).
public protocol LayerOneAttention: Sendable {
    /// A short name for reports ("softmax", "direct", ...).
    var name: String { get }
    /// The name of the first coordinate: "beta", or "y" when `y` is the coordinate itself.
    var coordinateName: String { get }
    /// `y(beta)`, `y'(beta)`, `y''(beta)`.
    func callAsFunction(_ beta: Double) -> AttentionValue
}

/// The documented default: the same softmax form the source uses for layer 2,
///
///     y(beta) = e^beta / (e^beta + 2N),   y' = y (1 - y),   y'' = y (1 - y) (1 - 2y).
///
/// So `y(0) = 1/(2N + 1)`: at `beta = 0` the label attends to all 2N + 1 tokens equally.
/// Numerics: for `beta >= 0` the form `1 / (1 + 2N e^-beta)` is used, for `beta < 0` the form
/// `e^beta / (e^beta + 2N)`; neither overflows, and `1 - y` is formed from the other term
/// (`2N e^-beta / (1 + 2N e^-beta)`), never by subtraction, so it keeps its relative accuracy
/// when `y -> 1`.
public struct SoftmaxAttention: LayerOneAttention {
    /// `2N`.
    public let twoN: Double
    public var name: String { "softmax" }
    public var coordinateName: String { "beta" }

    /// - Parameter contextPairs: `N`, the number of item-label pairs in the context.
    public init(contextPairs: Int) { twoN = 2 * Double(contextPairs) }

    @inlinable
    public func callAsFunction(_ beta: Double) -> AttentionValue {
        let y: Double, oneMinusY: Double
        if beta >= 0 {
            let e = twoN * exp(-beta)
            let den = 1 + e
            y = 1 / den
            oneMinusY = e / den
        } else {
            let e = exp(beta)
            let den = e + twoN
            y = e / den
            oneMinusY = twoN / den
        }
        let dy = y * oneMinusY
        return AttentionValue(y: y, dy: dy, d2y: dy * (oneMinusY - y))
    }
}

/// `y` given directly: the first coordinate is `y` itself (`y' = 1`, `y'' = 0`), so a user
/// can work in `(y, alpha, xi)`. An attention weight lies in (0, 1); the formulas accept any
/// real `y`.
public struct DirectAttention: LayerOneAttention {
    public var name: String { "direct" }
    public var coordinateName: String { "y" }
    public init() {}

    @inlinable
    public func callAsFunction(_ y: Double) -> AttentionValue { AttentionValue(y: y, dy: 1, d2y: 0) }
}

/// A monotone alternative for checking that a property does not depend on the choice of `y`:
///
///     y(beta) = lower + (upper - lower) s,   s = 1 / (1 + e^{-(slope beta + shift)}),
///     y' = (upper - lower) slope s (1 - s),  y'' = (upper - lower) slope^2 s (1 - s) (1 - 2s),
///
/// increasing in beta with values in (lower, upper) inside (0, 1) when `slope > 0` and
/// `0 <= lower < upper <= 1`.
public struct LogisticAttention: LayerOneAttention {
    public let lower: Double, upper: Double, slope: Double, shift: Double
    public var name: String { "logistic(lower: \(lower), upper: \(upper), slope: \(slope), shift: \(shift))" }
    public var coordinateName: String { "beta" }

    public init(lower: Double, upper: Double, slope: Double, shift: Double) {
        precondition(0 <= lower && lower < upper && upper <= 1 && slope > 0, "LogisticAttention needs 0 <= lower < upper <= 1 and slope > 0")
        self.lower = lower
        self.upper = upper
        self.slope = slope
        self.shift = shift
    }

    @inlinable
    public func callAsFunction(_ beta: Double) -> AttentionValue {
        let t = slope * beta + shift
        let s: Double, oneMinusS: Double
        if t >= 0 {
            let e = exp(-t)
            s = 1 / (1 + e)
            oneMinusS = e / (1 + e)
        } else {
            let e = exp(t)
            s = e / (1 + e)
            oneMinusS = 1 / (1 + e)
        }
        let width = upper - lower
        let ds = s * oneMinusS
        return AttentionValue(y: lower + width * s, dy: width * slope * ds,
                              d2y: width * slope * slope * ds * (oneMinusS - s))
    }
}
