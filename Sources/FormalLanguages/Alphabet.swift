/// A finite alphabet of ASCII letters and digits, kept sorted so that the same set of letters
/// is the same alphabet whatever order it was written in. Symbol `i` is `letters[i]`; strings
/// are handled as arrays of symbols (`[UInt8]`) inside the module and as `String`s at its edge.
public struct Alphabet: Hashable, Sendable, CustomStringConvertible {
    /// The letters in ascending ASCII order.
    public let letters: [Character]
    /// Symbol of each ASCII code, or -1.
    private let symbolOfASCII: [Int8]

    /// The alphabet of the letters in `text` (in any order, each once).
    public init(_ text: String) throws(FormalLanguageError) {
        var seen = Set<Character>()
        for c in text {
            guard isRegexLiteral(c) else { throw .invalidAlphabetLetter(c) }
            guard seen.insert(c).inserted else { throw .repeatedAlphabetLetter(c) }
        }
        guard !seen.isEmpty else { throw .emptyAlphabet }
        self.init(sortedLetters: seen.sorted())
    }

    /// The alphabet of a set of letters already known to be valid (the regex's own letters).
    init(validLetters: some Sequence<Character>) {
        self.init(sortedLetters: Set(validLetters).sorted())
    }

    /// The first `size` letters of `a...z`, then `A...Z`, then `0...9` (random families).
    public init(firstLetters size: Int) {
        precondition((1...62).contains(size), "an alphabet has 1...62 letters")
        let pool = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        self.init(sortedLetters: pool.prefix(size).sorted())
    }

    private init(sortedLetters: [Character]) {
        letters = sortedLetters
        var table = [Int8](repeating: -1, count: 128)
        for (i, c) in sortedLetters.enumerated() { table[Int(c.asciiValue!)] = Int8(i) }
        symbolOfASCII = table
    }

    /// The number of letters.
    public var count: Int { letters.count }

    /// The symbol of `letter`, or nil when the alphabet does not have it.
    public func symbol(of letter: Character) -> UInt8? {
        guard let a = letter.asciiValue, a < 128, symbolOfASCII[Int(a)] >= 0 else { return nil }
        return UInt8(symbolOfASCII[Int(a)])
    }

    /// Whether every letter of `other` is in this alphabet.
    public func contains(_ other: Alphabet) -> Bool { other.letters.allSatisfy { symbol(of: $0) != nil } }

    /// The alphabet with the letters of both.
    public func union(_ other: Alphabet) -> Alphabet { Alphabet(validLetters: letters + other.letters) }

    /// `text` as symbols.
    public func symbols(_ text: String) throws(FormalLanguageError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for c in text {
            guard let s = symbol(of: c) else { throw .stringLetterOutsideAlphabet(letter: c, alphabet: description) }
            out.append(s)
        }
        return out
    }

    /// Throws `regexLetterOutsideAlphabet` for the first literal of the regex `source` that the
    /// alphabet does not hold, with its position (characters from 0).
    public func requireLetters(of source: String) throws(FormalLanguageError) {
        for (position, c) in source.enumerated() where isRegexLiteral(c) && symbol(of: c) == nil {
            throw .regexLetterOutsideAlphabet(letter: c, position: position, alphabet: description)
        }
    }

    /// Symbols as text.
    public func string(_ symbols: some Sequence<UInt8>) -> String {
        String(symbols.map { letters[Int($0)] })
    }

    public var description: String { String(letters) }

    public static func == (a: Alphabet, b: Alphabet) -> Bool { a.letters == b.letters }
    public func hash(into hasher: inout Hasher) { hasher.combine(letters) }
}

/// Literals of the regex syntax: ASCII letters and digits.
func isRegexLiteral(_ c: Character) -> Bool {
    guard let a = c.asciiValue else { return false }
    return (a >= 97 && a <= 122) || (a >= 65 && a <= 90) || (a >= 48 && a <= 57)
}
