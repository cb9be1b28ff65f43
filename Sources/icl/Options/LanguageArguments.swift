import ArgumentParser
import FormalLanguages

/// A regex in the study's syntax as typed (`--regex`), parsed when the command line is read.
/// Used with `@Option(transform:)` rather than `ExpressibleByArgument`, whose failable
/// initializer cannot say why a value is refused: here a syntax error gives its position,
/// `The value 'a(b|' is invalid for '--regex <regex>': position 4: expected a literal or '(' or '['`.
struct RegexArgument: Sendable {
    /// The text as typed (reports print it as written).
    let source: String
    let tree: Regex

    init(parsing text: String) throws {
        do throws(FormalLanguageError) { tree = try Regex(parsing: text) } catch { throw ValidationError(error.detail) }
        source = text
    }
}

extension Alphabet {
    /// An alphabet as typed (`--alphabet abc`), for `@Option(transform:)`; a refusal says why:
    /// empty, a repeated letter, a character that is not a letter or digit.
    init(parsing text: String) throws {
        do throws(FormalLanguageError) { try self.init(text) } catch { throw ValidationError(error.detail) }
    }
}
