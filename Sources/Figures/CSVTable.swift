/// Comma-separated values (RFC 4180): a header line, then one line per row. A field holding
/// a comma, a quote or a line break is quoted, its quotes doubled. Numbers are written in
/// Swift's shortest round-trip form (`"\(x)"`), so a reader gets back the exact `Double`.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The CSV text of a table of numbers, `row(i)` for `i` in `0..<count`, written straight
    /// into the text (a landscape has millions of rows).
    public static func numeric(header: [String], count: Int, row: (Int) -> [Double]) -> String {
        var text = header.map(field).joined(separator: ",") + "\n"
        text.reserveCapacity(count * 24 * header.count)
        for i in 0..<count {
            for (k, value) in row(i).enumerated() {
                if k > 0 { text += "," }
                text += "\(value)"
            }
            text += "\n"
        }
        return text
    }

    public var rendered: String {
        var text = ""
        for line in [header] + rows {
            text += line.map(Self.field).joined(separator: ",")
            text += "\n"
        }
        return text
    }

    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return s }
        return "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
