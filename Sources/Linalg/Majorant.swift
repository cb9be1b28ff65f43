/// A nonnegative magnitude that follows a computation's absolute values.
///
/// Running an algorithm on `Majorant` inputs `|a|` computes the same expression with every
/// subtraction turned into an addition: `a - b -> |a| + |b|`, `a * b -> |a| |b|`,
/// `a / b -> |a| / |b|`. For a computation made of sums of products, the floating-point
/// result satisfies, to first order in the unit roundoff `u = 2^-53`,
///
///     |fl(f(x)) - f(x)| <= gamma_k * majorant(f)(|x|),   gamma_k = k u / (1 - k u),
///
/// where `k` counts the sequential roundings along the longest chain (Higham, *Accuracy and
/// Stability of Numerical Algorithms*, 2nd ed., section 3.5): a tolerance derived from the
/// computation instead of a picked epsilon. `icl verify` bounds its floating-point checks with
/// `RunningError` instead (it follows this instance's cancellations); `Majorant` gives the a priori
/// bounds of the tests (`oneLayerComparison`, the batched LSA and kernel tests) and the
/// magnitude term `|Sigma| (|R^| + e_R) |Sigma|` of the `gaussian-optimum` check.
public struct Majorant: FieldScalar, Comparable {
    public var value: Double
    @inlinable public init(magnitude: Double) { value = Swift.abs(magnitude) }
    @inlinable public static var zero: Majorant { Majorant(magnitude: 0) }
    @inlinable public static var one: Majorant { Majorant(magnitude: 1) }
    @inlinable public init(_ value: Int) { self.init(magnitude: Double(value)) }
    @inlinable public init(approximating value: Double) { self.init(magnitude: value) }
    @inlinable public var doubleValue: Double { value }
    public var description: String { "|\(value)|" }
    @inlinable public static func + (a: Majorant, b: Majorant) -> Majorant { Majorant(magnitude: a.value + b.value) }
    @inlinable public static func - (a: Majorant, b: Majorant) -> Majorant { Majorant(magnitude: a.value + b.value) }
    @inlinable public static func * (a: Majorant, b: Majorant) -> Majorant { Majorant(magnitude: a.value * b.value) }
    @inlinable public static func / (a: Majorant, b: Majorant) -> Majorant { Majorant(magnitude: a.value / b.value) }
    @inlinable public static prefix func - (a: Majorant) -> Majorant { a }
    @inlinable public static func < (a: Majorant, b: Majorant) -> Bool { a.value < b.value }
}

/// The unit roundoff of `Double`, `u = 2^-53`.
public let unitRoundoff: Double = 0x1p-53

/// Higham's `gamma_k = k u / (1 - k u)`: the relative error bound of `k` sequential roundings.
public func gamma(_ k: Int) -> Double {
    let ku = Double(k) * unitRoundoff
    precondition(ku < 0.5, "gamma_k needs k u < 1/2; got k = \(k)")
    return ku / (1 - ku)
}
