/// A tensor-name pattern with the placeholders `{k}` (layer) and `{h}` (head), each matching a
/// decimal number: `blocks.{k}.attn.wq` matches `blocks.3.attn.wq` with `k = 3`. Used by
/// `--map OLD=NEW`, which renames every name matching `OLD` to `NEW` with the same numbers.
public struct NamePattern: Sendable, Equatable, CustomStringConvertible {
    enum Part: Equatable, Sendable { case literal(String), layer, head }
    let parts: [Part]
    public let description: String

    /// A pattern; `nil` when it has an unknown `{...}` placeholder or two placeholders in a row
    /// (which could split a number anywhere).
    public init?(_ text: String) {
        var parts: [Part] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            if open > rest.startIndex { parts.append(.literal(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}") else { return nil }
            switch rest[rest.index(after: open)..<close] {
            case "k": parts.append(.layer)
            case "h": parts.append(.head)
            default: return nil
            }
            if parts.count >= 2, parts[parts.count - 2] == .layer || parts[parts.count - 2] == .head { return nil }
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        self.parts = parts
        self.description = text
    }

    /// The layer and head numbers if `name` matches (`nil` for a placeholder the pattern lacks).
    public func match(_ name: String) -> (layer: Int?, head: Int?)? {
        var rest = Substring(name)
        var layer: Int?, head: Int?
        for part in parts {
            switch part {
            case .literal(let s):
                guard rest.hasPrefix(s) else { return nil }
                rest = rest.dropFirst(s.count)
            case .layer, .head:
                let digits = rest.prefix { $0.isASCII && $0.isNumber }
                guard !digits.isEmpty, digits.count <= 9, let n = Int(digits) else { return nil }
                rest = rest.dropFirst(digits.count)
                if part == .layer {
                    guard layer == nil || layer == n else { return nil }
                    layer = n
                } else {
                    guard head == nil || head == n else { return nil }
                    head = n
                }
            }
        }
        return rest.isEmpty ? (layer, head) : nil
    }

    /// The pattern with its placeholders filled in.
    public func filled(layer: Int?, head: Int?) -> String {
        parts.map { part -> String in
            switch part {
            case .literal(let s): s
            case .layer: layer.map(String.init) ?? "{k}"
            case .head: head.map(String.init) ?? "{h}"
            }
        }.joined()
    }

    /// The placeholders used.
    public var usesLayer: Bool { parts.contains(.layer) }
    public var usesHead: Bool { parts.contains(.head) }
}
