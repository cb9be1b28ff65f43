import ArgumentParser
import Figures
import Experiments
import FormalLanguages

extension Lang {
    struct Count: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The exact number of members of each length 0...n.",
            discussion: """
            c_n = f_n(start) with f_0(q) = [q accepting], f_m(q) = sum over symbols a of
            f_{m-1}(delta(q, a)) on the minimal DFA: exact integers of any size.

            Examples:
              icl lang count --regex '(ab[c])*' --max-length 20
              icl lang count --regex '(a|b)*a(a|b)(a|b)' --max-length 1000 --json
            JSON: {"alphabet", "regex", "counts": [c_0, ..., c_n]}; a count above 2^53 is a
            decimal string (so no JSON reader rounds it).
            """)

        @OptionGroup var language: LanguageOptions

        @Option(name: .customLong("max-length"), parsing: .unconditional, help: "The largest length n (0...10000).")
        var maxLength: Int

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            guard (0...10_000).contains(maxLength) else { throw ValidationError("--max-length must be in 0...10000, got \(maxLength)") }
        }

        struct Result: Encodable {
            let regex: String
            let alphabet: String
            let counts: [ExactInteger]
        }

        func run() throws {
            let lang = try language.language()
            let counts = lang.dfa.memberCounts(maxLength: maxLength)
            if json {
                try writeStandardOutput(jsonText(Result(regex: lang.source, alphabet: lang.alphabet.description, counts: counts.map(ExactInteger.init))))
                return
            }
            try writeStandardOutput("\(lang.source) over \(lang.alphabet): members of each length (exact)")
            try writeStandardOutput(TextTable([["length", "members"]] + counts.enumerated().map { ["\($0)", "\($1)"] }, alignment: .left).rendered)
        }
    }
}
