import ArgumentParser
import FormalLanguages

/// A regex in the study's syntax as typed (`--regex`), parsed when the command line is read.
/// Used with `@Option(transform:)` rather than `ExpressibleByArgument`, whose failable
/// initializer cannot say why a value is refused: here a syntax error gives its position,
/// `The value 'a(b|' is invalid for '--regex <regex>': position 4: expected a literal or '(' or '['`.
/// A regex past the parser's length or depth limit is kept as `tooLarge` and refused by
/// `LanguageOptions.validate()`, so the message does not repeat the (long) text.
struct RegexArgument: Sendable {
    /// The text as typed (reports print it as written).
    let source: String
    private let parsed: Result<Regex, FormalLanguageError>

    init(parsing text: String) throws {
        do throws(FormalLanguageError) {
            parsed = .success(try Regex(parsing: text))
        } catch {
            switch error {
            case .regexTooLong, .regexTooDeep: parsed = .failure(error)
            default: throw ValidationError(error.detail)
            }
        }
        source = text
    }

    /// The refusal of a regex past the parser's limits, nil otherwise.
    var tooLarge: FormalLanguageError? {
        if case let .failure(error) = parsed { return error }
        return nil
    }

    /// The tree (only after `tooLarge` was checked to be nil).
    var tree: Regex { try! parsed.get() }
}

extension Alphabet {
    /// An alphabet as typed (`--alphabet abc`), for `@Option(transform:)`; a refusal says why:
    /// empty, a repeated letter, a character that is not a letter or digit.
    init(parsing text: String) throws {
        do throws(FormalLanguageError) { try self.init(text) } catch { throw ValidationError(error.detail) }
    }
}
