/// The identifiers of the theorems, shared by the test suites, `icl verify`, the proofs and the README.
public enum TheoremID: String, CaseIterable, Sendable, Codable {
    case lsaGD = "lsa-gd"
    case lsaPGD = "lsa-pgd"
    case lsaMultistep = "lsa-multistep"
    case gdPlusPlus = "gd-plus-plus"
    case lsaFeatures = "lsa-features"
    case dualForm = "dual-form"
    case gaussianOptimum = "gaussian-optimum"

    /// One line: what the check compares.
    public var summary: String {
        switch self {
        case .lsaGD: "one LSA layer with Proposition 1 weights = one GD step (all tokens and the readout)"
        case .lsaPGD: "one LSA layer with x-block Gamma in W_K^T W_Q = one right-preconditioned GD step"
        case .lsaMultistep: "K LSA layers = K preconditioned GD steps, the query's whole trajectory included"
        case .gdPlusPlus: "the A.10 layer = GD++: x <- (I - gamma X X^T) x, y <- y - dW x"
        case .lsaFeatures: "MLP features then LSA = GD on the features; W_0 = 0 gives kernel smoothing"
        case .dualForm: "SGD-trained linear layer (MSE/CE, decay, momentum, clipping) = W_0 x + linear attention"
        case .gaussianOptimum: "the expected one-step loss for x ~ N(0, Sigma) is stationary at Gamma_0"
        }
    }
}

/// The outcome of checking one theorem on one instance.
///
/// In floating point, `error` is the largest entrywise difference between the two sides and
/// `bound` the largest entrywise forward-error bound; the check holds when every entry is
/// within its own bound *and* the bound is below `discrimination * signal`, where `signal`
/// is the size of what the identity asserts (so a vacuous bound cannot pass). In exact
/// arithmetic `bound` is 0 and the check holds when the sides are equal.
public struct CheckResult: Sendable, Equatable {
    public var error: Double
    public var bound: Double
    public var signal: Double
    public var withinBound: Bool
    public var holds: Bool

    /// A bound must be at most this fraction of the signal for the check to mean anything.
    public static let discrimination = 1e-4

    public init(error: Double, bound: Double, signal: Double, withinBound: Bool, exact: Bool) {
        self.error = error
        self.bound = bound
        self.signal = signal
        self.withinBound = withinBound
        self.holds = withinBound && (exact || bound <= CheckResult.discrimination * signal)
    }

    /// Combines two comparisons made on the same instance.
    public func merged(with other: CheckResult, exact: Bool) -> CheckResult {
        CheckResult(error: max(error, other.error), bound: max(bound, other.bound), signal: min(signal, other.signal),
                    withinBound: withinBound && other.withinBound, exact: exact)
    }
}
