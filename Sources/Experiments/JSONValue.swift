import Foundation

/// Any JSON value, keeping booleans apart from numbers, read by a single pass over the bytes
/// (RFC 8259). An array of numbers only is kept as `numbers`, eight bytes an element, so a
/// summary with a long curve (8 million values) is read in about a second in linear memory.
/// A non-negative integer literal also keeps its exact value (`exact`), so seeds above 2^53
/// stay apart.
enum JSONValue: Equatable {
    case null, bool(Bool), number(Double, exact: UInt64?), string(String)
    case numbers([Double]), array([JSONValue]), object([String: JSONValue])

    /// Nesting deeper than this is refused (no summary nests more than a few levels).
    static let maximumDepth = 512

    /// The document `data`, or nil when it is not one JSON value (trailing text included).
    init?(parsing data: Data) {
        var parser = Parser(bytes: [UInt8](data))
        guard let value = parser.value(depth: 0) else { return nil }
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { return nil }
        self = value
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func literal(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else { return false }
            index += w.count
            return true
        }

        mutating func value(depth: Int) -> JSONValue? {
            guard depth < JSONValue.maximumDepth else { return nil }
            skipSpace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var object: [String: JSONValue] = [:]
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(object) }
                while true {
                    skipSpace()
                    guard let key = string() else { return nil }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                    index += 1
                    guard let v = value(depth: depth + 1) else { return nil }
                    object[key] = v
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == UInt8(ascii: "}") else { return nil }
                    index += 1
                    return .object(object)
                }
            case UInt8(ascii: "["):
                index += 1
                var numbers: [Double] = []
                var values: [JSONValue]?
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .numbers([]) }
                while true {
                    guard let v = value(depth: depth + 1) else { return nil }
                    if values == nil, case .number(let x, _) = v { numbers.append(x) } else {
                        if values == nil { values = numbers.map { .number($0, exact: nil) }; numbers = [] }
                        values!.append(v)
                    }
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == UInt8(ascii: "]") else { return nil }
                    index += 1
                    return values.map { .array($0) } ?? .numbers(numbers)
                }
            case UInt8(ascii: "\""):
                return string().map { .string($0) }
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            default: return number()
            }
        }

        /// A number token (`-?int(.frac)?([eE][+-]?digits)?`), its value and, for a
        /// non-negative integer, its exact value.
        mutating func number() -> JSONValue? {
            let start = index
            func digits() -> Int {
                let s = index
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
                return index - s
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return nil }
            var integer = bytes[start] != UInt8(ascii: "-")
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") { index += 1; integer = false; guard digits() > 0 else { return nil } }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                integer = false
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { return nil }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            guard let x = Double(text) else { return nil }
            return .number(x, exact: integer ? UInt64(text) : nil)
        }

        /// A string token with its escapes resolved.
        mutating func string() -> String? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let start = index
            index += 1
            var escaped = false
            while index < bytes.count {
                let b = bytes[index]
                if b < 0x20 { return nil }
                index += 1
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") {
                    // Escapes are rare in a summary: let Foundation resolve them.
                    let token = Data(bytes[start..<index])
                    if !token.contains(UInt8(ascii: "\\")) { return String(decoding: token.dropFirst().dropLast(), as: UTF8.self) }
                    return try? JSONDecoder().decode(String.self, from: token)
                }
            }
            return nil
        }
    }
}
