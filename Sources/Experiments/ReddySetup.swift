import Phenomenology

/// The Reddy model a command works on: `N`, `L` and the map `beta -> y` (the default
/// softmax map, or `y` itself as the first coordinate).
public struct ReddySetup: Sendable, Equatable {
    public var N: Int
    public var L: Int
    /// The first coordinate is `y` itself (`DirectAttention`), not `beta`.
    public var direct: Bool

    /// - Throws: `ReddyModelError` outside the model (`N < 1` or `L < N`).
    public init(N: Int, L: Int, direct: Bool = false) throws(ReddyModelError) {
        try ReddyModelError.check(N: N, L: L)
        self.N = N
        self.L = L
        self.direct = direct
    }

    /// The coordinate names under this setup's map.
    public var coordinateNames: [String] {
        direct ? ReddyCoordinates.names(DirectAttention()) : ReddyCoordinates.names(SoftmaxAttention(contextPairs: N))
    }

    /// Runs `visitor` on the model, specialized for the chosen map (no existential in the loops).
    public func visit<V: ReddyVisitor>(_ visitor: V) throws -> V.Output {
        if direct { return try visitor.visit(try ReddyModel(N: N, L: L, attention: DirectAttention())) }
        return try visitor.visit(try ReddyModel(N: N, L: L, attention: SoftmaxAttention(contextPairs: N)))
    }
}

/// Work generic over the layer-1 map, run by `ReddySetup.visit`.
public protocol ReddyVisitor {
    associatedtype Output
    func visit<A: LayerOneAttention>(_ model: ReddyModel<A>) throws -> Output
}

/// A point as a JSON object keyed by the coordinate names (`beta` or `y`, `alpha`, `xi`).
func namedPoint(_ p: ReddyPoint, _ names: [String]) -> [String: JSONNumber] { namedVector(p.vector, names) }

/// A vector in the coordinates (a gradient) as a JSON object keyed by their names.
func namedVector(_ v: SIMD3<Double>, _ names: [String]) -> [String: JSONNumber] {
    [names[0]: JSONNumber(v[0]), names[1]: JSONNumber(v[1]), names[2]: JSONNumber(v[2])]
}
