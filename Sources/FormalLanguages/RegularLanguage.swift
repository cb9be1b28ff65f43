/// A regular language given by a regex over an alphabet, with its minimal complete DFA:
/// parse -> Thompson NFA -> subset construction -> Hopcroft.
public struct RegularLanguage: Sendable {
    /// The regex as written.
    public let source: String
    public let regex: Regex
    public let alphabet: Alphabet
    /// The minimal complete DFA, canonically numbered.
    public let dfa: DFA

    /// `alphabet` defaults to the regex's own letters; when given it must hold all of them
    /// (the error names the first letter that it does not hold, with its position).
    public init(regex source: String, alphabet letters: String? = nil) throws(FormalLanguageError) {
        let regex = try Regex(parsing: source)
        let alphabet: Alphabet? = if let letters { try Alphabet(letters) } else { nil }
        try self.init(source: source, regex: regex, alphabet: alphabet)
    }

    /// The language of `regex`, parsed from `source`, over `alphabet` (default: the regex's own
    /// letters), which must hold every letter of the regex (see `requireLetters(of:)`). With
    /// `stateLimit`, the subset construction stops with `tooManyStates` past that many states
    /// (minimisation then works on at most that many); `progress` hears the states built so
    /// far every 4096 states.
    public init(source: String, regex: Regex, alphabet: Alphabet?, stateLimit: Int? = nil,
                progress: ((Int) -> Void)? = nil) throws(FormalLanguageError) {
        if let alphabet { try alphabet.requireLetters(of: source) }
        try self.init(source: source, regex: regex, alphabet: alphabet ?? Alphabet(validLetters: regex.letters),
                      stateLimit: stateLimit, progress: progress)
    }

    /// The language of a regex tree over `alphabet` (which must hold the regex's letters).
    public init(regex: Regex, alphabet: Alphabet) {
        precondition(regex.letters.allSatisfy { alphabet.symbol(of: $0) != nil }, "the alphabet must hold the regex's letters")
        self = try! RegularLanguage(source: regex.description, regex: regex, alphabet: alphabet, stateLimit: nil, progress: nil)  // no limit: cannot fail
    }

    private init(source: String, regex: Regex, alphabet: Alphabet, stateLimit: Int?, progress: ((Int) -> Void)?) throws(FormalLanguageError) {
        self.source = source
        self.regex = regex
        self.alphabet = alphabet
        dfa = try DFA(determinizing: NFA(thompson: regex, alphabet: alphabet), stateLimit: stateLimit, of: "the regex", progress: progress).minimized()
    }

    /// Whether `text` is a member (an error names a letter outside the alphabet).
    public func contains(_ text: String) throws(FormalLanguageError) -> Bool { try dfa.accepts(text) }

    /// Whether the two languages are equal (over the union of the alphabets).
    public func isEquivalent(to other: RegularLanguage) -> Bool { dfa.isEquivalent(to: other.dfa) }
}
