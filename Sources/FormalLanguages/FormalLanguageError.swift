/// Inputs a regular-language computation cannot work with. Each description names the value
/// (the regex, the alphabet, the lengths) and what was expected, never a command-line flag: the
/// CLI maps them to its options.
public enum FormalLanguageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The regex is not in the grammar; `position` counts characters from 0.
    case syntax(position: Int, message: String)
    /// The regex has more characters than the parser accepts.
    case regexTooLong(length: Int, limit: Int)
    /// The regex nests brackets deeper than the parser accepts.
    case regexTooDeep(depth: Int, limit: Int)
    /// The subset construction (of `what`) reached more states than allowed.
    case tooManyStates(what: String, reached: Int, limit: Int)
    /// The alphabet has no letters.
    case emptyAlphabet
    /// The alphabet holds a character that is not an ASCII letter or digit.
    case invalidAlphabetLetter(Character)
    /// The alphabet lists a letter twice.
    case repeatedAlphabetLetter(Character)
    /// The regex uses a letter the alphabet does not have.
    case regexLetterOutsideAlphabet(letter: Character, position: Int, alphabet: String)
    /// A string holds a letter the alphabet does not have.
    case stringLetterOutsideAlphabet(letter: Character, alphabet: String)
    /// No string of the asked kind has a length the distribution allows.
    case noStrings(kind: StringKind, lengths: ClosedRange<Int>)
    /// A parameter outside its range (`name` is the library's name for it).
    case outOfRange(name: String, value: String, accepted: String)
    /// A random-DFA family could not find enough distinct, non-trivial languages.
    case familyExhausted(found: Int, wanted: Int, attempts: Int)

    /// The message without the name of the value it is about (`"position 4: expected ..."`), so
    /// a caller can put its own name in front.
    public var detail: String {
        switch self {
        case let .syntax(position, message):
            return "position \(position): \(message)"
        case let .regexTooLong(length, limit):
            return "it is \(length) characters long; at most \(limit) are accepted"
        case let .regexTooDeep(depth, limit):
            return "it nests \(depth) groups deep; at most \(limit) are accepted"
        case let .tooManyStates(what, reached, limit):
            return "the subset construction of \(what) reached \(reached) states, more than the limit of \(limit)"
        case .emptyAlphabet:
            return "it is empty; give at least one letter or digit"
        case let .invalidAlphabetLetter(c):
            return "\(quoted(c)) is not a letter or digit (a-z, A-Z, 0-9)"
        case let .repeatedAlphabetLetter(c):
            return "\(quoted(c)) appears more than once"
        case let .regexLetterOutsideAlphabet(letter, position, alphabet):
            return "position \(position): letter \(quoted(letter)) is not in the alphabet \(alphabet)"
        case let .stringLetterOutsideAlphabet(letter, alphabet):
            return "letter \(quoted(letter)) is not in the alphabet \(alphabet)"
        case let .noStrings(kind, lengths):
            let span = lengths.count == 1 ? "of length \(lengths.lowerBound)" : "with a length in \(lengths.lowerBound)...\(lengths.upperBound)"
            return "the language has no \(kind.noun) \(span)"
        case let .outOfRange(name, value, accepted):
            return "\(name) must be \(accepted), got \(value)"
        case let .familyExhausted(found, wanted, attempts):
            return "found only \(found) of \(wanted) distinct non-trivial languages in \(attempts) random automata; "
                + "allow more states, a larger alphabet or more lengths"
        }
    }

    public var description: String {
        switch self {
        case .syntax, .regexLetterOutsideAlphabet, .regexTooLong, .regexTooDeep: return "regex: " + detail
        case .emptyAlphabet, .invalidAlphabetLetter, .repeatedAlphabetLetter: return "alphabet: " + detail
        case .stringLetterOutsideAlphabet: return "string: " + detail
        case .noStrings: return "lengths: " + detail
        case .outOfRange, .familyExhausted, .tooManyStates: return detail
        }
    }
}

/// The kinds of strings a sampler draws.
public enum StringKind: String, Sendable, Equatable, CaseIterable {
    case member
    case nonMember
    case hardNegative

    var noun: String {
        switch self {
        case .member: return "member"
        case .nonMember: return "non-member"
        case .hardNegative: return "hard negative (non-member one edit away from a member)"
        }
    }
}

func quoted(_ c: Character) -> String {
    c == "'" ? "\"'\"" : "'\(c)'"
}
