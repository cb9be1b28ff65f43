import BigInt

/// An exact rational number `numerator / denominator` in lowest terms, `denominator > 0`.
///
/// Small values stay in machine integers; an operation whose intermediate would overflow
/// `Int` falls back to `BigInt`, so results are always exact. The exact checks run the same
/// generic code as the floating-point ones and compare with `==`.
public struct Rational: FieldScalar, Comparable, Hashable {
    @usableFromInline enum Storage: Hashable, Sendable {
        case small(Int, Int)          // numerator, denominator > 0, gcd 1
        case big(BigInt, BigInt)      // same invariants, at least one part outside Int
    }
    @usableFromInline var storage: Storage

    @usableFromInline init(storage: Storage) { self.storage = storage }

    public static let zero = Rational(0)
    public static let one = Rational(1)

    public init(_ value: Int) { storage = .small(value, 1) }

    /// `numerator / denominator` reduced to lowest terms. The denominator must not be zero.
    public init(_ numerator: BigInt, _ denominator: BigInt) {
        precondition(!denominator.isZero, "Rational with zero denominator")
        var n = numerator, d = denominator
        if d.sign == .minus { n.negate(); d.negate() }
        let g = n.magnitude.greatestCommonDivisor(with: d.magnitude)
        if g > 1 { n /= BigInt(g); d /= BigInt(g) }
        if let ns = Int(exactly: n), let ds = Int(exactly: d) {
            storage = .small(ns, ds)
        } else {
            storage = .big(n, d)
        }
    }

    /// `numerator / denominator` in lowest terms, for machine integers.
    public init(_ numerator: Int, _ denominator: Int) {
        self.init(BigInt(numerator), BigInt(denominator))
    }

    /// The exact value of a finite `Double` (every finite double is a dyadic rational).
    public init(approximating value: Double) {
        precondition(value.isFinite, "Rational(approximating:) needs a finite Double, got \(value)")
        if value == 0 { self = .zero; return }
        // value = significand * 2^exponent with an integral significand of 53 bits.
        let exponent = Int(value.exponent) - 52
        let significand = BigInt(value.significandBitPattern | (value.isNormal ? (1 << 52) : 0))
        let signed = value < 0 ? -significand : significand
        let exp = value.isNormal ? exponent : -1074
        if exp >= 0 {
            self.init(signed << exp, 1)
        } else {
            self.init(signed, BigInt(1) << (-exp))
        }
    }

    public var numerator: BigInt {
        switch storage { case let .small(n, _): BigInt(n); case let .big(n, _): n }
    }
    public var denominator: BigInt {
        switch storage { case let .small(_, d): BigInt(d); case let .big(_, d): d }
    }

    public var doubleValue: Double {
        switch storage {
        case let .small(n, d): return Double(n) / Double(d)
        case let .big(n, d):
            // Scale so both parts fit a Double's range before dividing.
            let shift = max(n.magnitude.bitWidth, d.magnitude.bitWidth) - 1000
            if shift > 0 { return Double(n >> shift) / Double(d >> shift) }
            return Double(n) / Double(d)
        }
    }

    public var description: String {
        switch storage {
        case let .small(n, d): return d == 1 ? "\(n)" : "\(n)/\(d)"
        case let .big(n, d): return d == 1 ? "\(n)" : "\(n)/\(d)"
        }
    }

    /// Parses `"p"`, `"p/q"` or a decimal such as `"-1.25"` exactly.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2 {
            guard let n = BigInt(String(parts[0])), let d = BigInt(String(parts[1])), !d.isZero else { return nil }
            self.init(n, d)
        } else if parts.count == 1 {
            let s = String(parts[0])
            if let n = BigInt(s) { self.init(n, 1); return }
            let pieces = s.split(separator: ".", omittingEmptySubsequences: false)
            guard pieces.count == 2, !pieces[1].isEmpty, pieces[1].allSatisfy(\.isNumber),
                  let whole = BigInt(pieces[0].isEmpty || pieces[0] == "-" ? pieces[0] + "0" : String(pieces[0])),
                  let frac = BigInt(String(pieces[1])) else { return nil }
            let scale = BigInt(10).power(pieces[1].count)
            let negative = pieces[0].hasPrefix("-")
            self.init(whole * scale + (negative ? -frac : frac), scale)
        } else {
            return nil
        }
    }

    public static prefix func - (a: Rational) -> Rational {
        switch a.storage {
        case let .small(n, d) where n != .min: return Rational(storage: .small(-n, d))
        default: return Rational(-a.numerator, a.denominator)
        }
    }

    public static func + (a: Rational, b: Rational) -> Rational {
        if case let .small(an, ad) = a.storage, case let .small(bn, bd) = b.storage {
            if ad == bd {
                let (s, o) = an.addingReportingOverflow(bn)
                if !o { return ad == 1 ? Rational(storage: .small(s, 1)) : reduced(s, ad) }
            } else {
                let (x, o1) = an.multipliedReportingOverflow(by: bd)
                let (y, o2) = bn.multipliedReportingOverflow(by: ad)
                let (den, o3) = ad.multipliedReportingOverflow(by: bd)
                if !(o1 || o2 || o3) {
                    let (s, o4) = x.addingReportingOverflow(y)
                    if !o4 { return reduced(s, den) }
                }
            }
        }
        return Rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }

    public static func - (a: Rational, b: Rational) -> Rational { a + (-b) }

    public static func * (a: Rational, b: Rational) -> Rational {
        if case let .small(an, ad) = a.storage, case let .small(bn, bd) = b.storage {
            // Cross-cancel first so the products stay small.
            let g1 = gcd(an, bd), g2 = gcd(bn, ad)
            let (n, o1) = (an / g1).multipliedReportingOverflow(by: bn / g2)
            let (d, o2) = (ad / g2).multipliedReportingOverflow(by: bd / g1)
            if !(o1 || o2) { return Rational(storage: .small(n, d)) }
        }
        return Rational(a.numerator * b.numerator, a.denominator * b.denominator)
    }

    public static func / (a: Rational, b: Rational) -> Rational {
        precondition(b != .zero, "Rational division by zero")
        return a * b.reciprocal
    }

    public var reciprocal: Rational {
        switch storage {
        case let .small(n, d) where n > 0: return Rational(storage: .small(d, n))
        case let .small(n, d) where n < 0 && n != .min: return Rational(storage: .small(-d, -n))
        default: return Rational(denominator, numerator)
        }
    }

    public var isZero: Bool { if case .small(0, _) = storage { return true } else { return false } }

    /// `|self|`.
    public var magnitude: Rational { self < .zero ? -self : self }

    public static func < (a: Rational, b: Rational) -> Bool {
        if case let .small(an, ad) = a.storage, case let .small(bn, bd) = b.storage {
            let (x, o1) = an.multipliedReportingOverflow(by: bd)
            let (y, o2) = bn.multipliedReportingOverflow(by: ad)
            if !(o1 || o2) { return x < y }
        }
        return a.numerator * b.denominator < b.numerator * a.denominator
    }

    private static func reduced(_ n: Int, _ d: Int) -> Rational {
        let g = gcd(n, d)
        return Rational(storage: .small(n / g, d / g))
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var x = a.magnitude, y = b.magnitude
        while y != 0 { (x, y) = (y, x % y) }
        return x == 0 ? 1 : Int(x)
    }
}
