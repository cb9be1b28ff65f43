import BigInt
import Foundation

/// An exact non-negative integer in a JSON result: a number up to 2^53 (exact in a double, so
/// every JSON reader gets it right), a decimal string above (`"18014398509481984"` for 2^54).
/// Decoding takes either form, so a result read back has the exact value.
public struct ExactInteger: Codable, Sendable, Equatable, CustomStringConvertible {
    public var value: BigUInt

    public init(_ value: BigUInt) { self.value = value }

    /// The largest value written as a JSON number: 2^53.
    public static let largestNumber = BigUInt(1) << 53

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if value <= Self.largestNumber {
            try container.encode(UInt64(value))
        } else {
            try container.encode(value.description)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(UInt64.self) {
            value = BigUInt(number)
            return
        }
        let text = try container.decode(String.self)
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let parsed = BigUInt(text, radix: 10) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a non-negative decimal integer")
        }
        value = parsed
    }

    public var description: String { value.description }
}
