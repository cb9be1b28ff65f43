/// A small SVG writer: shapes are appended as text; coordinates are rounded to 0.01 px.
struct SVGDocument {
    let width: Double, height: Double
    private var body: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
        body.append("<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"white\"/>")
    }

    func n(_ x: Double) -> String { formatNumber((x * 100).rounded() / 100, significant: 10) }

    static func escape(_ s: String) -> String {
        s.replacingAll("&", "&amp;").replacingAll("<", "&lt;").replacingAll(">", "&gt;").replacingAll("\"", "&quot;")
    }

    mutating func raw(_ s: String) { body.append(s) }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "black", width: Double = 1,
                       dash: String? = nil) {
        body.append("<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
                    + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>")
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String = "none", stroke: String? = nil) {
        body.append("<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"\(fill)\""
                    + (stroke.map { " stroke=\"\($0)\"" } ?? "") + "/>")
    }

    mutating func circle(_ x: Double, _ y: Double, r: Double, fill: String, stroke: String = "black") {
        body.append("<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\" fill=\"\(fill)\" stroke=\"\(stroke)\"/>")
    }

    /// A polyline through `points`; non-finite points break the line.
    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5, dash: String? = nil,
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
    mutating func segments(_ segs: [((Double, Double), (Double, Double))], stroke: String, width: Double, opacity: Double = 1) {
        guard !segs.isEmpty else { return }
        var d = ""
        for (a, b) in segs { d += "M" + n(a.0) + " " + n(a.1) + "L" + n(b.0) + " " + n(b.1) }
        body.append("<path d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\" stroke-opacity=\"\(n(opacity))\"/>")
    }

    mutating func text(_ s: String, _ x: Double, _ y: Double, size: Double = 12, anchor: String = "start",
                       rotate: Double? = nil, weight: String? = nil, fill: String = "black") {
        let transform = rotate.map { " transform=\"rotate(\(n($0)) \(n(x)) \(n(y)))\"" } ?? ""
        body.append("<text x=\"\(n(x))\" y=\"\(n(y))\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"\(n(size))\""
                    + " text-anchor=\"\(anchor)\" fill=\"\(fill)\"" + (weight.map { " font-weight=\"\($0)\"" } ?? "")
                    + transform + ">\(SVGDocument.escape(s))</text>")
    }

    mutating func clipRect(id: String, _ x: Double, _ y: Double, _ w: Double, _ h: Double) {
        body.append("<defs><clipPath id=\"\(id)\"><rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\"/></clipPath></defs>")
    }

    mutating func image(pngBase64: String, _ x: Double, _ y: Double, _ w: Double, _ h: Double) {
        body.append("<image x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" preserveAspectRatio=\"none\""
                    + " style=\"image-rendering:pixelated\" href=\"data:image/png;base64,\(pngBase64)\"/>")
    }

    var rendered: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\">\n"
            + body.joined(separator: "\n") + "\n</svg>\n"
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// A rectangular plot area mapping data coordinates to pixels, with axes and ticks.
struct PlotFrame {
    var left: Double, top: Double, width: Double, height: Double
    var xRange: (Double, Double), yRange: (Double, Double)

    func px(_ x: Double) -> Double { left + (x - xRange.0) / (xRange.1 - xRange.0) * width }
    func py(_ y: Double) -> Double { top + height - (y - yRange.0) / (yRange.1 - yRange.0) * height }

    func drawAxes(_ svg: inout SVGDocument, xLabel: String, yLabel: String, grid: Bool = false) {
        svg.rect(left, top, width, height, stroke: "black")
        for t in niceTicks(xRange.0, xRange.1) {
            let x = px(t)
            if grid { svg.line(x, top, x, top + height, stroke: "#dddddd", width: 0.5) }
            svg.line(x, top + height, x, top + height + 5)
            svg.text(formatNumber(t, significant: 4), x, top + height + 18, size: 11, anchor: "middle")
        }
        for t in niceTicks(yRange.0, yRange.1, target: 5) {
            let y = py(t)
            if grid { svg.line(left, y, left + width, y, stroke: "#dddddd", width: 0.5) }
            svg.line(left - 5, y, left, y)
            svg.text(formatNumber(t, significant: 4), left - 8, y + 4, size: 11, anchor: "end")
        }
        svg.text(xLabel, left + width / 2, top + height + 36, size: 13, anchor: "middle")
        svg.text(yLabel, left - 48, top + height / 2, size: 13, anchor: "middle", rotate: -90)
    }
}
