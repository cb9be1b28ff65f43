import BigInt
import FormalLanguages
import Linalg
import PropertyBased
import Testing

/// Exact counts of members of each length.
@Suite struct CountingTests {
    /// Counts agree with enumerating every string of length <= 6 and asking the matcher.
    @Test func countsAgreeWithEnumeration() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let r = randomRegex(random, depth: random.int(in: 0...4))
            let counts = RegularLanguage(regex: r, alphabet: testAlphabet).dfa.memberCounts(maxLength: 6)
            for n in 0...6 {
                let enumerated = allStrings(size: 3, length: n).filter { matches(r, $0, testAlphabet) }.count
                #expect(counts[n] == BigUInt(enumerated), "seed \(seed): \(r), length \(n)")
            }
        }
    }

    /// Closed forms of the study languages and of Sigma*, far beyond 64 bits.
    @Test func closedForms() throws {
        let n = 1000
        let all = try RegularLanguage(regex: "(a|b|c)*").dfa.memberCounts(maxLength: n)
        #expect(all == (0...n).map { BigUInt(3).power($0) })
        let aStarBCStar = try RegularLanguage(regex: "a*bc*").dfa.memberCounts(maxLength: n)
        #expect(aStarBCStar == (0...n).map { BigUInt($0) })
        let pairs = try RegularLanguage(regex: "((a|b)c)*").dfa.memberCounts(maxLength: n)
        #expect(pairs == (0...n).map { $0 % 2 == 0 ? BigUInt(2).power($0 / 2) : 0 })
        // (ab[c])*: a member is a sequence of blocks ab and abc, so c_n = c_{n-2} + c_{n-3}.
        let blocks = try RegularLanguage(regex: "(ab[c])*").dfa.memberCounts(maxLength: n)
        var expected: [BigUInt] = [1, 0, 1]
        for m in 3...n { expected.append(expected[m - 2] + expected[m - 3]) }
        #expect(blocks == expected)
        #expect(blocks[20] == 114 && aStarBCStar[20] == 20 && pairs[20] == 1024)
    }

    /// The limb arithmetic against plain BigUInt dynamic programming on random DFAs with up to
    /// 30 states and 5 symbols, to length 300.
    @Test func limbArithmeticAgreesWithBigUInt() async {
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let family = try! RandomDFAFamily(states: random.int(in: 1...30), alphabetSize: random.int(in: 1...5), lengths: 0...5, seed: seed)
            let dfa = family.randomDFA(random)
            var f = dfa.accepting.map { BigUInt($0 ? 1 : 0) }
            var expected = [f[dfa.start]]
            for _ in 0..<300 {
                f = (0..<dfa.stateCount).map { q in (0..<dfa.symbolCount).reduce(BigUInt(0)) { $0 + f[dfa.next(q, UInt8($1))] } }
                expected.append(f[dfa.start])
            }
            #expect(dfa.memberCounts(maxLength: 300) == expected, "seed \(seed)")
        }
    }
}
