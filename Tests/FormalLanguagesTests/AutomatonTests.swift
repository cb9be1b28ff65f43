import _TestSupport
import FormalLanguages
import Linalg
import PropertyBased
import Testing

/// Thompson NFA -> subset construction -> Hopcroft agrees with a backtracking matcher written
/// from the grammar, and the minimal DFA is minimal (Myhill-Nerode classes by brute force).
@Suite struct AutomatonTests {
    /// On random strings (lengths 0...12, letters a, b, c) of random regexes: the subset DFA and
    /// the minimal DFA both agree with the matcher.
    @Test func dfaAgreesWithBacktrackingMatcher() async {
        await propertyCheck(count: 400, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let r = randomRegex(random, depth: random.int(in: 0...4))
            let language = try! RegularLanguage(regex: r.description, alphabet: "abc")
            let subset = try! DFA(determinizing: NFA(thompson: r, alphabet: testAlphabet))
            for _ in 0..<60 {
                let w = randomString(random, size: 3, lengths: 0...12)
                let expected = matches(r, w, testAlphabet)
                #expect(language.dfa.accepts(w) == expected, "seed \(seed): \(r) on \(testAlphabet.string(w))")
                #expect(subset.accepts(w) == expected, "seed \(seed): subset DFA of \(r) on \(testAlphabet.string(w))")
            }
        }
    }

    /// Minimisation keeps the language (exhaustively up to length 7, and by the product search)
    /// and is idempotent and canonical.
    @Test func minimizationPreservesTheLanguage() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let r = randomRegex(random, depth: random.int(in: 1...4))
            let subset = try! DFA(determinizing: NFA(thompson: r, alphabet: testAlphabet))
            let minimal = subset.minimized()
            #expect(minimal.stateCount <= subset.stateCount)
            #expect(minimal.isEquivalent(to: subset), "seed \(seed): \(r)")
            for n in 0...7 {
                for w in allStrings(size: 3, length: n) where minimal.accepts(w) != subset.accepts(w) {
                    Issue.record("seed \(seed): \(r): minimal and subset DFAs differ on \(testAlphabet.string(w))")
                }
            }
            #expect(minimal.minimized() == minimal, "seed \(seed): not idempotent")
            // A relabelled copy with an unreachable state and a duplicated state gives the same DFA.
            let scrambled = scramble(minimal, random)
            #expect(scrambled.isEquivalent(to: minimal))
            #expect(scrambled.minimized() == minimal, "seed \(seed): canonical form depends on the numbering")
        }
    }

    /// The minimal DFA's state count equals the number of Myhill-Nerode classes found by brute
    /// force from the matcher. If the DFA has k states and accepts the right language, the true
    /// index n <= k; every class is reached by a prefix of length <= n - 1 and two classes are
    /// told apart by a suffix of length <= n - 2 (Moore), so the classes of the prefixes of
    /// length <= k - 1, compared on suffixes of length <= k - 2, are exactly the n classes.
    /// Instances needing strings longer than 9 (k > 6) are skipped (counted; most are not).
    @Test func minimalStateCountIsTheNerodeIndex() async {
        let checked = Counter()
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let r = randomRegex(random, depth: random.int(in: 1...4))
            let dfa = RegularLanguage(regex: r, alphabet: testAlphabet).dfa
            let k = dfa.stateCount
            guard 2 * k - 3 <= 9 else { return }
            checked.add()
            let prefixes = (0...max(k - 1, 0)).flatMap { allStrings(size: 3, length: $0) }
            let suffixes = (0...max(k - 2, 0)).flatMap { allStrings(size: 3, length: $0) }
            var memo: [[UInt8]: Bool] = [:]
            func member(_ w: [UInt8]) -> Bool {
                if let v = memo[w] { return v }
                let v = matches(r, w, testAlphabet)
                memo[w] = v
                return v
            }
            let classes = Set(prefixes.map { u in suffixes.map { member(u + $0) } })
            #expect(classes.count == k, "seed \(seed): \(r): minimal DFA has \(k) states, brute force finds \(classes.count) classes")
        }
        print("Nerode index checked by brute force on \(checked.value) of 300 random regexes")
        #expect(checked.value >= 200, "only \(checked.value) of 300 instances were small enough to check")
    }

    /// The agreement checks can fail: flipping one state's acceptance in a minimal DFA (all
    /// states reachable, so the language changes) is caught by the exhaustive comparison.
    @Test func mutantsAreCaught() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let r = randomRegex(random, depth: random.int(in: 1...3))
            let dfa = RegularLanguage(regex: r, alphabet: testAlphabet).dfa
            let q = random.int(in: 0...(dfa.stateCount - 1))
            var accepting = dfa.accepting
            accepting[q].toggle()
            let mutant = DFA(alphabet: dfa.alphabet, start: dfa.start, accepting: accepting, transitions: dfa.transitions)
            let caught = (0...dfa.stateCount).contains { n in
                allStrings(size: 3, length: n).contains { mutant.accepts($0) != matches(r, $0, testAlphabet) }
            }
            #expect(caught, "seed \(seed): flipping state \(q) of \(r)'s DFA went unnoticed")
            #expect(!mutant.isEquivalent(to: dfa))
        }
    }

    @Test func blowUpHasTwoToTheKStates() throws {
        for k in 1...9 {
            let text = "(a|b)*a" + String(repeating: "(a|b)", count: k - 1)
            #expect(try RegularLanguage(regex: text).dfa.stateCount == 1 << k, "\(text)")
        }
    }

    @Test func studyLanguageSizes() throws {
        // a*bc*: before b, after b, dead. ((a|b)c)*: even, odd, dead. (ab[c])*: start/after c, after a, after b, dead.
        #expect(try RegularLanguage(regex: "a*bc*").dfa.stateCount == 3)
        #expect(try RegularLanguage(regex: "((a|b)c)*").dfa.stateCount == 3)
        #expect(try RegularLanguage(regex: "(ab[c])*").dfa.stateCount == 4)
        #expect(try RegularLanguage(regex: "(a|b)*").dfa.stateCount == 1)
        #expect(try RegularLanguage(regex: "(a|b)*", alphabet: "abc").dfa.stateCount == 2)
    }
}

/// A copy of `dfa` with its states permuted, one unreachable state added, and one state
/// duplicated (half its incoming transitions moved to the copy).
func scramble(_ dfa: DFA, _ random: RandomSource) -> DFA {
    let n = dfa.stateCount, s = dfa.symbolCount
    let duplicated = random.int(in: 0...(n - 1))
    // States 0..<n originals, n the duplicate, n + 1 unreachable.
    var transitions = dfa.transitions + (0..<s).map { dfa.next(duplicated, UInt8($0)) }
        + (0..<s).map { _ in random.int(in: 0...(n - 1)) }
    for i in 0..<(n * s) where transitions[i] == duplicated && random.uniform() < 0.5 { transitions[i] = n }
    var accepting = dfa.accepting + [dfa.accepting[duplicated], random.uniform() < 0.5]
    var permutation = Array(0..<(n + 2))
    for i in stride(from: n + 1, to: 0, by: -1) { permutation.swapAt(i, random.int(in: 0...i)) }
    var newTransitions = [Int](repeating: 0, count: (n + 2) * s)
    var newAccepting = accepting
    for q in 0..<(n + 2) {
        newAccepting[permutation[q]] = accepting[q]
        for a in 0..<s { newTransitions[permutation[q] * s + a] = permutation[transitions[q * s + a]] }
    }
    accepting = newAccepting
    return DFA(alphabet: dfa.alphabet, start: permutation[dfa.start], accepting: accepting, transitions: newTransitions)
}
