import BigInt
import Linalg

/// One edit that turns a member into a hard negative of the same length class as the edit.
public enum EditType: String, CaseIterable, Sendable, Codable, Comparable {
    /// One symbol replaced: the non-member has the member's length.
    case substitution
    /// One symbol inserted into the member: the non-member is one longer.
    case insertion
    /// One symbol deleted from the member: the non-member is one shorter.
    case deletion

    public static func < (a: EditType, b: EditType) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Hard negatives of a regular language L: non-members at edit distance 1 from a member.
///
/// For each edit type t the set `E_t = {x : x is a t-edit of some w in L}` is regular: run L's
/// DFA with one flag "the edit has been made" (an NFA on pairs (q, e), e in {0, 1}):
///
///     every symbol a:  (q, e) --a--> (delta(q, a), e)
///     substitution:    (q, 0) --a--> (delta(q, b), 1)   for every b (x reads a where w had b)
///     insertion:       (q, 0) --a--> (q, 1)             (x has an extra a that w lacks)
///     deletion:        (q, 0) --ε--> (delta(q, b), 1)   for every b (w had a b that x lacks)
///
/// accepting `(q, 1)` with q accepting. Then `H_t = E_t \ L` (subset construction, product with
/// the complement, Hopcroft). A hard negative of length n and type t is drawn uniformly from
/// `H_t` at length n by `UniformSampler`; the type is drawn first, uniformly (or with the
/// given weights) among the types that have a hard negative of that length, so no edit type is
/// favoured because it happens to produce more strings.
public struct HardNegatives: Sendable {
    /// The minimal DFA of L.
    public let language: DFA
    /// The minimal DFA of `H_t` for each edit type.
    public let byType: [EditType: DFA]

    public init(_ language: DFA) {
        self = try! HardNegatives(language, stateLimit: nil)  // no limit: cannot fail
    }

    /// As `init(_:)`, with each subset construction of an `E_t` stopped (`tooManyStates`) past
    /// `stateLimit` states.
    public init(_ language: DFA, stateLimit: Int?) throws(FormalLanguageError) {
        let minimal = language.minimized()
        self.language = minimal
        var byType: [EditType: DFA] = [:]
        for t in EditType.allCases {
            byType[t] = try HardNegatives.editNeighbourhood(minimal, t, stateLimit: stateLimit).subtracting(minimal).minimized()
        }
        self.byType = byType
    }

    /// `E_t`: the strings obtained from a member of L by exactly one edit of type t (for
    /// substitution the "edit" may rewrite a symbol to itself, so `E_t` also holds L; the
    /// difference with L removes it).
    public static func editNeighbourhood(_ dfa: DFA, _ type: EditType) -> DFA {
        try! editNeighbourhood(dfa, type, stateLimit: nil)  // no limit: cannot fail
    }

    /// `E_t`, its subset construction stopped (`tooManyStates`) past `stateLimit` states.
    public static func editNeighbourhood(_ dfa: DFA, _ type: EditType, stateLimit: Int?) throws(FormalLanguageError) -> DFA {
        let n = dfa.stateCount, s = dfa.symbolCount
        var nfa = NFA(alphabet: dfa.alphabet)
        for e in 0..<2 { for q in 0..<n { _ = nfa.addState(accepting: e == 1 && dfa.accepting[q]) } }
        for q in 0..<n {
            for a in 0..<s {
                let symbol = UInt8(a)
                nfa.addMove(q, symbol, dfa.next(q, symbol))
                nfa.addMove(n + q, symbol, n + dfa.next(q, symbol))
                switch type {
                case .substitution:
                    for b in 0..<s { nfa.addMove(q, symbol, n + dfa.next(q, UInt8(b))) }
                case .insertion:
                    nfa.addMove(q, symbol, n + q)
                case .deletion:
                    nfa.addEpsilon(q, n + dfa.next(q, symbol))
                }
            }
        }
        nfa.starts = [dfa.start]
        return try DFA(determinizing: nfa, stateLimit: stateLimit, of: "the strings one \(type.rawValue) from a member")
    }

    /// A member w of L such that x is w with one edit of type t, or nil when there is none.
    /// Independent of the `H_t` automata: with `p_i` the state after `x[..<i]` and `B_i` the
    /// states from which `x[i...]` is accepted, substitution at i needs `delta(p_i, b)` in
    /// `B_{i+1}`, an inserted `x[i]` needs `p_i` in `B_{i+1}`, a deleted b before `x[i]` needs
    /// `delta(p_i, b)` in `B_i`. O(|x| (states + symbols)).
    public func witness(_ x: [UInt8], type: EditType) -> [UInt8]? {
        let dfa = language, n = x.count, states = dfa.stateCount
        var prefix = [dfa.start]
        for a in x { prefix.append(dfa.next(prefix.last!, a)) }
        // accepts[i][q]: x[i...] is accepted from q.
        var accepts = [[Bool]](repeating: [], count: n + 1)
        accepts[n] = dfa.accepting
        for i in stride(from: n - 1, through: 0, by: -1) {
            accepts[i] = (0..<states).map { accepts[i + 1][dfa.next($0, x[i])] }
        }
        switch type {
        case .substitution:
            for i in 0..<n {
                for b in 0..<dfa.symbolCount where UInt8(b) != x[i] && accepts[i + 1][dfa.next(prefix[i], UInt8(b))] {
                    var w = x
                    w[i] = UInt8(b)
                    return w
                }
            }
        case .insertion:
            for i in 0..<n where accepts[i + 1][prefix[i]] {
                var w = x
                w.remove(at: i)
                return w
            }
        case .deletion:
            for i in 0...n {
                for b in 0..<dfa.symbolCount where accepts[i][dfa.next(prefix[i], UInt8(b))] {
                    var w = x
                    w.insert(UInt8(b), at: i)
                    return w
                }
            }
        }
        return nil
    }
}

/// Draws hard negatives: the length from a distribution (over the lengths with a hard negative
/// of an allowed type), then the edit type (uniform by default among the allowed types with a
/// hard negative of that length), then the string uniformly among that type's hard negatives of
/// that length.
public struct HardNegativeSampler: Sendable {
    public let negatives: HardNegatives
    /// Relative weight of each allowed edit type.
    public let typeWeights: [EditType: Double]
    private let samplers: [EditType: UniformSampler]
    /// Counts of the union of the allowed types' hard negatives, for the length distribution.
    private let union: UniformSampler
    private let choice: LengthChoice

    /// `typeWeights`: the allowed types and their relative weights (default: all three, equal).
    public init(_ negatives: HardNegatives, lengths: LengthDistribution,
                typeWeights: [EditType: Double] = [.substitution: 1, .insertion: 1, .deletion: 1]) throws(FormalLanguageError) {
        let allowed = typeWeights.filter { $0.value > 0 }
        guard !allowed.isEmpty, typeWeights.values.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw .outOfRange(name: "edit type weights", value: "\(typeWeights)", accepted: "finite and >= 0, with one positive")
        }
        try lengths.validate()
        let maxLength = lengths.span.upperBound
        self.negatives = negatives
        self.typeWeights = allowed
        var samplers: [EditType: UniformSampler] = [:]
        var unionDFA: DFA?
        for t in allowed.keys.sorted() {
            let h = negatives.byType[t]!
            samplers[t] = UniformSampler(h, maxLength: maxLength)
            unionDFA = unionDFA.map { $0.union(h) } ?? h
        }
        self.samplers = samplers
        union = UniformSampler(unionDFA!.minimized(), maxLength: maxLength)
        choice = try union.lengthChoice(lengths, kind: .hardNegative)
    }

    /// The number of hard negatives of length n of the allowed types (strings reachable by
    /// several types counted once).
    public func count(length n: Int) -> BigUInt { union.count(length: n) }

    /// The number of hard negatives of length n of one type.
    public func count(length n: Int, type: EditType) -> BigUInt { samplers[type]?.count(length: n) ?? 0 }

    /// One hard negative and the type of edit it was drawn for.
    public func sample(using random: RandomSource) -> (string: [UInt8], edit: EditType) {
        let (n, _) = choice.draw(using: random)
        return sample(length: n, using: random)!
    }

    /// One hard negative of length n, or nil when there is none of an allowed type.
    public func sample(length n: Int, using random: RandomSource) -> (string: [UInt8], edit: EditType)? {
        let feasible = typeWeights.keys.sorted().filter { samplers[$0]!.count(length: n) > 0 }
        guard !feasible.isEmpty else { return nil }
        let total = feasible.reduce(0) { $0 + typeWeights[$1]! }
        var u = random.uniform() * total
        var type = feasible.last!
        for t in feasible {
            if u < typeWeights[t]! { type = t; break }
            u -= typeWeights[t]!
        }
        return (samplers[type]!.sample(length: n, using: random)!, type)
    }
}
