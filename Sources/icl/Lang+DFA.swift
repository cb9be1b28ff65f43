import ArgumentParser
import Experiments

extension Lang {
    struct MinimalDFA: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dfa",
            abstract: "The minimal complete DFA of a regex (Thompson NFA, subset construction, Hopcroft).",
            discussion: """
            States are numbered breadth-first from the start (0), symbols in alphabet order, so equal languages print equal DFAs. The dead state (non-accepting, every transition a self-loop) is counted in "states" when the language has one.

            Examples:
              icl lang dfa --regex '(ab[c])*'
              icl lang dfa --regex 'a*bc*' --alphabet abcd --json
              icl lang dfa --regex '((a|b)c)*' --dot | dot -Tsvg > dfa.svg
            JSON: {"alphabet", "regex", "states", "start", "accepting": [..], "dead" (absent when there is none), "transitions": [{"a": 1, ...} per state]}.
            """)

        @OptionGroup var language: LanguageOptions

        @Flag(help: "Print JSON.")
        var json = false

        @Flag(help: "Print Graphviz DOT.")
        var dot = false

        func validate() throws {
            if json && dot { throw ValidationError("give --json or --dot, not both") }
        }

        func run() throws {
            let report = MinimalDFAReport(try language.language())
            try writeStandardOutput(dot ? try report.dot : json ? try jsonText(report) : report.text)
        }
    }
}
