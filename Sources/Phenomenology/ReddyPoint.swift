/// A point `(beta, alpha, xi)` of the three-parameter model: `beta` the layer-1
/// position-position strength (`y` itself under `DirectAttention`), `alpha` the layer-2
/// content-buffer strength, `xi` the classifier overlap.
///
/// `vector` holds the three in that order (`ReddyCoordinates`) for arithmetic: a gradient
/// `(dL/dbeta, dL/dalpha, dL/dxi)`, a Hessian product or a step is a `SIMD3<Double>` in the same
/// order, and a point moves by `point.vector -= rate * gradient`.
public struct ReddyPoint: Sendable, Hashable {
    public var vector: SIMD3<Double>

    @inlinable public init(_ vector: SIMD3<Double>) { self.vector = vector }

    @inlinable public init(beta: Double, alpha: Double, xi: Double) { vector = SIMD3(beta, alpha, xi) }

    /// `(0, 0, 0)`, where every run starts by default.
    @inlinable public static var origin: ReddyPoint { ReddyPoint(.zero) }

    /// Layer-1 position-position strength (or `y` under `DirectAttention`).
    @inlinable public var beta: Double { get { vector[0] } set { vector[0] = newValue } }
    /// Layer-2 content-buffer strength.
    @inlinable public var alpha: Double { get { vector[1] } set { vector[1] = newValue } }
    /// Classifier overlap.
    @inlinable public var xi: Double { get { vector[2] } set { vector[2] = newValue } }

    /// Coordinate `k` in the order of `ReddyCoordinates` (0: beta or y, 1: alpha, 2: xi).
    @inlinable public subscript(k: Int) -> Double {
        get { vector[k] }
        set { vector[k] = newValue }
    }
}

/// The Euclidean norm of a vector in the parameter space (a gradient, a step).
func euclideanNorm(_ v: SIMD3<Double>) -> Double { (v * v).sum().squareRoot() }

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
