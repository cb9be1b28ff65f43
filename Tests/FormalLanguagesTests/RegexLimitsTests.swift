import Foundation
@testable import FormalLanguages
import Linalg
import Testing

/// The parser's limits (length, bracket depth), runs of postfix operators, the subset
/// construction's state limit, and the regexes the fuzzer kept (Tests/fuzz/regex-fixtures).
@Suite struct RegexLimitsTests {
    static let depthLimit = 1000, lengthLimit = 200_000

    /// `depth` nested groups around `a`, each `open inner close` with `inner` built from the next.
    func nested(_ depth: Int, _ wrap: (String) -> String) -> String {
        var s = "a"
        for _ in 0..<depth { s = wrap(s) }
        return s
    }

    /// At the depth limit every pass (parse, Thompson, subset, Hopcroft, description, letters,
    /// size, equality) runs; the languages are checked on strings.
    @Test func atTheDepthLimit() throws {
        let groups = try RegularLanguage(regex: nested(Self.depthLimit) { "(\($0))" })
        #expect(groups.dfa.stateCount == 3)  // a, plus start and dead
        let alternations = nested(Self.depthLimit) { "(b|\($0))" }
        let language = try RegularLanguage(regex: alternations)
        #expect(try language.contains("a") && language.contains("b") && !language.contains("ab"))
        let stars = try RegularLanguage(regex: nested(Self.depthLimit) { "(\($0))*" })  // star over star, 1000 deep
        #expect(try stars.dfa == RegularLanguage(regex: "a*").dfa)
        let optionals = try RegularLanguage(regex: nested(Self.depthLimit) { "[\($0)]b" })
        #expect(try optionals.contains("b") && optionals.contains("a" + String(repeating: "b", count: Self.depthLimit)))
        #expect(try !optionals.contains("ab"))
        // Mixed: its subset construction grows past any budget, but parsing, Thompson's
        // construction and the printing passes run.
        let mixed = try Regex(parsing: nested(Self.depthLimit / 2) { "[b(\($0))*]c" })  // two levels each
        #expect(try Regex(parsing: mixed.description) == mixed)
        #expect(mixed.letters == ["a", "b", "c"])
        #expect(mixed.size > 3 * Self.depthLimit / 2)
        #expect(try (mixed.size...2 * mixed.size).contains(NFA(thompson: mixed, alphabet: Alphabet("abc")).stateCount))
    }

    @Test func pastTheDepthLimit() {
        #expect(throws: FormalLanguageError.regexTooDeep(depth: 1001, limit: 1000)) { try Regex(parsing: nested(1001) { "(\($0))" }) }
        #expect(throws: FormalLanguageError.regexTooDeep(depth: 60000, limit: 1000)) {
            try Regex(parsing: String(repeating: "(", count: 60000) + "a" + String(repeating: ")", count: 60000))
        }
        // Brackets of both kinds count, and an unclosed run too.
        #expect(throws: FormalLanguageError.regexTooDeep(depth: 1500, limit: 1000)) { try Regex(parsing: String(repeating: "([", count: 750)) }
        let message = FormalLanguageError.regexTooDeep(depth: 60000, limit: 1000).description
        #expect(message == "regex: it nests 60000 groups deep; at most 1000 are accepted")
    }

    @Test func lengthLimit() throws {
        let longest = String(repeating: "ab", count: Self.lengthLimit / 2)
        #expect(try Regex(parsing: longest).size == Self.lengthLimit + 1)
        #expect(throws: FormalLanguageError.regexTooLong(length: Self.lengthLimit + 1, limit: Self.lengthLimit)) {
            try Regex(parsing: longest + "a")
        }
    }

    /// A run of postfix operators is one node of the same language.
    @Test func operatorRuns() throws {
        let a: Regex = .literal("a")
        #expect(try Regex(parsing: "a" + String(repeating: "*", count: 100_000)) == .star(a))
        #expect(try Regex(parsing: "a+++") == .plus(a))
        #expect(try Regex(parsing: "a??") == .optional(a))
        #expect(try Regex(parsing: "a?+") == .star(a))
        #expect(try Regex(parsing: "a+?") == .star(a))
        // Bracketed: two nodes, written back with parentheses.
        #expect(try Regex(parsing: "(a?)*") == .star(.optional(a)))
        #expect(try Regex(parsing: "[a]*") == .star(.optional(a)))
        #expect(Regex.star(.optional(a)).description == "(a?)*")
        for (runs, plain) in [("(ab)+?", "(ab)*"), ("a?+b", "a*b"), ("(a|b)++", "(a|b)+"), ("(a|b)??c", "(a|b)?c")] {
            #expect(try RegularLanguage(regex: runs).dfa == RegularLanguage(regex: plain).dfa, "\(runs)")
        }
    }

    /// A concatenation of 120000 letters: one DFA state per prefix, a start, and the dead state.
    @Test func longConcatenation() throws {
        let letters = String(repeating: "ab", count: 60_000)
        let language = try RegularLanguage(regex: letters)
        #expect(language.dfa.stateCount == 120_002)
        #expect(try language.contains(letters) && !language.contains(String(letters.dropLast())))
    }

    /// `(a|b)*a(a|b)^k` has 2^(k+1) subset states besides the start set (whose ε-closure no
    /// later set repeats): exactly that many pass, one fewer is refused with the count reached.
    @Test func stateLimit() throws {
        let regex = "(a|b)*a" + String(repeating: "(a|b)", count: 5)
        let nfa = NFA(thompson: try Regex(parsing: regex), alphabet: try Alphabet("ab"))
        let full = try DFA(determinizing: nfa)
        #expect(full.stateCount == 65)
        #expect(try DFA(determinizing: nfa, stateLimit: 65) == full)
        #expect(throws: FormalLanguageError.tooManyStates(what: "the automaton", reached: 65, limit: 64)) {
            try DFA(determinizing: nfa, stateLimit: 64)
        }
        var seen: [Int] = []
        let wide = NFA(thompson: try Regex(parsing: "(a|b)*a" + String(repeating: "(a|b)", count: 13)), alphabet: try Alphabet("ab"))
        #expect(throws: FormalLanguageError.tooManyStates(what: "the regex", reached: 10_001, limit: 10_000)) {
            try RegularLanguage(source: "", regex: try Regex(parsing: "(a|b)*a" + String(repeating: "(a|b)", count: 13)),
                                alphabet: nil, stateLimit: 10_000, progress: { seen.append($0) })
        }
        #expect(seen == [4096, 8192])
        #expect(try DFA(determinizing: wide, stateLimit: 20_000).stateCount == 16_385)
        #expect(throws: FormalLanguageError.self) { try HardNegatives(full.minimized(), stateLimit: 10) }
        #expect(try HardNegatives(full.minimized(), stateLimit: 100_000).byType == HardNegatives(full.minimized()).byType)
    }

    /// The dense (bitset) and sparse (sorted array) subset constructions build the same DFA,
    /// state for state, on random regexes, and stop at the same count under a limit.
    @Test func denseAndSparseAgree() throws {
        let random = RandomSource(seed: 18)
        for _ in 0..<300 {
            let nfa = NFA(thompson: randomRegex(random, depth: random.int(in: 0...5)), alphabet: testAlphabet)
            let dense = try DFA.subsets(of: nfa, sparse: false, stateLimit: nil, of: "", progress: nil)
            let sparse = try DFA.subsets(of: nfa, sparse: true, stateLimit: nil, of: "", progress: nil)
            #expect(dense.accepting == sparse.accepting && dense.transitions == sparse.transitions)
        }
        let blowUp = NFA(thompson: try Regex(parsing: "(a|b)*a(a|b)(a|b)(a|b)"), alphabet: testAlphabet)
        for sparse in [false, true] {
            #expect(throws: FormalLanguageError.tooManyStates(what: "x", reached: 9, limit: 8)) {
                try DFA.subsets(of: blowUp, sparse: sparse, stateLimit: 8, of: "x", progress: nil)
            }
        }
    }

    /// Every input the fuzzer kept: an error with a position in the text, or a tree whose
    /// description parses back to it with the same minimal DFA.
    @Test func fuzzFixtures() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fuzz/regex-fixtures")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(files.count >= 6)
        for file in files {
            let text = String(decoding: try Data(contentsOf: directory.appendingPathComponent(file)), as: UTF8.self)
            do {
                let tree = try Regex(parsing: text)
                let again = try Regex(parsing: tree.description)
                #expect(again == tree, "\(file)")
                let alphabet = try Alphabet(String(tree.letters))
                #expect(RegularLanguage(regex: tree, alphabet: alphabet).dfa == RegularLanguage(regex: again, alphabet: alphabet).dfa, "\(file)")
            } catch {
                if case let .syntax(position, _) = error { #expect((0...text.count).contains(position), "\(file)") }
            }
        }
    }
}
