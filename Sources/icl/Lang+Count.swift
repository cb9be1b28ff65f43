import ArgumentParser
import Experiments

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

        func run() throws {
            let report = MemberCountReport(try language.language(), maxLength: maxLength)
            try emit(report, json: json, text: report.text)
        }
    }
}
