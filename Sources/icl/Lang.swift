import ArgumentParser
import FormalLanguages
import Foundation

/// `icl lang`: regular languages for the formal-language experiment (seeds/000): minimal DFAs,
/// exact counts, uniformly sampled strings with labels checked against the DFA.
struct Lang: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Regular languages: minimal DFAs, exact counts, uniform samples with checked labels.",
        discussion: """
        Regex syntax (the study's): letters and digits, concatenation, | * + ? and parentheses; [x] means an optional x, so (ab[c])* = (ab(c)?)*. The alphabet defaults to the regex's own letters; --alphabet adds letters the regex does not use (and must hold all it does).

        Examples:
          icl lang dfa --regex '(ab[c])*'
          icl lang dfa --regex 'a*bc*' --alphabet abc --dot | dot -Tsvg > dfa.svg
          icl lang count --regex '((a|b)c)*' --max-length 20 --json
          icl lang sample --regex 'a*bc*' --lengths 1..20 --count 5 \\
            --negatives hard --seed 7 --json

        Limits: a regex of at most 200000 characters nesting ( and [ at most 1000 deep; a run of postfix operators is one (a** = a*, a+? = a*). The subset construction stops past --max-states DFA states (default 100000; raise it for a larger automaton, memory grows with it); a construction over a second shows its progress on stderr.

        Exit codes: 0 done, 2 bad input (a syntax error, a regex past the limits, an empty alphabet, a letter outside the alphabet, more states than --max-states, no string of the asked kind and length, a count out of range, an option the mode does not use).
        """,
        subcommands: [MinimalDFA.self, Count.self, Sample.self]
    )
}

/// `--regex` and `--alphabet`, shared by the `icl lang` subcommands. Each is parsed when the
/// command line is read (a syntax error, an empty or repeated letter: ArgumentParser's
/// "invalid for '--regex <regex>'" with the reason, exit 2); `validate()` checks that the
/// alphabet holds the regex's letters, and `language()` builds the minimal DFA, once.
struct LanguageOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "The regular expression, e.g. 'a*bc*', '((a|b)c)*', '(ab[c])*' (quote it for the shell).",
            transform: RegexArgument.init(parsing:))
    var regex: RegexArgument

    @Option(parsing: .unconditional, help: "The alphabet: distinct letters or digits, e.g. abc (default: the regex's letters).",
            transform: Alphabet.init(parsing:))
    var alphabet: Alphabet?

    @Option(name: .customLong("max-states"), parsing: .unconditional,
            help: "Stop the subset construction past this many DFA states (1...100000000); memory grows with it.")
    var maxStates: Int = 100_000

    func validate() throws {
        if let error = regex.tooLarge { throw ValidationError("--regex: \(error.detail)") }
        guard (1...100_000_000).contains(maxStates) else { throw ValidationError("--max-states must be in 1...100000000, got \(maxStates)") }
        do { try alphabet?.requireLetters(of: regex.source) } catch { throw ValidationError(message(for: error)) }
    }

    /// The language over the alphabet: the regex's Thompson NFA, determinized (at most
    /// `--max-states` states, progress on stderr past a second) and minimized.
    func language() throws -> RegularLanguage {
        let bar = ProgressBar("subset construction", total: maxStates, unit: "states of --max-states")
        defer { bar.finish() }
        do {
            return try RegularLanguage(source: regex.source, regex: regex.tree, alphabet: alphabet, stateLimit: maxStates,
                                       progress: { bar.update(done: $0) })
        } catch { throw InputError(message(for: error)) }
    }

    /// The message of a library error, in the options' terms.
    func message(for error: FormalLanguageError) -> String {
        switch error {
        case .regexLetterOutsideAlphabet: return "--regex '\(regex.source)': \(error.detail) (add it to --alphabet)"
        case let .tooManyStates(what, reached, limit):
            return "the subset construction of \(what) reached \(reached) states, more than --max-states \(limit); "
                + "raise --max-states to allow more (memory grows with it)"
        default: return error.description
        }
    }
}
