/// The arithmetic the constructions need: a field (`+ - * /`) with the integers embedded.
///
/// Four conformers run the same generic code:
/// - `Double`: the floating-point computation whose error is checked;
/// - `Rational`: exact arithmetic, where the identities hold with `==`;
/// - `RunningError`: the `Double` computation with a running bound on its rounding error
///   (what `icl verify` compares in floating point);
/// - `Majorant`: the magnitude pass that turns a computation into an a priori forward-error bound.
public protocol FieldScalar: Equatable, Sendable, CustomStringConvertible {
    static var zero: Self { get }
    static var one: Self { get }
    init(_ value: Int)
    /// The value nearest to `value` that the type represents (exact for `Rational`, `Majorant` takes `|value|`, `RunningError` takes it as an exact input).
    init(approximating value: Double)
    /// The value as a `Double` (rounded for `Rational`).
    var doubleValue: Double { get }
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    static func / (lhs: Self, rhs: Self) -> Self
    static prefix func - (operand: Self) -> Self
}

extension Double: FieldScalar {
    @inlinable public static var one: Double { 1 }
    @inlinable public init(approximating value: Double) { self = value }
    @inlinable public var doubleValue: Double { self }
}
