import Linalg

/// A sampled string with its label, computed by running the language's DFA on it.
public struct LabelledString: Sendable, Equatable {
    public let symbols: [UInt8]
    public let member: Bool
    /// For a hard negative, the edit type it was drawn for.
    public let edit: EditType?
}

/// Which non-members to draw besides the members.
public enum NegativeKind: String, CaseIterable, Sendable {
    /// Members only.
    case none
    /// Non-members uniformly (the complement DFA sampled like the language).
    case uniform
    /// Hard negatives: non-members one edit from a member (`HardNegativeSampler`).
    case hard
}

/// Labelled strings of one language for a task: members drawn uniformly, and optionally as many
/// non-members, alternating (member, non-member, member, ...). Every label is the DFA's verdict
/// on the drawn string, and is checked against what was meant to be drawn (a member, a
/// non-member, a non-member with a member one edit away); a disagreement is a bug and stops the
/// program.
public struct LabelledSampler: Sendable {
    public let language: DFA
    public let negatives: NegativeKind
    private let members: UniformSampler
    private let memberLengths: LengthChoice
    private let nonMembers: (sampler: UniformSampler, lengths: LengthChoice)?
    private let hard: HardNegativeSampler?

    /// Fails with `noStrings` when a kind of string to draw has no string of an allowed length,
    /// and with `tooManyStates` when an automaton of hard negatives passes `stateLimit` states.
    public init(_ language: DFA, lengths: LengthDistribution, negatives: NegativeKind = .none,
                editTypes: [EditType: Double] = [.substitution: 1, .insertion: 1, .deletion: 1],
                stateLimit: Int? = nil) throws(FormalLanguageError) {
        try lengths.validate()
        let minimal = language.minimized()
        self.language = minimal
        self.negatives = negatives
        let maxLength = lengths.span.upperBound
        members = UniformSampler(minimal, maxLength: maxLength)
        memberLengths = try members.lengthChoice(lengths, kind: .member)
        switch negatives {
        case .none:
            nonMembers = nil
            hard = nil
        case .uniform:
            let complement = UniformSampler(minimal.complement(), maxLength: maxLength)
            nonMembers = (complement, try complement.lengthChoice(lengths, kind: .nonMember))
            hard = nil
        case .hard:
            nonMembers = nil
            hard = try HardNegativeSampler(HardNegatives(minimal, stateLimit: stateLimit), lengths: lengths, typeWeights: editTypes)
        }
    }

    /// `count` members, and with negatives `count` non-members interleaved after each member.
    public func sample(count: Int, using random: RandomSource) -> [LabelledString] {
        var out: [LabelledString] = []
        out.reserveCapacity(negatives == .none ? count : 2 * count)
        for _ in 0..<count {
            out.append(checked(members.sample(memberLengths, using: random), intended: true, edit: nil))
            if let (sampler, lengths) = nonMembers {
                out.append(checked(sampler.sample(lengths, using: random), intended: false, edit: nil))
            } else if let hard {
                let (x, edit) = hard.sample(using: random)
                precondition(hard.negatives.witness(x, type: edit) != nil,
                             "hard negative \(language.alphabet.string(x)) has no member one \(edit) away")
                out.append(checked(x, intended: false, edit: edit))
            }
        }
        return out
    }

    private func checked(_ symbols: [UInt8], intended: Bool, edit: EditType?) -> LabelledString {
        let member = language.accepts(symbols)
        precondition(member == intended, "sampled \(language.alphabet.string(symbols)) as a \(intended ? "member" : "non-member") but the DFA says otherwise")
        return LabelledString(symbols: symbols, member: member, edit: edit)
    }
}
