/// A regular expression in the syntax of the formal-language study (seeds/000): literals
/// (ASCII letters and digits), concatenation, `|`, the postfix operators `*`, `+`, `?`,
/// parentheses, and `[r]` for an optional `r` (the study's `(ab[c])*`; `[ab]` is an optional
/// `ab`, not a character class). There is no empty regex: every alternative holds a literal.
///
/// `Regex(parsing:)` reads the text (see `RegexParser` for the grammar and its errors);
/// `description` writes it back in the same syntax, with the fewest parentheses that keep the
/// structure, so parsing a description gives the same tree. The parser reads a run of postfix
/// operators as one node (`a**` = `a*`, `a+?` = `a*`) and nests brackets at most
/// `RegexParser.maxDepth` deep in at most `RegexParser.maxLength` characters, so a parsed
/// tree is at most about 3 nodes deep per bracket and the recursive passes below are safe.
public indirect enum Regex: Hashable, Sendable, CustomStringConvertible {
    case literal(Character)
    /// Two or more parts, in order.
    case concatenation([Regex])
    /// Two or more alternatives.
    case alternation([Regex])
    /// Zero or more repetitions (`r*`).
    case star(Regex)
    /// One or more repetitions (`r+`).
    case plus(Regex)
    /// Zero or one (`r?`, also written `[r]`).
    case optional(Regex)

    /// Parses `text`; a syntax error names the position and what was expected.
    public init(parsing text: String) throws(FormalLanguageError) {
        var parser = RegexParser(text)
        self = try parser.parse()
    }

    /// The letters the regex uses.
    public var letters: Set<Character> {
        switch self {
        case let .literal(c): return [c]
        case let .concatenation(parts), let .alternation(parts):
            return parts.reduce(into: Set<Character>()) { $0.formUnion($1.letters) }
        case let .star(r), let .plus(r), let .optional(r): return r.letters
        }
    }

    /// The number of nodes (literals and operators).
    public var size: Int {
        switch self {
        case .literal: return 1
        case let .concatenation(parts), let .alternation(parts): return 1 + parts.reduce(0) { $0 + $1.size }
        case let .star(r), let .plus(r), let .optional(r): return 1 + r.size
        }
    }

    public var description: String { written(precedence: 0) }

    /// Precedence: 0 alternation, 1 concatenation, 2 postfix and atoms.
    private func written(precedence: Int) -> String {
        switch self {
        case let .literal(c):
            return String(c)
        case let .alternation(parts):
            let s = parts.map { $0.written(precedence: 0) }.joined(separator: "|")
            return precedence > 0 ? "(\(s))" : s
        case let .concatenation(parts):
            let s = parts.map { $0.written(precedence: 1) }.joined()
            return precedence > 1 ? "(\(s))" : s
        case let .star(r): return r.operand + "*"
        case let .plus(r): return r.operand + "+"
        case let .optional(r): return r.operand + "?"
        }
    }

    /// The operand of a postfix operator as written: in parentheses when it is itself a
    /// postfix node (`(a?)*`), since the parser reads a run of operators as one (`a?*` = `a*`).
    private var operand: String {
        switch self {
        case .star, .plus, .optional: return "(\(written(precedence: 2)))"
        default: return written(precedence: 2)
        }
    }
}
