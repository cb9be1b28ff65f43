import FormalLanguages
import Linalg
import PropertyBased
import Testing

/// Equivalence of regular languages by a product search for a shortest distinguishing string.
@Suite struct EquivalenceTests {
    @Test(arguments: [
        ("(a|b)*", "(a*b*)*"), ("(a|b)*", "(a*|b*)*"), ("(a|b)*", "(a*b)*a*"), ("a(ba)*", "(ab)*a"),
        ("[a]b", "b|ab"), ("a+", "aa*"), ("(ab[c])*", "(ab|abc)*"), ("((a|b)c)*", "(ac|bc)*"),
        ("a*bc*", "a*b|a*bcc*"), ("(a|b)*a(a|b)", "(a|b)*(aa|ab)"),
    ])
    func knownIdentities(left: String, right: String) throws {
        let l = try RegularLanguage(regex: left), r = try RegularLanguage(regex: right)
        #expect(l.isEquivalent(to: r), "\(left) vs \(right): differ on \(l.dfa.distinguishingString(from: r.dfa).map { l.alphabet.string($0) } ?? "-")")
        #expect(l.dfa == r.dfa, "equal languages must give the same canonical minimal DFA")
    }

    @Test(arguments: [("(ab[c])*", "(ab[c])+", ""), ("a*bc*", "a*bc+", "b"), ("(a|b)*", "(a|b)+", ""), ("ab", "ab|c", "c"), ("a*", "a*|b", "b")])
    func knownDifferences(left: String, right: String, witness: String) throws {
        let l = try RegularLanguage(regex: left), r = try RegularLanguage(regex: right)
        #expect(!l.isEquivalent(to: r))
        let joined = l.alphabet.union(r.alphabet)
        #expect(l.dfa.distinguishingString(from: r.dfa).map { joined.string($0) } == witness)
    }

    /// A random regex against a rewriting that keeps its language (r* = (r*)*, r+ = r r*,
    /// r? = (r | r?), commuted alternatives, distributed concatenation): always equivalent.
    /// Against an independently drawn regex: `isEquivalent` agrees with brute force (two DFAs
    /// with n1 and n2 states that agree on every string of length <= n1 + n2 - 2 are equal),
    /// and the distinguishing string is a real difference of the shortest length.
    @Test func randomPairs() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let r = randomRegex(random, depth: random.int(in: 1...3), letters: ["a", "b"])
            let rewritten = rewrite(r, random)
            let ab = try! Alphabet("ab")
            let a = RegularLanguage(regex: r, alphabet: ab), b = RegularLanguage(regex: rewritten, alphabet: ab)
            #expect(a.isEquivalent(to: b), "seed \(seed): \(r) vs \(rewritten)")
            let other = RegularLanguage(regex: randomRegex(random, depth: random.int(in: 1...3), letters: ["a", "b"]), alphabet: ab)
            let bound = a.dfa.stateCount + other.dfa.stateCount - 2
            let firstDifference = (0...bound).lazy.flatMap { allStrings(size: 2, length: $0) }
                .first { matches(a.regex, $0, ab) != matches(other.regex, $0, ab) }
            let witness = a.dfa.distinguishingString(from: other.dfa)
            #expect(a.isEquivalent(to: other) == (firstDifference == nil), "seed \(seed): \(a.regex) vs \(other.regex)")
            if let witness, let firstDifference {
                #expect(witness.count == firstDifference.count, "seed \(seed): witness is not a shortest difference")
                #expect(matches(a.regex, witness, ab) != matches(other.regex, witness, ab), "seed \(seed): the witness is not a difference")
            }
        }
    }
}

/// Language-preserving rewrites applied at random nodes.
func rewrite(_ r: Regex, _ random: RandomSource) -> Regex {
    let inner: Regex
    switch r {
    case .literal: inner = r
    case let .concatenation(parts): inner = .concatenation(parts.map { rewrite($0, random) })
    case let .alternation(parts): inner = .alternation(parts.map { rewrite($0, random) }.reversed())
    case let .star(x): inner = .star(rewrite(x, random))
    case let .plus(x): inner = .plus(rewrite(x, random))
    case let .optional(x): inner = .optional(rewrite(x, random))
    }
    guard random.uniform() < 0.4 else { return inner }
    switch inner {
    case let .star(x): return .star(.star(x))
    case let .plus(x): return .concatenation([x, .star(x)])
    case let .optional(x): return .alternation([x, .optional(x)])
    case let .concatenation(parts) where parts.count >= 2:
        if case let .alternation(alternatives) = parts[0] {
            let rest = Array(parts.dropFirst())
            return .alternation(alternatives.map { .concatenation([$0] + rest) })
        }
        return .concatenation([parts[0], .concatenation(Array(parts.dropFirst()))])
    default: return .alternation([inner, inner])
    }
}
