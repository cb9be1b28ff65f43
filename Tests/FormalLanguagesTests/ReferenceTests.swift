import BigInt
import Foundation
import FormalLanguages
import Testing
import _TestSupport

/// Agreement with an independent implementation: greenery (Python; its own constructions and
/// Brzozowski minimisation) made Fixtures/languages/reference.json with make_reference.py.
/// Every minimal DFA must be identical in the canonical numbering (same state count, same
/// accepting states, same transitions) and every count equal, for the three study languages
/// and fifteen more regexes (with larger alphabets, a 256-state blow-up, counts to 200).
@Suite struct ReferenceTests {
    @Test func agreesWithGreenery() throws {
        let cases = try GreeneryLanguageCase.all()
        #expect(cases.count >= 18)
        for c in cases {
            let dfa = try RegularLanguage(regex: c.regex, alphabet: c.alphabet).dfa
            let label = "\(c.regex) over \(c.alphabet)"
            #expect(dfa.stateCount == c.states, "\(label): \(dfa.stateCount) states, greenery \(c.states)")
            #expect(dfa.start == c.start)
            #expect((0..<dfa.stateCount).filter { dfa.accepting[$0] } == c.accepting, "\(label): accepting states differ")
            #expect((0..<dfa.stateCount).map { q in (0..<dfa.symbolCount).map { dfa.next(q, UInt8($0)) } } == c.transitions,
                    "\(label): transitions differ")
            let counts = dfa.memberCounts(maxLength: c.counts.count - 1)
            #expect(counts.map(\.description) == c.counts, "\(label): counts differ")
        }
    }

    /// The study's three languages, as the closing note of the issue reports them.
    @Test func studyLanguagesAtLength20() throws {
        let expected: [(String, Int, BigUInt)] = [("a*bc*", 3, 20), ("((a|b)c)*", 3, 1024), ("(ab[c])*", 4, 114)]
        for (regex, states, count) in expected {
            let dfa = try RegularLanguage(regex: regex, alphabet: "abc").dfa
            #expect(dfa.stateCount == states && dfa.memberCount(length: 20) == count, "\(regex)")
        }
    }
}
