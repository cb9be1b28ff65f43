import FormalLanguages
import Linalg
import PropertyBased
import Testing

/// The regex syntax of the study: trees, the `[x]` optional, errors with positions.
@Suite struct ParserTests {
    @Test func studyLanguages() throws {
        let a: Regex = .literal("a"), b: Regex = .literal("b"), c: Regex = .literal("c")
        #expect(try Regex(parsing: "a*bc*") == .concatenation([.star(a), b, .star(c)]))
        #expect(try Regex(parsing: "((a|b)c)*") == .star(.concatenation([.alternation([a, b]), c])))
        #expect(try Regex(parsing: "(ab[c])*") == .star(.concatenation([a, b, .optional(c)])))
        #expect(try Regex(parsing: "(ab[c])*") == Regex(parsing: "(ab(c)?)*"))
        #expect(try Regex(parsing: "[ab]") == .optional(.concatenation([a, b])))
        #expect(try Regex(parsing: "a+?*") == .star(a))  // a run of postfix operators is one
        #expect(try Regex(parsing: "(ab)c|(a|b)|0") == .alternation([.concatenation([a, b, c]), a, b, .literal("0")]))
    }

    /// Each error names the position where the grammar could not go on and what it expected.
    @Test(arguments: [
        ("a(b|", "regex: position 4: expected a literal or '(' or '['"),
        ("", "regex: position 0: expected a literal or '(' or '['"),
        ("*a", "regex: position 0: expected a literal or '(' or '[', found '*'"),
        ("a||b", "regex: position 2: expected a literal or '(' or '[', found '|'"),
        ("()", "regex: position 1: expected a literal or '(' or '[', found ')'"),
        ("a)", "regex: position 1: ')' has no matching '('"),
        ("a]b", "regex: position 1: ']' has no matching '['"),
        ("(ab", "regex: position 3: expected ')' to close '(' at position 0"),
        ("x[ab", "regex: position 4: expected ']' to close '[' at position 1"),
        ("(a]", "regex: position 2: expected ')' to close '(' at position 0, found ']'"),
        ("a-b", "regex: position 1: '-' is not a literal (a-z, A-Z, 0-9) or an operator (| * + ? ( ) [ ])"),
        ("a b", "regex: position 1: ' ' is not a literal (a-z, A-Z, 0-9) or an operator (| * + ? ( ) [ ])"),
        ("(a.)", "regex: position 2: '.' is not a literal (a-z, A-Z, 0-9) or an operator (| * + ? ( ) [ ])"),
    ])
    func syntaxErrors(text: String, message: String) {
        #expect(throws: FormalLanguageError.self) { try Regex(parsing: text) }
        do {
            _ = try Regex(parsing: text)
        } catch {
            #expect(error.description == message, "regex \(text)")
        }
    }

    @Test func alphabetErrors() throws {
        #expect(throws: FormalLanguageError.emptyAlphabet) { try Alphabet("") }
        #expect(throws: FormalLanguageError.repeatedAlphabetLetter("a")) { try Alphabet("aba") }
        #expect(throws: FormalLanguageError.invalidAlphabetLetter("#")) { try Alphabet("ab#") }
        #expect(throws: FormalLanguageError.regexLetterOutsideAlphabet(letter: "d", position: 4, alphabet: "abc")) {
            try RegularLanguage(regex: "(ab)d*", alphabet: "cab")
        }
        #expect(throws: FormalLanguageError.stringLetterOutsideAlphabet(letter: "z", alphabet: "ab")) {
            try RegularLanguage(regex: "ab").contains("abz")
        }
        #expect(try Alphabet("cba") == Alphabet("abc"))
        #expect(try RegularLanguage(regex: "b(a|c)").alphabet.description == "abc")
    }

    /// Writing a tree and parsing it back gives the tree (over hundreds of random regexes).
    @Test func roundTrip() async {
        await propertyCheck(count: 400, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let r = randomRegex(random, depth: random.int(in: 0...5))
            let text = r.description
            #expect((try? Regex(parsing: text)) == r, "seed \(seed): \(text)")
        }
    }
}
