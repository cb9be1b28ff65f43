/// Plain-text tables for terminals: columns padded to their widest cell and separated by
/// `gap` spaces, every column aligned the same way.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public var rows: [[String]]
    public var alignment: Alignment
    public var gap: Int

    /// `rows[0]` is usually the header; rows may have different lengths.
    public init(_ rows: [[String]], alignment: Alignment = .right, gap: Int = 2) {
        self.rows = rows
        self.alignment = alignment
        self.gap = gap
    }

    public var rendered: String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        let separator = String(repeating: " ", count: gap)
        return rows.map { row in
            row.enumerated().map { c, cell in
                let padding = String(repeating: " ", count: widths[c] - cell.count)
                return alignment == .right ? padding + cell : (c == row.count - 1 ? cell : cell + padding)
            }.joined(separator: separator)
        }.joined(separator: "\n")
    }

    /// "key:  value" lines with the values aligned after the longest key.
    public static func keyValues(_ pairs: [(String, String)]) -> String {
        let width = pairs.map(\.0.count).max() ?? 0
        return pairs.map { $0.0 + ":" + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 }.joined(separator: "\n")
    }
}

/// `x` with `significant` digits for a table cell, or "-" when there is no value.
public func formatCell(_ x: Double?, significant: Int = 6) -> String {
    x.map { formatNumber($0, significant: significant) } ?? "-"
}
