/// Inputs outside the model.
public enum ReddyModelError: Error, Equatable, CustomStringConvertible {
    /// `N < 1`.
    case noContextPairs(N: Int)
    /// `L < N`: the context holds N distinct labels, so there are at least N labels.
    case fewerLabelsThanPairs(N: Int, L: Int)

    /// The model's size rule, in one place: `N >= 1` and `L >= N`.
    public static func check(N: Int, L: Int) throws(ReddyModelError) {
        guard N >= 1 else { throw .noContextPairs(N: N) }
        guard L >= N else { throw .fewerLabelsThanPairs(N: N, L: L) }
    }

    public var description: String {
        switch self {
        case let .noContextPairs(n):
            return "N must be at least 1 (the number of item-label pairs in the context), got \(n)"
        case let .fewerLabelsThanPairs(n, l):
            return "L must be >= N: the N context labels are distinct, so L < N is outside the model (got N = \(n), L = \(l))"
        }
    }
}
