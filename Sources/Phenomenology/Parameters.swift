/// A point `(beta, alpha, xi)` of the three-parameter model, as `SIMD3<Double>` so the
/// dynamics can add and scale points: index 0 is `beta` (or `y` under `DirectAttention`),
/// 1 is `alpha`, 2 is `xi`.
public typealias Parameters = SIMD3<Double>

extension SIMD3 where Scalar == Double {
    /// Layer-1 position-position strength (the first coordinate).
    @inlinable public var beta: Double { get { self[0] } set { self[0] = newValue } }
    /// Layer-2 content-buffer strength.
    @inlinable public var alpha: Double { get { self[1] } set { self[1] = newValue } }
    /// Classifier overlap.
    @inlinable public var xi: Double { get { self[2] } set { self[2] = newValue } }

    /// `(beta, alpha, xi)`.
    @inlinable public init(beta: Double, alpha: Double, xi: Double) { self.init(beta, alpha, xi) }

    /// The Euclidean norm.
    @inlinable public var norm: Double { (self * self).sum().squareRoot() }
}

/// The names of the three coordinates: the one place that names them, so a CSV header, an
/// SVG axis and a JSON key read the same words. The first coordinate is `beta` under a map
/// `y(beta)` and `y` itself under `DirectAttention`; the others are `alpha` and `xi`.
public enum ReddyCoordinates {
    /// `(beta, alpha, xi)`.
    public static let standard = ["beta", "alpha", "xi"]

    /// The names under `attention`: `(attention.coordinateName, alpha, xi)`.
    public static func names(_ attention: some LayerOneAttention) -> [String] {
        [attention.coordinateName, "alpha", "xi"]
    }

    /// The index of a coordinate name (`beta` and `y` both name coordinate 0), or nil.
    public static func index(of name: String) -> Int? {
        switch name {
        case "beta", "y": return 0
        case "alpha": return 1
        case "xi": return 2
        default: return nil
        }
    }
}
