import Random
import BigInt
import Linalg

/// Uniform sampling of the strings a DFA accepts, by path counting (see `PathCountTable`):
/// a member of length n is the string of rank r for r uniform on `0..<c_n`, an exact integer
/// draw, so every member of length n has probability exactly `1/c_n` given the generator.
/// The counts are `UInt64` when they all fit (one table, no allocation per draw) and `BigUInt`
/// otherwise. Non-members are sampled by the same code on the complement DFA.
public struct UniformSampler: Sendable {
    public let dfa: DFA
    public let maxLength: Int
    private enum Table: Sendable {
        case small(PathCountTable<UInt64>)
        case large(PathCountTable<BigUInt>)
    }
    private let table: Table

    /// Prepares sampling of strings of length `0...maxLength`: O(maxLength * states * symbols).
    public init(_ dfa: DFA, maxLength: Int) {
        precondition(maxLength >= 0, "maxLength must be >= 0")
        self.dfa = dfa
        self.maxLength = maxLength
        if let small = PathCountTable<UInt64>(dfa, maxLength: maxLength) {
            table = .small(small)
        } else {
            table = .large(PathCountTable<BigUInt>(dfa, maxLength: maxLength))
        }
    }

    /// Whether the counts are held in 64-bit integers.
    public var usesMachineIntegers: Bool { if case .small = table { return true } else { return false } }

    /// `c_n`, the number of accepted strings of length n (`n <= maxLength`).
    public func count(length n: Int) -> BigUInt {
        precondition((0...maxLength).contains(n), "length \(n) is outside 0...\(maxLength)")
        switch table {
        case let .small(t): return BigUInt(t.count(n, dfa.start))
        case let .large(t): return t.count(n, dfa.start)
        }
    }

    /// The accepted string of length n with the given rank in alphabet (lexicographic) order;
    /// `0 <= rank < count(length: n)`.
    public func string(rank: BigUInt, length n: Int) -> [UInt8] {
        precondition(rank < count(length: n), "rank \(rank) is not below the count \(count(length: n))")
        var out = [UInt8](repeating: 0, count: n)
        out.withUnsafeMutableBufferPointer { buffer in
            switch table {
            case let .small(t): t.unrank(UInt64(rank), length: n, from: dfa.start, into: buffer, at: 0)
            case let .large(t): t.unrank(rank, length: n, from: dfa.start, into: buffer, at: 0)
            }
        }
        return out
    }

    /// A string of length n drawn uniformly among the accepted ones, or nil when there is none.
    public func sample(length n: Int, using random: RandomSource) -> [UInt8]? {
        precondition((0...maxLength).contains(n), "length \(n) is outside 0...\(maxLength)")
        switch table {
        case let .small(t):
            let c = t.count(n, dfa.start)
            guard c > 0 else { return nil }
            var out = [UInt8](repeating: 0, count: n)
            out.withUnsafeMutableBufferPointer { t.unrank(random.uniformInteger(below: c), length: n, from: dfa.start, into: $0, at: 0) }
            return out
        case let .large(t):
            let c = t.count(n, dfa.start)
            guard c > 0 else { return nil }
            return string(rank: random.uniformInteger(below: c), length: n)
        }
    }

    /// A string drawn with its length from `distribution` (resolved once by `lengthChoice`).
    func sample(_ choice: LengthChoice, using random: RandomSource) -> [UInt8] {
        let (n, rank) = choice.draw(using: random)
        return string(rank: rank ?? random.uniformInteger(below: count(length: n)), length: n)
    }

    /// Resolves a length distribution against this sampler's counts.
    func lengthChoice(_ distribution: LengthDistribution, kind: StringKind) throws(FormalLanguageError) -> LengthChoice {
        try LengthChoice(distribution, kind: kind) { n in n <= maxLength ? count(length: n) : 0 }
    }

    /// `count` strings drawn uniformly and independently, with lengths from `distribution`.
    public func sample(_ distribution: LengthDistribution, count: Int, using random: RandomSource,
                       kind: StringKind = .member) throws(FormalLanguageError) -> [[UInt8]] {
        let choice = try lengthChoice(distribution, kind: kind)
        return (0..<count).map { _ in sample(choice, using: random) }
    }

    /// `count` members of length n drawn uniformly and independently, written one after the
    /// other into one flat array of `count * n` symbols (no allocation per string). Nil when
    /// there is no accepted string of length n.
    public func sampleBatch(length n: Int, count: Int, using random: RandomSource) -> [UInt8]? {
        let c = self.count(length: n)
        guard c > 0 else { return nil }
        var out = [UInt8](repeating: 0, count: n * count)
        out.withUnsafeMutableBufferPointer { buffer in
            switch table {
            case let .small(t):
                // 16 walks interleaved (see `PathCountTable.unrank(lanes:)`); ranks drawn in order.
                let total = t.count(n, dfa.start), lanes = 16
                var ranks = [UInt64](repeating: 0, count: lanes), states = [Int](repeating: 0, count: lanes)
                ranks.withUnsafeMutableBufferPointer { r in
                    states.withUnsafeMutableBufferPointer { q in
                        var k = 0
                        while k < count {
                            let block = min(lanes, count - k)
                            for l in 0..<block { r[l] = random.uniformInteger(below: total) }
                            t.unrank(lanes: UnsafeMutableBufferPointer(rebasing: r[0..<block]), states: q, length: n,
                                     from: dfa.start, into: buffer, at: k * n)
                            k += block
                        }
                    }
                }
            case let .large(t):
                for k in 0..<count { t.unrank(random.uniformInteger(below: c), length: n, from: dfa.start, into: buffer, at: k * n) }
            }
        }
        return out
    }
}
