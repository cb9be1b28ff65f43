import ArgumentParser
import FormalLanguages
import Experiments
import Foundation

extension Lang {
    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Uniformly sampled members, and optionally non-members or hard negatives, labelled by the DFA.",
            discussion: """
            Members of a length are drawn uniformly (an exact integer draw below their count, then the string of that rank). --count k members are printed; with --negatives, k non-members too, alternating member, non-member. "uniform": non-members uniformly among the non-members of the length; "hard": non-members one edit (substitution, insertion or deletion) from a member, the edit type drawn uniformly among the types that have one at that length (--edits restricts the types), then the string uniformly among that type's. With --lengths a..b the length is uniform over the lengths in the range that have a string of the kind drawn (--length-distribution uniform-string: every string in the range equally likely instead). Every label is checked against the DFA.

            Examples:
              icl lang sample --regex '(ab[c])*' --length 12 --count 5
              icl lang sample --regex 'a*bc*' --lengths 1..20 --count 1000 \\
                --negatives hard --seed 3 --json
              icl lang sample --regex '((a|b)c)*' --alphabet abc --length 8 --count 10 \\
                --negatives uniform
            JSON lines: {"member", "string"} per string, plus "edit" for a hard negative.

            Before drawing, the output's size is estimated (strings x (longest length + the label)); past 1 GB the run is refused unless --force. A run over a second shows its progress on stderr. --edits needs --negatives hard and --length-distribution needs --lengths (each is refused elsewhere, not ignored).
            """)

        @OptionGroup var language: LanguageOptions

        @Option(parsing: .unconditional, help: "The length of every string (0...1000).")
        var length: Int?

        @Option(parsing: .unconditional, help: "A range of lengths a..b (0 <= a <= b <= 1000).")
        var lengths: LengthRange?

        @Option(name: .customLong("length-distribution"), parsing: .unconditional, help: "With --lengths: uniform-length (each length with a string equally likely; the default) or uniform-string (each string equally likely).")
        var lengthDistribution: LengthRule?

        @Option(parsing: .unconditional, help: "Members to draw (1...10000000); with --negatives as many non-members too.")
        var count: Int

        @Option(parsing: .unconditional, help: "Non-members to draw besides the members: none, uniform or hard.")
        var negatives: Negatives = .none

        @Option(parsing: .unconditional, help: "With --negatives hard: the edit types allowed, comma-separated, each once (default: substitution,insertion,deletion).")
        var edits: EditList?

        @Flag(help: "Draw even when the output is estimated above 1 GB.")
        var force = false

        @Option(parsing: .unconditional, help: "The random seed (0...2^64-1).")
        var seed: UInt64 = 1

        @Flag(help: "Print JSON lines.")
        var json = false

        enum LengthRule: String, ExpressibleByArgument, CaseIterable {
            case uniformLength = "uniform-length", uniformString = "uniform-string"
        }

        enum Negatives: String, ExpressibleByArgument, CaseIterable {
            case none, uniform, hard
            var kind: NegativeKind { NegativeKind(rawValue: rawValue)! }
        }

        struct LengthRange: ExpressibleByArgument {
            let range: ClosedRange<Int>
            init?(argument: String) {
                let parts = argument.replacingOccurrences(of: "...", with: "..").components(separatedBy: "..")
                guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a <= b else { return nil }
                range = a...b
            }
        }

        struct EditList: ExpressibleByArgument {
            let types: [EditType]
            init(types: [EditType]) { self.types = types }
            init?(argument: String) {
                let parsed = argument.split(separator: ",").map { EditType(rawValue: String($0)) }
                guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }), Set(parsed).count == parsed.count else { return nil }
                types = parsed.map { $0! }
            }
            /// The help's default: the form the option is typed in.
            var defaultValueDescription: String { types.map(\.rawValue).joined(separator: ",") }
        }

        func validate() throws {
            switch (length, lengths) {
            case (nil, nil): throw ValidationError("give --length n or --lengths a..b")
            case (.some, .some): throw ValidationError("give --length or --lengths, not both")
            case let (n?, nil):
                guard (0...1000).contains(n) else { throw ValidationError("--length must be in 0...1000, got \(n)") }
            case let (nil, r?):
                guard r.range.lowerBound >= 0 && r.range.upperBound <= 1000 else {
                    throw ValidationError("--lengths must lie in 0...1000, got \(r.range.lowerBound)..\(r.range.upperBound)")
                }
            }
            guard (1...10_000_000).contains(count) else { throw ValidationError("--count must be in 1...10000000, got \(count)") }
            if edits != nil && negatives != .hard {
                throw ValidationError("--edits applies only with --negatives hard (the mode that draws edits), got --negatives \(negatives.rawValue)")
            }
            if lengthDistribution != nil && lengths == nil {
                throw ValidationError("--length-distribution applies only with --lengths a..b (a single --length has nothing to distribute)")
            }
            let bytes = estimatedBytes
            if bytes > Self.maxBytesWithoutForce && !force {
                throw ValidationError("--count \(count) \(lengthFlag)\(negatives == .none ? "" : " --negatives \(negatives.rawValue)") would write about "
                    + "\(formatBytes(bytes)) (\(strings) strings of up to \(maxLength) letters); at most \(formatBytes(Self.maxBytesWithoutForce)) without --force")
            }
        }

        /// The output size past which a run needs `--force`: 1 GB.
        static let maxBytesWithoutForce = 1_000_000_000

        /// The strings printed: the members, and as many non-members with --negatives.
        private var strings: Int { negatives == .none ? count : 2 * count }
        private var maxLength: Int { length ?? lengths!.range.upperBound }
        private var lengthFlag: String {
            length != nil ? "--length \(length!)" : "--lengths \(lengths!.range.lowerBound)..\(lengths!.range.upperBound)"
        }

        /// An upper bound on the output's size: every string at the longest length, with the
        /// longest label (`  non-member  (hard: substitution)` in text, the JSON keys and an
        /// "edit" in JSON lines) and a newline.
        private var estimatedBytes: Int {
            let label = json ? 56 : 36
            return strings * (maxLength + label)
        }

        private func formatBytes(_ bytes: Int) -> String {
            bytes >= 1_000_000_000 ? String(format: "%.1f GB", Double(bytes) / 1e9) : String(format: "%.1f MB", Double(bytes) / 1e6)
        }

        func run() throws {
            let distribution: LengthDistribution
            if let length {
                distribution = .exactly(length)
            } else {
                let r = lengths!.range
                distribution = (lengthDistribution ?? .uniformLength) == .uniformLength ? .uniformLength(r) : .uniformString(r)
            }
            let lang = try language.language()
            let sample: LanguageSample
            do {
                sample = try LanguageSample(lang, lengths: distribution, negatives: negatives.kind, editTypes: editTypes,
                                            stateLimit: language.maxStates)
            } catch { throw InputError(message(for: error, lang)) }
            let bar = ProgressBar("sample", total: count, unit: "members")
            defer { bar.finish() }
            try sample.render(count: count, seed: seed, json: json, progress: { bar.update(done: $0) }) { try writeStandardOutput($0) }
        }

        private var editTypes: [EditType] { edits?.types ?? EditType.allCases }

        private func message(for error: FormalLanguageError, _ lang: RegularLanguage) -> String {
            let flag = lengthFlag
            switch error {
            case let .noStrings(kind, _):
                let what = kind == .member ? "member" : kind == .nonMember ? "non-member" : "hard negative (a non-member one \(editTypes.map(\.rawValue).joined(separator: "/")) from a member)"
                return "\(flag): \(lang.source) over \(lang.alphabet) has no \(what) of \(length != nil ? "that length" : "a length in that range")"
            default:
                return language.message(for: error)
            }
        }
    }
}
