/// A floating-point value with a running bound on its rounding error (Wilkinson's running
/// error analysis; Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., 3.3).
///
/// `value` is computed with exactly the `Double` operation the generic code asks for; `error`
/// bounds `|value - exact|`, where `exact` is the same expression evaluated exactly on the same
/// (exactly representable) inputs. Each operation propagates the operands' bounds and adds its
/// own rounding, `|fl(x) - x| <= u |fl(x)| / (1 - u)`, `u = 2^-53`:
///
///     a +- b :  e = e_a + e_b + u' |v|
///     a * b  :  e = |a| e_b + |b| e_a + e_a e_b + u' |v|
///     a / b  :  e = (|a| e_b + |b| e_a) / (|b| (|b| - e_b)) + u' |v|   (infinite when |b| <= e_b)
///
/// with `u' = u (1 + 2u)`. The bounds are computed in floating point themselves; their own
/// relative rounding is below `(1 + u)^(4k)` after `k` operations, which the comparison covers
/// with a factor 1.01 (any `k` below 10^12). Unlike an a priori `gamma_k` bound it follows the
/// actual magnitudes and cancellations of this instance, so it is typically within a small
/// factor of the true error.
public struct RunningError: FieldScalar {
    public var value: Double
    public var error: Double

    @inlinable public init(value: Double, error: Double) { (self.value, self.error) = (value, error) }
    /// An exact input.
    @inlinable public init(exact value: Double) { self.init(value: value, error: 0) }
    @inlinable public static var zero: RunningError { RunningError(exact: 0) }
    @inlinable public static var one: RunningError { RunningError(exact: 1) }
    /// Exact for |value| <= 2^53.
    @inlinable public init(_ value: Int) {
        let v = Double(value)
        self.init(value: v, error: Double(exactly: value) == nil ? abs(v) * RunningError.roundoff : 0)
    }
    @inlinable public init(approximating value: Double) { self.init(exact: value) }
    @inlinable public var doubleValue: Double { value }
    public var description: String { "\(value) +- \(error)" }

    /// `u (1 + 2u)`, the rounding of one operation relative to its rounded result.
    @usableFromInline static let roundoff = 0x1p-53 * (1 + 0x1p-52)

    @inlinable public static func + (a: RunningError, b: RunningError) -> RunningError {
        let v = a.value + b.value
        return RunningError(value: v, error: a.error + b.error + roundoff * Swift.abs(v))
    }

    @inlinable public static func - (a: RunningError, b: RunningError) -> RunningError {
        let v = a.value - b.value
        return RunningError(value: v, error: a.error + b.error + roundoff * Swift.abs(v))
    }

    @inlinable public static func * (a: RunningError, b: RunningError) -> RunningError {
        let v = a.value * b.value
        let propagated = Swift.abs(a.value) * b.error + Swift.abs(b.value) * a.error + a.error * b.error
        return RunningError(value: v, error: propagated + roundoff * Swift.abs(v))
    }

    @inlinable public static func / (a: RunningError, b: RunningError) -> RunningError {
        let v = a.value / b.value
        let margin = Swift.abs(b.value) - b.error
        guard margin > 0 else { return RunningError(value: v, error: .infinity) }
        let propagated = (Swift.abs(a.value) * b.error + Swift.abs(b.value) * a.error) / (Swift.abs(b.value) * margin)
        return RunningError(value: v, error: propagated + roundoff * Swift.abs(v))
    }

    @inlinable public static prefix func - (a: RunningError) -> RunningError { RunningError(value: -a.value, error: a.error) }
}
