import Figures
import FormalLanguages

/// `icl lang count`: the exact number of members of each length 0...n,
/// `c_n = f_n(start)` with `f_0(q) = [q accepting]`, `f_m(q) = sum_a f_{m-1}(delta(q, a))` on the
/// minimal DFA (`DFA.memberCounts`).
public struct MemberCountReport: Codable, Sendable, Equatable {
    /// The regex as written.
    public var regex: String
    public var alphabet: String
    /// `counts[n]`: the members of length n, exact (a JSON string above 2^53, see `ExactInteger`).
    public var counts: [ExactInteger]

    public init(_ language: RegularLanguage, maxLength: Int) {
        regex = language.source
        alphabet = language.alphabet.description
        counts = language.dfa.memberCounts(maxLength: maxLength).map(ExactInteger.init)
    }

    /// The report for a terminal: a line naming the language, then one row per length.
    public var text: String {
        "\(regex) over \(alphabet): members of each length (exact)\n"
            + TextTable([["length", "members"]] + counts.enumerated().map { ["\($0)", "\($1)"] }, alignment: .left).rendered
    }
}
