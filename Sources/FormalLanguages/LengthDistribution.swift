import Random
import BigInt
import Linalg

/// How the length of a sampled string is chosen. Lengths with no string of the asked kind are
/// left out and the others renormalised; when no allowed length has one, preparing the
/// distribution fails with `FormalLanguageError.noStrings`.
public enum LengthDistribution: Sendable, Equatable {
    /// Every string has length n.
    case exactly(Int)
    /// The length is uniform over the lengths in the range that have a string, then the string
    /// uniform among those of that length (short strings are as frequent as long ones).
    case uniformLength(ClosedRange<Int>)
    /// Every string with a length in the range equally likely (the length is drawn with
    /// probability proportional to the number of strings of that length).
    case uniformString(ClosedRange<Int>)
    /// `P(length = n)` proportional to `weights[n]` (non-negative, finite), over the lengths
    /// that have a string.
    case weights([Int: Double])

    /// The smallest range holding every length the distribution can give.
    public var span: ClosedRange<Int> {
        switch self {
        case let .exactly(n): return n...n
        case let .uniformLength(r), let .uniformString(r): return r
        case let .weights(w):
            let keys = w.keys
            return (keys.min() ?? 0)...(keys.max() ?? 0)
        }
    }

    /// Checks the lengths and weights (lengths `>= 0`, weights finite, `>= 0`, some positive).
    func validate() throws(FormalLanguageError) {
        switch self {
        case let .exactly(n):
            if n < 0 { throw .outOfRange(name: "length", value: "\(n)", accepted: ">= 0") }
        case let .uniformLength(r), let .uniformString(r):
            if r.lowerBound < 0 { throw .outOfRange(name: "lengths", value: "\(r.lowerBound)...\(r.upperBound)", accepted: "within 0...") }
        case let .weights(w):
            if w.isEmpty || w.keys.contains(where: { $0 < 0 }) || w.values.contains(where: { !$0.isFinite || $0 < 0 })
                || !w.values.contains(where: { $0 > 0 }) {
                throw .outOfRange(name: "length weights", value: "\(w.sorted { $0.key < $1.key })",
                                  accepted: "finite and >= 0 on lengths >= 0, with one positive")
            }
        }
    }
}

/// A length distribution resolved against the counts of one kind of string: the lengths that
/// have strings, and how to pick among them.
struct LengthChoice: Sendable {
    enum Rule: Sendable {
        case uniform
        /// Running sums of the weights.
        case weighted([Double])
        /// Running sums of the counts.
        case proportional([BigUInt])
    }
    let lengths: [Int]
    let rule: Rule

    /// Resolves `distribution` with `count(n)`, the number of strings of length n.
    init(_ distribution: LengthDistribution, kind: StringKind, count: (Int) -> BigUInt) throws(FormalLanguageError) {
        try distribution.validate()
        let span = distribution.span
        switch distribution {
        case .exactly, .uniformLength:
            lengths = span.filter { count($0) > 0 }
            rule = .uniform
        case .uniformString:
            var running: [BigUInt] = [], total = BigUInt(0), kept: [Int] = []
            for n in span {
                let c = count(n)
                if c > 0 { total += c; running.append(total); kept.append(n) }
            }
            lengths = kept
            rule = .proportional(running)
        case let .weights(w):
            var running: [Double] = [], total = 0.0, kept: [Int] = []
            for (n, weight) in w.sorted(by: { $0.key < $1.key }) where weight > 0 && count(n) > 0 {
                total += weight
                running.append(total)
                kept.append(n)
            }
            lengths = kept
            rule = .weighted(running)
        }
        if lengths.isEmpty { throw .noStrings(kind: kind, lengths: span) }
    }

    /// Draws a length; for `.proportional` also returns the rank of the string within its
    /// length (the same uniform draw below the total serves both, so no second draw is needed).
    func draw(using random: RandomSource) -> (length: Int, rank: BigUInt?) {
        switch rule {
        case .uniform:
            return (lengths[random.int(in: 0...(lengths.count - 1))], nil)
        case let .weighted(running):
            let u = random.uniform() * running.last!
            let i = running.firstIndex { u < $0 } ?? (running.count - 1)
            return (lengths[i], nil)
        case let .proportional(running):
            let r = random.uniformInteger(below: running.last!)
            let i = running.firstIndex { r < $0 }!
            return (lengths[i], i == 0 ? r : r - running[i - 1])
        }
    }
}
