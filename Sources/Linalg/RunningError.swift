/// A floating-point value with a running bound on its rounding error (Wilkinson's running
/// error analysis; Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., 3.3).
///
/// `value` is computed with exactly the `Double` operation the generic code asks for; `error`
/// bounds `|value - exact|`, where `exact` is the same expression evaluated exactly on the same
/// (exactly representable) inputs. Each operation propagates the operands' bounds and adds its
/// own rounding, `|fl(x) - x| <= u |fl(x)| / (1 - u)`, `u = 2^-53`:
///
///     a +- b :  e = e_a + e_b + u' |v|
///     a * b  :  e = |a| e_b + |b| e_a + e_a e_b + (u' |v| + eta)
///     a / b  :  e = (e_a + |a| e_b / |b|) / (|b| - e_b) + (u' |v| + eta)   (infinite when |b| <= e_b)
///
/// with `u' = u (1 + 2u)` and `eta = 2^-1074`: a product or quotient that lands in the
/// subnormal range (or underflows to zero) has an absolute rounding error up to half of
/// `eta`, which `u' |v|` alone would miss; a sum or difference there is exact (Hauser). The
/// quotient's form `(e_a + |a| e_b / |b|) / (|b| - e_b)` equals `(|a| e_b + |b| e_a) / (|b| (|b| - e_b))`
/// without forming `|b| (|b| - e_b)`, which could overflow or underflow. The bounds are computed in floating point themselves; their own
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

    /// Whether the type is laid out as `(value, error)`, two `Double`s (what the C kernels read).
    @usableFromInline static let isPairOfDoubles = MemoryLayout<RunningError>.size == 16 && MemoryLayout<RunningError>.stride == 16
        && MemoryLayout<RunningError>.offset(of: \.value) == 0 && MemoryLayout<RunningError>.offset(of: \.error) == 8

    /// `u (1 + 2u)`, the rounding of one operation relative to its rounded result.
    @usableFromInline static let roundoff = 0x1p-53 * (1 + 0x1p-52)

    /// The rounding bound of a product or quotient with result `v`: `u' |v| + 2^-1074`.
    @inlinable static func productRounding(_ v: Double) -> Double { roundoff * Swift.abs(v) + Double.leastNonzeroMagnitude }

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
        return RunningError(value: v, error: propagated + productRounding(v))
    }

    @inlinable public static func / (a: RunningError, b: RunningError) -> RunningError {
        let v = a.value / b.value
        let margin = Swift.abs(b.value) - b.error
        guard margin > 0 else { return RunningError(value: v, error: .infinity) }
        let propagated = (a.error + Swift.abs(a.value) * (b.error / Swift.abs(b.value))) / margin
        return RunningError(value: v, error: propagated + productRounding(v))
    }

    @inlinable public static prefix func - (a: RunningError) -> RunningError { RunningError(value: -a.value, error: a.error) }
}
