/// Haiku's `VarianceScaling(scale)` initialiser with its defaults (mode `fan_in`, distribution
/// `truncated_normal`), which von Oswald et al.'s code uses with `scale = 0.002 / K` for K layers:
///
///     w = sigma z,   z ~ N(0, 1) truncated to [-2, 2],   sigma = sqrt(scale / max(1, fanIn)) / 0.8796...
///
/// `0.87962566103423978` is the standard deviation of `N(0, 1)` truncated to `[-2, 2]`, so the
/// entries have standard deviation `sqrt(scale / fanIn)`: `scale` is a *variance* factor. For a
/// dense layer `y = W x` the fan-in is the length of `x` (Haiku's `Linear` weight is
/// `[input, output]`, fan-in `input`). The random draws come from the caller (e.g. Linalg's
/// `RandomSource.truncatedNormal()`, or a counter-based generator in training), so this module
/// owns only the arithmetic.
public struct VarianceScaling: Equatable, Sendable {
    /// The standard deviation of `N(0, 1)` truncated to `[-2, 2]` (Haiku's and Keras' constant).
    public static let truncatedStandardDeviation = 0.87962566103423978

    public var scale: Double

    public init(scale: Double) {
        precondition(scale >= 0, "VarianceScaling needs scale >= 0")
        self.scale = scale
    }

    /// The paper's small initialisation, `scale = 0.002 / layers`.
    public static func vonOswald(layers: Int) -> VarianceScaling {
        precondition(layers >= 1, "vonOswald needs at least one layer")
        return VarianceScaling(scale: 0.002 / Double(layers))
    }

    /// The standard deviation of the entries, `sqrt(scale / max(1, fanIn))`.
    public func standardDeviation(fanIn: Int) -> Double { (scale / Double(max(1, fanIn))).squareRoot() }

    /// `sigma`, the factor on the standard truncated normal draws.
    public func truncatedNormalScale(fanIn: Int) -> Double {
        standardDeviation(fanIn: fanIn) / Self.truncatedStandardDeviation
    }

    /// Fills `weights` with `sigma z`, each `z` from `standardTruncatedNormal` (a draw of `N(0, 1)`
    /// truncated to `[-2, 2]`), in buffer order.
    public func fill(_ weights: UnsafeMutableBufferPointer<Double>, fanIn: Int, standardTruncatedNormal: () -> Double) {
        let sigma = truncatedNormalScale(fanIn: fanIn)
        for i in weights.indices { weights[i] = sigma * standardTruncatedNormal() }
    }

    /// `count` weights `sigma z`, in draw order.
    public func weights(count: Int, fanIn: Int, standardTruncatedNormal: () -> Double) -> [Double] {
        let sigma = truncatedNormalScale(fanIn: fanIn)
        return (0..<count).map { _ in sigma * standardTruncatedNormal() }
    }
}
