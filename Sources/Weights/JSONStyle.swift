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
    public static func line(_ value: some Encodable) throws -> String {
        String(decoding: try encoder(pretty: false).encode(value), as: UTF8.self)
    }

    /// A value of `type` from JSON text.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }

    static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
