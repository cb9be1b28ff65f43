import ArgumentParser
import Figures
import Experiments
import FormalLanguages

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

        struct Result: Encodable {
            let regex: String
            let alphabet: String
            let states: Int
            let start: Int
            let accepting: [Int]
            let dead: Int?
            let transitions: [[String: Int]]
        }

        func run() throws {
            let lang = try language.language()
            let dfa = lang.dfa
            if dot {
                try writeStandardOutput(dfa.dot(name: lang.source))
                return
            }
            let letters = dfa.alphabet.letters.map(String.init)
            let result = Result(
                regex: lang.source, alphabet: dfa.alphabet.description, states: dfa.stateCount, start: dfa.start,
                accepting: (0..<dfa.stateCount).filter { dfa.accepting[$0] }, dead: dfa.deadStates.first,
                transitions: (0..<dfa.stateCount).map { q in
                    Dictionary(uniqueKeysWithValues: letters.enumerated().map { ($1, dfa.next(q, UInt8($0))) })
                })
            if json {
                try writeStandardOutput(jsonText(result))
                return
            }
            try writeStandardOutput("\(lang.source) over \(dfa.alphabet): minimal complete DFA, \(dfa.stateCount) states, start 0"
                  + (result.dead.map { ", dead state \($0)" } ?? ", no dead state"))
            var rows = [["state", "accepting"] + letters]
            for q in 0..<dfa.stateCount {
                rows.append(["\(q)", dfa.accepting[q] ? "yes" : "no"] + letters.indices.map { "\(dfa.next(q, UInt8($0)))" })
            }
            try writeStandardOutput(TextTable(rows, alignment: .left).rendered)
        }
    }
}
