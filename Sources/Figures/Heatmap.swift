/// A heatmap figure of a field sampled on a regular grid: viridis image (an embedded PNG
/// of at most `maxPixels` per side), contour lines evenly spaced between the smallest and
/// largest finite value, a colour bar, axes, and optionally a path drawn on top.
///
/// `values[j * columns + i]` is the value at `(x_i, y_j)`, with `x_i` evenly spaced over
/// `xRange` (i = 0..<columns) and `y_j` over `yRange`. Non-finite values are drawn grey and
/// skipped by the contours and the colour scale.
public struct Heatmap: Sendable {
    /// A path in data coordinates (non-finite points break it), with a caption under the plot.
    public struct Path: Sendable {
        public var points: [(Double, Double)]
        public var caption: String
        public init(points: [(Double, Double)], caption: String) {
            self.points = points
            self.caption = caption
        }
    }

    public var values: [Double]
    public var columns: Int
    public var rows: Int
    public var xRange: (Double, Double)
    public var yRange: (Double, Double)
    public var xLabel: String
    public var yLabel: String
    public var valueLabel: String
    public var title: String
    /// A line under the title (the contour step is appended to it).
    public var subtitle: String
    public var contourLevels: Int
    public var path: Path?
    public var maxPixels: Int

    public init(values: [Double], columns: Int, rows: Int, xRange: (Double, Double), yRange: (Double, Double),
                xLabel: String, yLabel: String, valueLabel: String, title: String, subtitle: String,
                contourLevels: Int = 12, path: Path? = nil, maxPixels: Int = 600) {
        precondition(columns >= 2 && rows >= 2 && values.count == columns * rows, "Heatmap: \(values.count) values for \(columns) x \(rows)")
        self.values = values
        self.columns = columns
        self.rows = rows
        self.xRange = xRange
        self.yRange = yRange
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.valueLabel = valueLabel
        self.title = title
        self.subtitle = subtitle
        self.contourLevels = contourLevels
        self.path = path
        self.maxPixels = maxPixels
    }

    public subscript(i: Int, j: Int) -> Double { values[j * columns + i] }

    /// The smallest and largest finite value (0 and 1 when there is none).
    public var valueRange: (Double, Double) {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
        return lo <= hi ? (lo, hi) : (0, 1)
    }

    /// The SVG document.
    public func svg() throws -> String {
        var svg = SVGDocument(width: 780, height: 660)
        let frame = PlotFrame(left: 90, top: 60, width: 520, height: 520, xRange: xRange, yRange: yRange)
        let (lo, hi) = valueRange
        let span = hi > lo ? hi - lo : 1
        func t(_ v: Double) -> Double { (v - lo) / span }

        // Image: the grid cell centred at (x_i, y_j) covers half a spacing either side, so the
        // image spans the axis range exactly with cells as pixels (nearest-neighbour).
        let w = min(columns, maxPixels), h = min(rows, maxPixels)
        var rgb = [UInt8](repeating: 0, count: w * h * 3)
        for r in 0..<h {
            let j = (h - 1 - r) * (rows - 1) / max(h - 1, 1)
            for c in 0..<w {
                let v = self[c * (columns - 1) / max(w - 1, 1), j]
                let (cr, cg, cb) = v.isFinite ? Viridis.rgb(t(v)) : (200, 200, 200)
                rgb[3 * (r * w + c)] = cr
                rgb[3 * (r * w + c) + 1] = cg
                rgb[3 * (r * w + c) + 2] = cb
            }
        }
        svg.image(pngBase64: PNGEncoder.base64(try PNGEncoder.encode(width: w, height: h, rgb: rgb)),
                  frame.left, frame.top, frame.width, frame.height)

        // Contours on the full grid, mapped from grid indices to pixels.
        let sx = frame.width / Double(columns - 1), sy = frame.height / Double(rows - 1)
        var levels: [Double] = []
        if contourLevels > 0 && hi > lo {
            levels = (1...contourLevels).map { lo + span * Double($0) / Double(contourLevels + 1) }
            for level in levels {
                let segs = contourSegments(values: { self[$0, $1] }, nx: columns, ny: rows, level: level)
                let mapped = segs.map { ((frame.left + $0.0.0 * sx, frame.top + frame.height - $0.0.1 * sy),
                                         (frame.left + $0.1.0 * sx, frame.top + frame.height - $0.1.1 * sy)) }
                svg.segments(mapped, stroke: t(level) > 0.6 ? "#333333" : "white", width: 0.9, opacity: 0.85)
            }
        }

        if let path {
            svg.clipRect(id: "plotarea", frame.left, frame.top, frame.width, frame.height)
            let pixels = path.points.map { (frame.px($0.0), frame.py($0.1)) }
            svg.polyline(pixels, stroke: "#ff3030", width: 2.2, clip: "plotarea")
            if let first = pixels.first { svg.circle(first.0, first.1, r: 4.5, fill: "white") }
            if let last = pixels.last, frame.left...(frame.left + frame.width) ~= last.0, frame.top...(frame.top + frame.height) ~= last.1 {
                svg.circle(last.0, last.1, r: 4.5, fill: "#ff3030")
            }
            svg.text(path.caption, frame.left, 640, size: 11)
        }

        frame.drawAxes(&svg, xLabel: xLabel, yLabel: yLabel)
        svg.text(title, 390, 28, size: 15, anchor: "middle", weight: "bold")
        svg.text(subtitle + "; \(contourLevels) contour levels, step \(formatNumber(span / Double(contourLevels + 1), significant: 3))",
                 390, 46, size: 12, anchor: "middle")

        // Colour bar.
        let barX = 650.0, barW = 22.0
        let steps = 100
        for k in 0..<steps {
            let y0 = frame.top + frame.height * (1 - Double(k + 1) / Double(steps))
            svg.rect(barX, y0, barW, frame.height / Double(steps) + 0.5, fill: Viridis.hex(Double(k) / Double(steps - 1)))
        }
        svg.rect(barX, frame.top, barW, frame.height, stroke: "black")
        let bar = PlotFrame(left: barX, top: frame.top, width: barW, height: frame.height, xRange: (0, 1), yRange: (lo, hi))
        for v in niceTicks(lo, hi, target: 6) {
            svg.line(barX + barW, bar.py(v), barX + barW + 5, bar.py(v))
            svg.text(formatNumber(v, significant: 3), barX + barW + 8, bar.py(v) + 4, size: 11)
        }
        for level in levels { svg.line(barX, bar.py(level), barX + barW, bar.py(level), stroke: "black", width: 0.6) }
        svg.text(valueLabel, barX + barW / 2, frame.top - 8, size: 12, anchor: "middle")
        return svg.rendered
    }
}
