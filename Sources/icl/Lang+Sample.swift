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
            """)

        @OptionGroup var language: LanguageOptions

        @Option(parsing: .unconditional, help: "The length of every string (0...1000).")
        var length: Int?

        @Option(parsing: .unconditional, help: "A range of lengths a..b (0 <= a <= b <= 1000).")
        var lengths: LengthRange?

        @Option(name: .customLong("length-distribution"), parsing: .unconditional, help: "With --lengths: uniform-length (each length with a string equally likely) or uniform-string (each string equally likely).")
        var lengthDistribution: LengthRule = .uniformLength

        @Option(parsing: .unconditional, help: "Members to draw (1...10000000); with --negatives as many non-members too.")
        var count: Int

        @Option(parsing: .unconditional, help: "Non-members to draw besides the members: none, uniform or hard.")
        var negatives: Negatives = .none

        @Option(parsing: .unconditional, help: "With --negatives hard: the edit types allowed, comma-separated, each once (substitution,insertion,deletion).")
        var edits: EditList = EditList(types: EditType.allCases)

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
        }

        func run() throws {
            let distribution: LengthDistribution
            if let length {
                distribution = .exactly(length)
            } else {
                let r = lengths!.range
                distribution = lengthDistribution == .uniformLength ? .uniformLength(r) : .uniformString(r)
            }
            let lang = try language.language()
            let sample: LanguageSample
            do { sample = try LanguageSample(lang, lengths: distribution, negatives: negatives.kind, editTypes: edits.types) } catch { throw InputError(message(for: error, lang)) }
            try sample.render(count: count, seed: seed, json: json) { try writeStandardOutput($0) }
        }

        private func message(for error: FormalLanguageError, _ lang: RegularLanguage) -> String {
            let flag = length != nil ? "--length \(length!)" : "--lengths \(lengths!.range.lowerBound)..\(lengths!.range.upperBound)"
            switch error {
            case let .noStrings(kind, _):
                let what = kind == .member ? "member" : kind == .nonMember ? "non-member" : "hard negative (a non-member one \(edits.types.map(\.rawValue).joined(separator: "/")) from a member)"
                return "\(flag): \(lang.source) over \(lang.alphabet) has no \(what) of \(length != nil ? "that length" : "a length in that range")"
            default:
                return error.description
            }
        }
    }
}
