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

/// The names of the three coordinates, in order.
public let parameterNames = ["beta", "alpha", "xi"]
