/// One condition a CI job puts on a validation (`--require`), in a small grammar:
///
///     requirement := KEY OP bound          OP := >= | <= | > | <
///     bound       := NUMBER | NUMBER '*' KEY | KEY
///
/// with KEY one of `Requirement.keys` (the numbers of the validation's JSON), e.g.
/// `modelCos>=0.99`, `trainedLoss<=1.02*constructionLoss`, `predsDiff<0.05`. Spaces are ignored.
public struct Requirement: Sendable, Equatable, CustomStringConvertible {
    public enum Relation: String, Sendable, CaseIterable { case atLeast = ">=", atMost = "<=", above = ">", below = "<" }

    public var key: String
    public var relation: Relation
    public var factor: Double
    /// `nil`: the bound is `factor` itself.
    public var boundKey: String?
    public let description: String

    /// The keys a requirement may name.
    public static let keys = ["trainedLoss", "constructionLoss", "zeroLoss", "etaStar", "predsDiff", "modelCos", "modelDiff", "relativeGap"]

    public init(parsing text: String) throws(RequirementError) {
        let s = text.filter { $0 != " " }
        description = s
        // The two-character relations first, so ">=" is not read as ">".
        guard let relation = [Relation.atLeast, .atMost, .above, .below].first(where: { s.contains($0.rawValue) }),
              let range = s.range(of: relation.rawValue) else {
            throw RequirementError("'\(text)' has no relation; write KEY>=BOUND, KEY<=BOUND, KEY>BOUND or KEY<BOUND, e.g. modelCos>=0.99")
        }
        self.relation = relation
        key = String(s[..<range.lowerBound])
        let bound = String(s[range.upperBound...])
        guard Self.keys.contains(key) else { throw RequirementError("'\(text)': unknown key '\(key)'; the keys are \(Self.keys.joined(separator: ", "))") }
        let parts = bound.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        func number(_ t: String) throws(RequirementError) -> Double {
            guard let x = Double(t), x.isFinite else { throw RequirementError("'\(text)': '\(t)' is not a finite number") }
            return x
        }
        switch parts.count {
        case 1 where Self.keys.contains(parts[0]): (factor, boundKey) = (1, parts[0])
        case 1 where Double(parts[0]) == nil && parts[0].first?.isLetter == true:
            throw RequirementError("'\(text)': unknown key '\(parts[0])'; the keys are \(Self.keys.joined(separator: ", "))")
        case 1: (factor, boundKey) = (try number(parts[0]), nil)
        case 2 where Self.keys.contains(parts[0]) && Double(parts[1]) != nil:
            throw RequirementError("'\(text)': write the factor first, NUMBER*KEY (\(parts[1])*\(parts[0]))")
        case 2:
            guard Self.keys.contains(parts[1]) else { throw RequirementError("'\(text)': unknown key '\(parts[1])'; the keys are \(Self.keys.joined(separator: ", "))") }
            (factor, boundKey) = (try number(parts[0]), parts[1])
        default: throw RequirementError("'\(text)': the bound is NUMBER, KEY or NUMBER*KEY")
        }
    }

    /// Whether the requirement holds for `values` (every key present), with both sides.
    public func check(_ values: [String: Double]) -> RequirementResult {
        let lhs = values[key]!, rhs = factor * (boundKey.map { values[$0]! } ?? 1)
        let holds: Bool
        switch relation {
        case .atLeast: holds = lhs >= rhs
        case .atMost: holds = lhs <= rhs
        case .above: holds = lhs > rhs
        case .below: holds = lhs < rhs
        }
        return RequirementResult(requirement: description, holds: holds, value: lhs, bound: rhs)
    }
}

/// A requirement checked: its text, whether it held, and the two sides.
public struct RequirementResult: Codable, Sendable, Equatable {
    public var requirement: String
    public var holds: Bool
    public var value: Double
    public var bound: Double
}

public struct RequirementError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
