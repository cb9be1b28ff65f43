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
struct RegexParser {
    private let text: [Character]
    private var i = 0

    init(_ text: String) { self.text = Array(text) }

    mutating func parse() throws(FormalLanguageError) -> Regex {
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
        var r = try atom()
        while i < text.count {
            switch text[i] {
            case "*": r = .star(r)
            case "+": r = .plus(r)
            case "?": r = .optional(r)
            default: return r
            }
            i += 1
        }
        return r
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
            i += 1
            let inner = try alternation()
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

    /// Rejects a character that is neither a literal nor an operator of the grammar.
    private func checkKnown(_ c: Character) throws(FormalLanguageError) {
        if !isRegexLiteral(c) && !"|*+?()[]".contains(c) {
            throw .syntax(position: i, message: "\(quoted(c)) is not a literal (a-z, A-Z, 0-9) or an operator (| * + ? ( ) [ ])")
        }
    }
}
