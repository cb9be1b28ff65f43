/// One self-contained HTML page (no scripts, no external files): a title, then sections of
/// paragraphs, key-value tables and inline SVG figures. Text is escaped; SVG is embedded as given.
public struct HTMLPage: Sendable {
    public enum Block: Sendable {
        case paragraph(String)
        case table([(String, String)])
        case figure(svg: String, caption: String)
    }

    public struct Section: Sendable {
        public var heading: String
        public var blocks: [Block]
        public init(heading: String, blocks: [Block]) { (self.heading, self.blocks) = (heading, blocks) }
    }

    public var title: String
    public var sections: [Section]
    public init(title: String, sections: [Section]) { (self.title, self.sections) = (title, sections) }

    public var html: String {
        var out = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(Self.escape(title))</title>
        <style>
        body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
        table { border-collapse: collapse; margin: 1em 0; }
        td { border-bottom: 1px solid #ddd; padding: 4px 12px; font-family: monospace; }
        td:first-child { font-family: sans-serif; color: #555; }
        figure { margin: 1.5em 0; } figcaption { color: #555; font-size: 90%; }
        figure svg { max-width: 100%; height: auto; }
        </style></head><body>
        <h1>\(Self.escape(title))</h1>

        """
        for section in sections {
            out += "<h2>\(Self.escape(section.heading))</h2>\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let text): out += "<p>\(Self.escape(text))</p>\n"
                case .table(let rows):
                    out += "<table>\n" + rows.map { "<tr><td>\(Self.escape($0.0))</td><td>\(Self.escape($0.1))</td></tr>" }.joined(separator: "\n") + "\n</table>\n"
                case .figure(let svg, let caption):
                    out += "<figure>\n\(svg)\n<figcaption>\(Self.escape(caption))</figcaption></figure>\n"
                }
            }
        }
        return out + "</body></html>\n"
    }

    /// `& < > "` as entities.
    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
