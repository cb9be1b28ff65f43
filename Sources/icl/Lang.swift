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

        Exit codes: 0 done, 2 bad input (a syntax error, an empty alphabet, a letter outside the alphabet, no string of the asked kind and length, a count out of range).
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

    func validate() throws {
        do { try alphabet?.requireLetters(of: regex.source) } catch { throw ValidationError(message(for: error)) }
    }

    /// The language over the alphabet: the regex's Thompson NFA, determinized and minimized.
    func language() throws -> RegularLanguage {
        do { return try RegularLanguage(source: regex.source, regex: regex.tree, alphabet: alphabet) } catch { throw InputError(message(for: error)) }
    }

    private func message(for error: FormalLanguageError) -> String {
        switch error {
        case .regexLetterOutsideAlphabet: return "--regex '\(regex.source)': \(error.detail) (add it to --alphabet)"
        default: return error.description
        }
    }
}
