/// A small SVG writer: shapes are appended as text; coordinates are rounded to 0.01 px.
/// It returns the document as a string (`rendered`); writing files is the caller's business.
public struct SVGDocument: Sendable {
    public let width: Double, height: Double
    private var body: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
        body.append("<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"white\"/>")
    }

    func n(_ x: Double) -> String { formatNumber((x * 100).rounded() / 100, significant: 10) }

    public static func escape(_ s: String) -> String {
        s.replacingAll("&", "&amp;").replacingAll("<", "&lt;").replacingAll(">", "&gt;").replacingAll("\"", "&quot;")
    }

    public mutating func raw(_ s: String) { body.append(s) }

    public mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "black", width: Double = 1,
                       dash: String? = nil) {
        body.append("<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
                    + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>")
    }

    public mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String = "none", stroke: String? = nil) {
        body.append("<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"\(fill)\""
                    + (stroke.map { " stroke=\"\($0)\"" } ?? "") + "/>")
    }

    public mutating func circle(_ x: Double, _ y: Double, r: Double, fill: String, stroke: String = "black") {
        body.append("<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\" fill=\"\(fill)\" stroke=\"\(stroke)\"/>")
    }

    /// A polyline through `points`; non-finite points break the line.
    public mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5, dash: String? = nil,
                           clip: String? = nil) {
        var d = ""
        var pen = false
        for (x, y) in points {
            guard x.isFinite, y.isFinite else { pen = false; continue }
            d += (pen ? "L" : "M") + n(x) + " " + n(y)
            pen = true
        }
        guard !d.isEmpty else { return }
        body.append("<path d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\" stroke-linejoin=\"round\""
                    + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + (clip.map { " clip-path=\"url(#\($0))\"" } ?? "") + "/>")
    }

    /// Separate segments as one path.
    public mutating func segments(_ segs: [((Double, Double), (Double, Double))], stroke: String, width: Double, opacity: Double = 1) {
        guard !segs.isEmpty else { return }
        var d = ""
        for (a, b) in segs { d += "M" + n(a.0) + " " + n(a.1) + "L" + n(b.0) + " " + n(b.1) }
        body.append("<path d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\" stroke-opacity=\"\(n(opacity))\"/>")
    }

    public mutating func text(_ s: String, _ x: Double, _ y: Double, size: Double = 12, anchor: String = "start",
                       rotate: Double? = nil, weight: String? = nil, fill: String = "black") {
        let transform = rotate.map { " transform=\"rotate(\(n($0)) \(n(x)) \(n(y)))\"" } ?? ""
        body.append("<text x=\"\(n(x))\" y=\"\(n(y))\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"\(n(size))\""
                    + " text-anchor=\"\(anchor)\" fill=\"\(fill)\"" + (weight.map { " font-weight=\"\($0)\"" } ?? "")
                    + transform + ">\(SVGDocument.escape(s))</text>")
    }

    public mutating func clipRect(id: String, _ x: Double, _ y: Double, _ w: Double, _ h: Double) {
        body.append("<defs><clipPath id=\"\(id)\"><rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\"/></clipPath></defs>")
    }

    public mutating func image(pngBase64: String, _ x: Double, _ y: Double, _ w: Double, _ h: Double) {
        body.append("<image x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" preserveAspectRatio=\"none\""
                    + " style=\"image-rendering:pixelated\" href=\"data:image/png;base64,\(pngBase64)\"/>")
    }

    public var rendered: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\">\n"
            + body.joined(separator: "\n") + "\n</svg>\n"
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
