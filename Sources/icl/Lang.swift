import ArgumentParser
import BigInt
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

/// `--regex` and `--alphabet`, shared by the `icl lang` subcommands.
struct LanguageOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "The regular expression, e.g. 'a*bc*', '((a|b)c)*', '(ab[c])*' (quote it for the shell).")
    var regex: String

    @Option(parsing: .unconditional, help: "The alphabet: distinct letters or digits, e.g. abc (default: the regex's letters).")
    var alphabet: String?

    func validate() throws {
        _ = try language()
    }

    /// The language, with a library error turned into a message that names the option.
    func language() throws -> RegularLanguage {
        do {
            return try RegularLanguage(regex: regex, alphabet: alphabet)
        } catch {
            throw ValidationError(message(for: error))
        }
    }

    func message(for error: FormalLanguageError) -> String {
        switch error {
        case .syntax:
            return "--regex '\(regex)': \(error.detail)"
        case .emptyAlphabet, .invalidAlphabetLetter, .repeatedAlphabetLetter:
            return "--alphabet '\(alphabet ?? "")': \(error.detail)"
        case .regexLetterOutsideAlphabet:
            return "--regex '\(regex)': \(error.detail) (add it to --alphabet)"
        default:
            return error.description
        }
    }
}

/// An exact non-negative integer in JSON: a number up to 2^53 (exact in a double, so every
/// JSON reader gets it right), a decimal string above.
struct ExactInteger: Encodable {
    let value: BigUInt

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if value <= BigUInt(1) << 53 {
            try container.encode(UInt64(value))
        } else {
            try container.encode(value.description)
        }
    }
}
