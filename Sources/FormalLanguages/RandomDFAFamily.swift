import BigInt
import Linalg

/// Random regular languages for tasks that need many: each language is a random complete DFA
/// with `states` states over the first `alphabetSize` letters (`a, b, ...`), every transition
/// target uniform, each state accepting with probability 1/2, start state 0, drawn in turn
/// from one seeded stream. A draw is rejected unless
///
/// - its minimal DFA has exactly `states` states (all reachable, none equivalent), so the
///   family's complexity is what was asked for;
/// - restricted to `lengths`, it is neither empty nor everything (some member and some
///   non-member has a length in the range);
/// - restricted to `lengths`, it differs from every language drawn before (the canonical
///   minimal DFA of `L intersect Sigma^lengths` is the identity that is compared), so the
///   languages are distinct on the strings a task will see.
///
/// The same seed gives the same languages in the same order.
public struct RandomDFAFamily: Sendable {
    public let states: Int
    public let alphabet: Alphabet
    public let lengths: ClosedRange<Int>
    public let seed: UInt64

    public init(states: Int, alphabetSize: Int, lengths: ClosedRange<Int>, seed: UInt64) throws(FormalLanguageError) {
        guard (1...4096).contains(states) else { throw .outOfRange(name: "states", value: "\(states)", accepted: "in 1...4096") }
        guard (1...62).contains(alphabetSize) else { throw .outOfRange(name: "alphabet size", value: "\(alphabetSize)", accepted: "in 1...62") }
        guard lengths.lowerBound >= 0, lengths.upperBound <= 10_000 else {
            throw .outOfRange(name: "lengths", value: "\(lengths.lowerBound)...\(lengths.upperBound)", accepted: "within 0...10000")
        }
        self.states = states
        alphabet = Alphabet(firstLetters: alphabetSize)
        self.lengths = lengths
        self.seed = seed
    }

    /// One random complete DFA (before any rejection).
    public func randomDFA(_ random: RandomSource) -> DFA {
        let s = alphabet.count
        let transitions = (0..<(states * s)).map { _ in random.int(in: 0...(states - 1)) }
        let accepting = (0..<states).map { _ in random.uniform() < 0.5 }
        return DFA(alphabet: alphabet, start: 0, accepting: accepting, transitions: transitions)
    }

    /// The first `count` languages of the family (minimal DFAs), or `familyExhausted` when
    /// `maxAttempts` random automata do not give that many.
    public func languages(count: Int, maxAttempts: Int? = nil) throws(FormalLanguageError) -> [DFA] {
        guard count >= 0 else { throw .outOfRange(name: "count", value: "\(count)", accepted: ">= 0") }
        let limit = maxAttempts ?? max(1000, 200 * count)
        let random = RandomSource(seed: seed)
        var seen = Set<DFA>()
        var out: [DFA] = []
        var attempts = 0
        let strings = lengths.reduce(BigUInt(0)) { $0 + BigUInt(alphabet.count).power($1) }
        while out.count < count {
            guard attempts < limit else { throw .familyExhausted(found: out.count, wanted: count, attempts: attempts) }
            attempts += 1
            let dfa = randomDFA(random).minimized()
            guard dfa.stateCount == states else { continue }
            let members = dfa.memberCounts(maxLength: lengths.upperBound)[lengths].reduce(0, +)
            guard members > 0 && members < strings else { continue }
            guard seen.insert(dfa.restricted(toLengths: lengths).minimized()).inserted else { continue }
            out.append(dfa)
        }
        return out
    }
}
