import Foundation

/// What a `JSONDecoder` error says in the words of the file, not of Swift: the path of the
/// value (`results[0].passed`) and what is wrong there (`missing`, `expected a number`), with
/// no type or coding-key names.
public func decodingMessage(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "unreadable" }
    func path(_ keys: [any CodingKey]) -> String {
        let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return text.hasPrefix(".") ? String(text.dropFirst()) : text.isEmpty ? "the top level" : text
    }
    func kind(_ type: Any.Type) -> String {
        if type == Bool.self { return "true or false" }
        if type == String.self { return "a string" }
        if [Double.self, Float.self, Int.self, UInt64.self, Int64.self, UInt.self].contains(where: { $0 == type }) { return "a number" }
        let name = String(describing: type)
        if name.hasPrefix("Array") || name.hasPrefix("[") { return "a list" }
        return "an object"
    }
    switch error {
    case let .dataCorrupted(context) where context.codingPath.isEmpty:
        return "not valid JSON"
    case let .dataCorrupted(context):
        // The decoder's own texts name Swift types ("Cannot initialize X from invalid String value y").
        let said = context.debugDescription
        return "\(path(context.codingPath)): " + (said.hasPrefix("Cannot initialize") || said.contains("CodingKeys") ? "not an accepted value" : said)
    case let .keyNotFound(key, context): return "\(path(context.codingPath + [key])): missing"
    case let .typeMismatch(type, context): return "\(path(context.codingPath)): expected \(kind(type))"
    case let .valueNotFound(type, context): return "\(path(context.codingPath)): expected \(kind(type)), got null"
    @unknown default: return "unreadable"
    }
}
