import Foundation

/// The project's one JSON style, for every file and report it writes: keys sorted, slashes
/// unescaped, every `Double` in its shortest round-trip form (so a file reads back exactly);
/// pretty-printed for a document (`text`), one line per value for a JSON-lines log (`line`).
public enum JSONStyle {
    /// `value` as an indented JSON document (no trailing newline).
    public static func text(_ value: some Encodable) throws -> String {
        String(decoding: try encoder(pretty: true).encode(value), as: UTF8.self)
    }

    /// `value` as one JSON line (no newline inside or after it).
    public static func line(_ value: some Encodable) throws -> String { try LineEncoder().line(value) }

    /// The JSON-lines form for a stream: one encoder serves every line (building a
    /// `JSONEncoder` per line would cost more than the line).
    public struct LineEncoder {
        private let encoder = JSONStyle.encoder(pretty: false)
        public init() {}

        /// `value` as one line of JSON (`{"member":true,"string":"ab"}`), without the newline.
        public func line(_ value: some Encodable) throws -> String {
            String(decoding: try encoder.encode(value), as: UTF8.self)
        }

        /// `value` as the bytes of one line of JSON, without the newline.
        public func data(_ value: some Encodable) throws -> Data { try encoder.encode(value) }
    }

    /// A value of `type` from JSON text.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }

    /// What went wrong in a JSON file, in words (the JSON path of the bad value, no Swift type
    /// names): `not valid JSON: truncated or edited?`, `bad value at .a[2]`, `missing .a.b`,
    /// `wrong type at .a`.
    public static func describe(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String { keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined() }
        switch error as? DecodingError {
        case .dataCorrupted(let c)? where c.codingPath.isEmpty: return "not valid JSON: truncated or edited?"
        case .dataCorrupted(let c)?: return "bad value at \(path(c.codingPath))"
        case .keyNotFound(let key, let c)?: return "missing \(path(c.codingPath + [key]))"
        case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?: return "wrong type at \(path(c.codingPath))"
        default: return "unreadable"
        }
    }

    static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
