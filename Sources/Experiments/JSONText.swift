import Foundation
import Weights

/// A report as JSON in the project's one style (`Weights.JSONStyle.text`).
public func jsonText(_ value: some Encodable) throws -> String { try JSONStyle.text(value) }

/// A number in a JSON result: `null` when absent or not finite (JSON has no NaN or infinity).
public struct JSONNumber: Codable, Sendable, Equatable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    public var value: Double?

    public init(_ value: Double?) { self.value = value.flatMap { $0.isFinite ? $0 : nil } }
    public init(floatLiteral value: Double) { self.init(value) }
    public init(integerLiteral value: Int) { self.init(Double(value)) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        value = container.decodeNil() ? nil : try container.decode(Double.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

/// A matrix or vector entry in a JSON result: a number, or an exact rational as `"p/q"`.
public enum JSONScalar: Encodable, Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case exact(String)

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let x): if x.isFinite { try container.encode(x) } else { try container.encodeNil() }
        case .exact(let s): try container.encode(s)
        }
    }

    /// The entry as printed in a table: Swift's shortest round-trip form, or `p/q`.
    public var description: String {
        switch self {
        case .number(let x): return "\(x)"
        case .exact(let s): return s
        }
    }
}

/// A result that overflowed the double range (or became NaN): an error naming the quantity
/// and where it happened, never a printed number.
public struct NonFiniteResult: Error, Equatable, CustomStringConvertible {
    public var quantity: String
    public var context: String
    public init(quantity: String, context: String) { (self.quantity, self.context) = (quantity, context) }
    public var description: String { "\(quantity) is not finite at \(context): it overflows the double range" }
}
