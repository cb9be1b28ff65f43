/// Small matrices drawn as grids of coloured cells, side by side, on one diverging colour scale
/// symmetric about 0 (`[-a, a]`, `a` the largest magnitude over all panels, or given), so equal
/// colours mean equal values across panels. Cells of at least 1% of `a` show their value.
public struct MatrixGrid: Sendable {
    public struct Panel: Sendable {
        public var title: String
        public var rows: Int
        public var cols: Int
        /// Row-major.
        public var values: [Double]
        public init(title: String, rows: Int, cols: Int, values: [Double]) {
            precondition(values.count == rows * cols, "a \(rows) x \(cols) panel needs \(rows * cols) values")
            (self.title, self.rows, self.cols, self.values) = (title, rows, cols, values)
        }
    }

    public var title: String
    public var subtitle: String
    public var panels: [Panel]
    /// Panels per row of the figure.
    public var columns: Int
    public var limit: Double?
    public var showValues: Bool

    public init(title: String, subtitle: String, panels: [Panel], columns: Int = 2, limit: Double? = nil, showValues: Bool = true) {
        (self.title, self.subtitle, self.panels, self.columns, self.limit, self.showValues) = (title, subtitle, panels, columns, limit, showValues)
    }

    public var svg: String {
        let cell = 30.0, panelGap = 60.0, top = 80.0, left = 40.0
        let maxCols = panels.map(\.cols).max() ?? 1, maxRows = panels.map(\.rows).max() ?? 1
        let panelWidth = Double(maxCols) * cell, panelHeight = Double(maxRows) * cell
        let gridRows = (panels.count + columns - 1) / columns
        let width = left + Double(columns) * (panelWidth + panelGap) + 90
        // Wide enough for the centred title and subtitle (about 0.62 and 0.55 of the font size per
        // character in the default sans-serif), so they are never clipped at the edges.
        let titleWidth = max(0.62 * 15 * Double(title.count), 0.55 * 12 * Double(subtitle.count)) + 40
        var doc = SVGDocument(width: max(width, 520, titleWidth), height: top + Double(gridRows) * (panelHeight + panelGap + 10) + 10)
        let a = limit ?? max(panels.flatMap(\.values).filter(\.isFinite).map(abs).max() ?? 1, 1e-300)
        doc.text(title, doc.width / 2, 26, size: 15, anchor: "middle", weight: "bold")
        doc.text(subtitle, doc.width / 2, 46, size: 12, anchor: "middle")
        for (k, p) in panels.enumerated() {
            let x0 = left + Double(k % columns) * (panelWidth + panelGap), y0 = top + Double(k / columns) * (panelHeight + panelGap + 10)
            doc.text(p.title, x0 + Double(p.cols) * cell / 2, y0 - 8, size: 12, anchor: "middle")
            for i in 0..<p.rows {
                for j in 0..<p.cols {
                    let v = p.values[i * p.cols + j]
                    let t = v.isFinite ? v / a : 0
                    doc.rect(x0 + Double(j) * cell, y0 + Double(i) * cell, cell, cell, fill: Diverging.hex(t), stroke: "#dddddd")
                    if showValues && v.isFinite && abs(v) >= 0.01 * a {
                        doc.text(formatNumber(v, significant: 2), x0 + (Double(j) + 0.5) * cell, y0 + (Double(i) + 0.5) * cell + 3,
                                 size: 7, anchor: "middle", fill: abs(t) > 0.6 ? "white" : "black")
                    }
                }
            }
            doc.rect(x0, y0, Double(p.cols) * cell, Double(p.rows) * cell, stroke: "black")
        }
        // Colour bar.
        let barX = doc.width - 70, barTop = top, barHeight = max(panelHeight, 150)
        for s in 0..<100 {
            let t = 1 - 2 * Double(s) / 99
            doc.rect(barX, barTop + barHeight * Double(s) / 100, 18, barHeight / 100 + 0.5, fill: Diverging.hex(t))
        }
        doc.rect(barX, barTop, 18, barHeight, stroke: "black")
        for (t, label) in [(1.0, a), (0.0, 0.0), (-1.0, -a)] {
            let y = barTop + barHeight * (1 - t) / 2
            doc.line(barX + 18, y, barX + 23, y)
            doc.text(formatNumber(label, significant: 3), barX + 25, y + 4, size: 10)
        }
        return doc.rendered
    }
}

/// A diverging colour map for signed values: blue (-1) - white (0) - red (+1), after Moreland's
/// cool-warm end points.
public enum Diverging {
    public static func rgb(_ t: Double) -> (UInt8, UInt8, UInt8) {
        let x = min(max(t.isFinite ? t : 0, -1), 1)
        let (end, white): ((Double, Double, Double), (Double, Double, Double)) = (x < 0 ? (59, 76, 192) : (180, 4, 38), (247, 247, 247))
        let f = abs(x)
        func mix(_ w: Double, _ e: Double) -> UInt8 { UInt8((w + (e - w) * f).rounded()) }
        return (mix(white.0, end.0), mix(white.1, end.1), mix(white.2, end.2))
    }

    public static func hex(_ t: Double) -> String {
        let (r, g, b) = rgb(t)
        func h(_ v: UInt8) -> String { let s = String(v, radix: 16); return s.count == 1 ? "0" + s : s }
        return "#" + h(r) + h(g) + h(b)
    }
}
