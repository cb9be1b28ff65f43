import _TestSupport
import BigInt
import Experiments
import FormalLanguages
import Foundation
import Testing
import Weights

/// The `icl lang` reports: their JSON against greenery's DFAs and counts
/// (Fixtures/languages/reference.json, an independent implementation), exact integers above
/// 2^53 as strings and read back exactly, and samples that do not depend on the chunking.
@Suite struct LanguageReportTests {
    static let cases = try! GreeneryLanguageCase.all()

    /// A JSON value as written: a number or a string (no reader's conversion in between).
    enum Written: Decodable, Equatable {
        case number(UInt64), string(String)
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(UInt64.self) { self = .number(n) } else { self = .string(try c.decode(String.self)) }
        }
    }

    @Test func dfaReportIsGreeneryMinimalDFA() throws {
        #expect(Self.cases.count >= 18)
        for c in Self.cases {
            let report = MinimalDFAReport(try RegularLanguage(regex: c.regex, alphabet: c.alphabet))
            let letters = c.alphabet.map(String.init).sorted()
            let dead = (0..<c.states).first { q in !c.accepting.contains(q) && c.transitions[q].allSatisfy { $0 == q } }
            #expect(report.regex == c.regex && report.alphabet == letters.joined())
            #expect(report.states == c.states && report.start == c.start && report.accepting == c.accepting, "\(c.regex)")
            #expect(report.dead == dead, "\(c.regex): dead state \(String(describing: report.dead)), greenery's \(String(describing: dead))")
            #expect(report.transitions == c.transitions.map { row in Dictionary(uniqueKeysWithValues: zip(letters, row)) }, "\(c.regex)")
        }
    }

    /// The JSON read back is the same report, and describes the same automaton (so `--dot` of
    /// a saved report draws the language's DFA).
    @Test func dfaReportRoundTrips() throws {
        for c in Self.cases {
            let language = try RegularLanguage(regex: c.regex, alphabet: c.alphabet)
            let report = MinimalDFAReport(language)
            let read = try JSONDecoder().decode(MinimalDFAReport.self, from: Data(try jsonText(report).utf8))
            #expect(read == report)
            #expect(try read.automaton() == language.dfa, "\(c.regex)")
            #expect(try read.dot == language.dfa.dot(name: c.regex))
        }
    }

    @Test func inconsistentDFAReportIsRefused() throws {
        var report = MinimalDFAReport(try RegularLanguage(regex: "a*bc*"))
        report.transitions[1]["b"] = 7
        #expect(throws: InconsistentDFAReport.self) { try report.automaton() }
        report = MinimalDFAReport(try RegularLanguage(regex: "a*bc*"))
        report.transitions[0].removeValue(forKey: "c")
        #expect(throws: InconsistentDFAReport.self) { try report.automaton() }
    }

    /// Every count equals greenery's; up to 2^53 it is written as a number, above as a decimal
    /// string; read back, the values are exact.
    @Test func countReportWritesExactIntegers() throws {
        let limit = BigUInt(1) << 53
        var strings = 0
        for c in Self.cases {
            let report = MemberCountReport(try RegularLanguage(regex: c.regex, alphabet: c.alphabet), maxLength: c.counts.count - 1)
            let text = try jsonText(report)
            struct Written_: Decodable { let counts: [Written] }
            let written = try JSONDecoder().decode(Written_.self, from: Data(text.utf8)).counts
            #expect(written.count == c.counts.count)
            for (n, (w, expected)) in zip(written, c.counts).enumerated() {
                let value = BigUInt(expected)!
                let form: Written = value <= limit ? .number(UInt64(value)) : .string(expected)
                #expect(w == form, "\(c.regex) length \(n): written \(w), greenery's count \(expected)")
                if case .string = w { strings += 1 }
            }
            let read = try JSONDecoder().decode(MemberCountReport.self, from: Data(text.utf8))
            #expect(read.counts.map(\.value.description) == c.counts)
        }
        #expect(strings > 0, "no count above 2^53: the string form was not exercised")
    }

    @Test func exactIntegerBoundaryAndRefusals() throws {
        let two53 = BigUInt(1) << 53
        #expect(try jsonText([ExactInteger(two53)]).contains("9007199254740992\n"))
        #expect(try jsonText([ExactInteger(two53 + 1)]).contains("\"9007199254740993\""))
        let big = BigUInt(3).power(200)
        #expect(try JSONDecoder().decode([ExactInteger].self, from: Data(try jsonText([ExactInteger(big)]).utf8)) == [ExactInteger(big)])
        for bad in ["[-1]", "[1.5]", "[\"12a\"]", "[\"\"]", "[\"-3\"]", "[\" 4\"]", "[null]"] {
            #expect(throws: DecodingError.self, "\(bad)") { try JSONDecoder().decode([ExactInteger].self, from: Data(bad.utf8)) }
        }
    }

    /// Drawing in chunks continues one stream: the lines do not depend on the chunk size; each
    /// label is the language's verdict and each JSON line reads back as its line.
    @Test func sampleIsIndependentOfChunkingAndLabelledByTheLanguage() throws {
        let language = try RegularLanguage(regex: "a*bc*", alphabet: "abc")
        let sample = try LanguageSample(language, lengths: .uniformLength(1...9), negatives: .hard, editTypes: [.insertion, .deletion])
        func lines(chunk: Int) -> [LanguageSample.Line] {
            var out: [LanguageSample.Line] = []
            sample.draw(count: 25, seed: 7, chunk: chunk) { out += $0 }
            return out
        }
        let whole = lines(chunk: 100)
        #expect(whole.count == 50)
        #expect(lines(chunk: 7) == whole && lines(chunk: 1) == whole)
        var other: [LanguageSample.Line] = []
        sample.draw(count: 25, seed: 8) { other += $0 }
        #expect(other != whole)
        for (i, line) in whole.enumerated() {
            #expect(try line.member == language.contains(line.string), "\(line)")
            #expect(line.member == (i % 2 == 0))
            #expect(line.member ? line.edit == nil : [EditType.insertion, .deletion].contains(line.edit))
        }
        let encoder = JSONStyle.LineEncoder()
        var rendered: [String] = []
        try sample.render(count: 25, seed: 7, json: true) { rendered.append($0) }
        let jsonLines = rendered.joined(separator: "\n").split(separator: "\n")
        #expect(try jsonLines.map { try JSONDecoder().decode(LanguageSample.Line.self, from: Data($0.utf8)) } == whole)
        #expect(try jsonLines.first.map(String.init) == encoder.line(whole[0]))
    }

    @Test func sampleTextLines() throws {
        #expect(LanguageSample.Line(string: "", member: true, edit: nil).text == "(empty)  member")
        #expect(LanguageSample.Line(string: "abb", member: false, edit: .insertion).text == "abb  non-member  (hard: insertion)")
        #expect(try JSONStyle.LineEncoder().line(LanguageSample.Line(string: "ab", member: false, edit: .deletion))
                == #"{"edit":"deletion","member":false,"string":"ab"}"#)
    }

    @Test func sampleWithoutStringsOfTheLengthIsRefused() throws {
        let language = try RegularLanguage(regex: "((a|b)c)*")
        #expect(throws: FormalLanguageError.noStrings(kind: .member, lengths: 3...3)) {
            try LanguageSample(language, lengths: .exactly(3), negatives: .none)
        }
    }
}
