import BigInt
import FormalLanguages
import Linalg
import PropertyBased
import Testing

/// Hard negatives: non-members one edit (substitution, insertion, deletion) from a member.
@Suite struct HardNegativeTests {
    /// Brute force from the matcher: x (length n) is a t-hard negative when x is not a member
    /// and some member is x with one t-edit undone.
    static func isHardNegative(_ x: [UInt8], _ t: EditType, _ r: Regex) -> Bool {
        isHardNegative(x, t) { matches(r, $0, testAlphabet) }
    }

    static func isHardNegative(_ x: [UInt8], _ t: EditType, member: ([UInt8]) -> Bool) -> Bool {
        guard !member(x) else { return false }
        switch t {
        case .substitution:
            return x.indices.contains { i in (0..<3).contains { b in var w = x; w[i] = UInt8(b); return member(w) } }
        case .insertion:
            return x.indices.contains { i in var w = x; w.remove(at: i); return member(w) }
        case .deletion:
            return (0...x.count).contains { i in (0..<3).contains { b in var w = x; w.insert(UInt8(b), at: i); return member(w) } }
        }
    }

    /// The automata H_t hold exactly the brute-force hard negatives of each type (all strings of
    /// length <= 5), and `witness` finds a member for each.
    @Test func automataMatchBruteForce() async {
        await propertyCheck(count: 150, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let r = randomRegex(random, depth: random.int(in: 1...4))
            let negatives = HardNegatives(RegularLanguage(regex: r, alphabet: testAlphabet).dfa)
            for n in 0...5 {
                for x in allStrings(size: 3, length: n) {
                    for t in EditType.allCases {
                        let expected = Self.isHardNegative(x, t, r)
                        #expect(negatives.byType[t]!.accepts(x) == expected, "seed \(seed): \(r): \(testAlphabet.string(x)) \(t)")
                        if expected {
                            let w = negatives.witness(x, type: t)
                            #expect(w.map { matches(r, $0, testAlphabet) } == true, "seed \(seed): no witness for \(testAlphabet.string(x))")
                        } else if !matches(r, x, testAlphabet) {
                            #expect(negatives.witness(x, type: t) == nil)
                        }
                    }
                }
            }
        }
    }

    /// Sampled hard negatives (lengths 0...20) are non-members with a member one edit of the
    /// named type away (checked with the polynomial matcher).
    @Test func samplesAreHardNegatives() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let r = randomRegex(random, depth: random.int(in: 1...4))
            let dfa = RegularLanguage(regex: r, alphabet: testAlphabet).dfa
            guard let sampler = try? LabelledSampler(dfa, lengths: .uniformLength(0...20), negatives: .hard) else {
                #expect(HardNegativeSampler.noneExist(dfa, lengths: 0...20), "seed \(seed): \(r): the sampler refused but hard negatives exist")
                return
            }
            let matcher = PositionMatcher(r)
            for s in sampler.sample(count: 10, using: random) {
                #expect(s.member == matcher.matches(s.symbols, testAlphabet), "seed \(seed): \(r): wrong label on \(testAlphabet.string(s.symbols))")
                if let t = s.edit {
                    #expect(Self.isHardNegative(s.symbols, t) { matcher.matches($0, testAlphabet) }, "seed \(seed): \(r): \(testAlphabet.string(s.symbols)) is not a \(t) hard negative")
                }
            }
        }
    }

    /// The edit type is uniform over the feasible types, and the string uniform within the
    /// type (chi-square at a fixed seed, level 1e-4 each), for a*bc* at length 6.
    @Test func typesBalancedAndUniformWithin() throws {
        let dfa = try RegularLanguage(regex: "a*bc*", alphabet: "abc").dfa
        let n = 6
        let sampler = try HardNegativeSampler(HardNegatives(dfa), lengths: .exactly(n))
        let random = RandomSource(seed: 77)
        var byType: [EditType: [[UInt8]: Int]] = [:]
        let draws = 60_000
        for _ in 0..<draws {
            let (x, t) = sampler.sample(using: random)
            byType[t, default: [:]][x, default: 0] += 1
        }
        let typeCounts = EditType.allCases.map { byType[$0]?.values.reduce(0, +) ?? 0 }
        #expect(chiSquare(observed: typeCounts, expected: [Double](repeating: Double(draws) / 3, count: 3)) < chiSquareCritical(df: 2, alpha: 1e-4),
                "type counts \(typeCounts)")
        // The type sizes differ a lot, so a sampler uniform over the union would favour one type.
        let sizes = EditType.allCases.map { Int(sampler.count(length: n, type: $0)) }
        print("a*bc* length 6 hard negatives per type (substitution, insertion, deletion): \(sizes), drawn \(typeCounts)")
        #expect(Set(sizes).count > 1)
        for t in EditType.allCases {
            let strings = allStrings(size: 3, length: n).filter { dfa.complement().accepts($0) && HardNegatives(dfa).witness($0, type: t) != nil }
            #expect(strings.count == sizes[EditType.allCases.firstIndex(of: t)!])
            let observed = strings.map { byType[t]?[$0] ?? 0 }
            #expect(observed.reduce(0, +) == typeCounts[EditType.allCases.firstIndex(of: t)!], "\(t): a sample outside the type's set")
            let each = Double(observed.reduce(0, +)) / Double(strings.count)
            #expect(chiSquare(observed: observed, expected: [Double](repeating: each, count: strings.count))
                    < chiSquareCritical(df: strings.count - 1, alpha: 1e-4), "\(t) is not uniform within its type")
        }
    }

    @Test func restrictedTypesAndErrors() throws {
        let dfa = try RegularLanguage(regex: "((a|b)c)*", alphabet: "abc").dfa
        let onlyDeletions = try HardNegativeSampler(HardNegatives(dfa), lengths: .exactly(5), typeWeights: [.deletion: 1])
        let random = RandomSource(seed: 1)
        for _ in 0..<100 { #expect(onlyDeletions.sample(using: random).edit == .deletion) }
        // Sigma*: no non-member at all, so no hard negative.
        let everything = try RegularLanguage(regex: "(a|b)*").dfa
        #expect(throws: FormalLanguageError.noStrings(kind: .hardNegative, lengths: 0...4)) {
            try LabelledSampler(everything, lengths: .uniformLength(0...4), negatives: .hard)
        }
        #expect(throws: FormalLanguageError.noStrings(kind: .nonMember, lengths: 3...3)) {
            try LabelledSampler(everything, lengths: .exactly(3), negatives: .uniform)
        }
    }
}

extension HardNegativeSampler {
    /// Whether L has no hard negative of any type with a length in `lengths` (brute force on the DFA).
    static func noneExist(_ dfa: DFA, lengths: ClosedRange<Int>) -> Bool {
        let h = HardNegatives(dfa)
        return EditType.allCases.allSatisfy { t in h.byType[t]!.memberCounts(maxLength: lengths.upperBound)[lengths].allSatisfy { $0 == 0 } }
            || dfa.memberCounts(maxLength: lengths.upperBound)[lengths].allSatisfy { $0 == 0 }
    }
}
