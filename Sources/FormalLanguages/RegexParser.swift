/// A recursive-descent parser for the study's regex syntax. The grammar (positions count
/// characters from 0):
///
///     alternation   := concatenation ('|' concatenation)*
///     concatenation := repetition repetition*
///     repetition    := atom ('*' | '+' | '?')*
///     atom          := literal | '(' alternation ')' | '[' alternation ']'
///     literal       := 'a'...'z' | 'A'...'Z' | '0'...'9'
///
/// `[r]` is read as `r?`. Nested concatenations and alternations are flattened, so
/// `(ab)c` and `a(bc)` give the same tree. An error names the position where the grammar
/// could not continue and what it expected there: `a(b|` gives "position 4: expected a
/// literal or '(' or '['".
///
/// A run of postfix operators becomes one node: `r**` = `r*`, `r++` = `r+`, `r??` = `r?`, and
/// any other run (`r*+`, `r+?`, `r?+`, ...) is `r*`, the same language (a bracketed one, `(a?)*` or `[a]*`,
/// stays two nodes, and `Regex.description` writes a postfix node over another with
/// parentheses, so a description parses back to its tree). So the tree's depth is
/// at most 3 per level of brackets plus 2, and every recursive pass over it (Thompson's
/// construction, `letters`, `description`, equality) is bounded by the limits below.
struct RegexParser {
    /// The longest regex accepted, in characters.
    static let maxLength = 200_000
    /// The deepest nesting of `(` and `[` accepted.
    static let maxDepth = 1000

    private let text: [Character]
    private var i = 0
    private var depth = 0

    init(_ text: String) { self.text = Array(text) }

    mutating func parse() throws(FormalLanguageError) -> Regex {
        guard text.count <= Self.maxLength else {
            throw .regexTooLong(length: text.count, limit: Self.maxLength)
        }
        let r = try alternation()
        if i < text.count {
            // The only characters an alternation stops at are closing brackets without an opener.
            throw .syntax(position: i, message: "\(quoted(text[i])) has no matching \(text[i] == ")" ? "'('" : "'['")")
        }
        return r
    }

    private mutating func alternation() throws(FormalLanguageError) -> Regex {
        var parts = [try concatenation()]
        while i < text.count, text[i] == "|" {
            i += 1
            parts.append(try concatenation())
        }
        let flat = parts.flatMap { part -> [Regex] in
            if case let .alternation(inner) = part { return inner }
            return [part]
        }
        return flat.count == 1 ? flat[0] : .alternation(flat)
    }

    private mutating func concatenation() throws(FormalLanguageError) -> Regex {
        var parts = [try repetition()]
        while i < text.count {
            let c = text[i]
            if isRegexLiteral(c) || c == "(" || c == "[" {
                parts.append(try repetition())
            } else if "|)]".contains(c) {
                break
            } else {
                try checkKnown(c)
                // A postfix operator right after another one is part of the repetition, so a
                // known character here can only be an operator after a finished atom.
                break
            }
        }
        let flat = parts.flatMap { part -> [Regex] in
            if case let .concatenation(inner) = part { return inner }
            return [part]
        }
        return flat.count == 1 ? flat[0] : .concatenation(flat)
    }

    private mutating func repetition() throws(FormalLanguageError) -> Regex {
        let r = try atom()
        var operators = Set<Character>()
        while i < text.count, "*+?".contains(text[i]) {
            operators.insert(text[i])
            i += 1
        }
        if operators.isEmpty { return r }
        if operators == ["+"] { return .plus(r) }
        if operators == ["?"] { return .optional(r) }
        return .star(r)
    }

    private mutating func atom() throws(FormalLanguageError) -> Regex {
        let expected = "expected a literal or '(' or '['"
        guard i < text.count else { throw .syntax(position: i, message: expected) }
        let c = text[i]
        if isRegexLiteral(c) {
            i += 1
            return .literal(c)
        }
        if c == "(" || c == "[" {
            let open = i
            let close: Character = c == "(" ? ")" : "]"
            depth += 1
            guard depth <= Self.maxDepth else {
                throw .regexTooDeep(depth: nestingDepth(from: i), limit: Self.maxDepth)
            }
            i += 1
            let inner = try alternation()
            depth -= 1
            guard i < text.count, text[i] == close else {
                if i < text.count { try checkKnown(text[i]) }
                throw .syntax(position: i, message: "expected \(quoted(close)) to close \(quoted(c)) at position \(open)"
                              + (i < text.count ? ", found \(quoted(text[i]))" : ""))
            }
            i += 1
            return c == "(" ? inner : .optional(inner)
        }
        try checkKnown(c)
        throw .syntax(position: i, message: "\(expected), found \(quoted(c))")
    }

    /// The deepest nesting of brackets in the text, counting the `depth` open ones before
    /// `position` (for the message of a regex past `maxDepth`).
    private func nestingDepth(from position: Int) -> Int {
        var level = depth - 1, deepest = depth
        for c in text[position...] {
            if c == "(" || c == "[" { level += 1; deepest = max(deepest, level) } else if c == ")" || c == "]" { level -= 1 }
        }
        return deepest
    }

    /// Rejects a character that is neither a literal nor an operator of the grammar.
    private func checkKnown(_ c: Character) throws(FormalLanguageError) {
        if !isRegexLiteral(c) && !"|*+?()[]".contains(c) {
            throw .syntax(position: i, message: "\(quoted(c)) is not a literal (a-z, A-Z, 0-9) or an operator (| * + ? ( ) [ ])")
        }
    }
}
