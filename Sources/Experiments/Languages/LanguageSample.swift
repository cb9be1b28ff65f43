import FormalLanguages
import Linalg
import Weights

/// `icl lang sample`: members of a regular language drawn uniformly, optionally alternating with
/// non-members (uniform or hard negatives), each labelled by the DFA (`LabelledSampler`), written
/// as text or JSON lines in chunks from one random stream: the same strings as one draw, in
/// bounded memory.
public struct LanguageSample: Sendable {
    public let language: RegularLanguage
    private let sampler: LabelledSampler

    /// One drawn string: `{"member", "string"}`, plus `"edit"` for a hard negative.
    public struct Line: Codable, Sendable, Equatable {
        public var string: String
        public var member: Bool
        /// For a hard negative, the edit type it was drawn for.
        public var edit: EditType?

        public init(string: String, member: Bool, edit: EditType?) { (self.string, self.member, self.edit) = (string, member, edit) }

        /// `ab  member`, `(empty)  non-member`, `abb  non-member  (hard: insertion)`.
        public var text: String {
            (string.isEmpty ? "(empty)" : string) + "  " + (member ? "member" : "non-member")
                + (edit.map { "  (hard: \($0.rawValue))" } ?? "")
        }
    }

    /// Fails with `noStrings` when a kind of string to draw has no string of an allowed length.
    /// `editTypes`: the edit types a hard negative may come from, equally weighted (a repeated
    /// type counts once).
    /// `stateLimit` bounds the subset constructions of hard negatives (`tooManyStates` past it).
    public init(_ language: RegularLanguage, lengths: LengthDistribution, negatives: NegativeKind,
                editTypes: [EditType] = EditType.allCases, stateLimit: Int? = nil) throws(FormalLanguageError) {
        self.language = language
        sampler = try LabelledSampler(language.dfa, lengths: lengths, negatives: negatives,
                                      editTypes: Dictionary(editTypes.map { ($0, 1.0) }, uniquingKeysWith: { first, _ in first }),
                                      stateLimit: stateLimit)
    }

    /// `count` members from the stream of `seed` (with negatives, each followed by a non-member),
    /// handed to `body` in chunks of at most `chunk` members.
    public func draw(count: Int, seed: UInt64, chunk: Int = 10_000, _ body: ([Line]) throws -> Void) rethrows {
        let random = RandomSource(seed: seed)
        var remaining = count
        while remaining > 0 {
            let size = min(remaining, chunk)
            remaining -= size
            try body(sampler.sample(count: size, using: random).map {
                Line(string: language.alphabet.string($0.symbols), member: $0.member, edit: $0.edit)
            })
        }
    }

    /// The draw of `draw(count:seed:)` rendered, one chunk's lines at a time (each chunk's
    /// lines joined by newlines, without a final one): text lines, or JSON lines. `progress`
    /// hears the members written so far after each chunk.
    public func render(count: Int, seed: UInt64, json: Bool, progress: ((Int) -> Void)? = nil,
                       _ write: (String) throws -> Void) throws {
        let encoder = JSONStyle.LineEncoder()
        var written = 0
        try draw(count: count, seed: seed) { lines in
            try write(json ? try lines.map(encoder.line).joined(separator: "\n") : lines.map(\.text).joined(separator: "\n"))
            written += lines.count(where: \.member)
            progress?(written)
        }
    }
}
