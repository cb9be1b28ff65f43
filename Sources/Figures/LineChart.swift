/// Line plots stacked in panels that share the x axis (e.g. metrics over training steps).
/// Each panel has its own y range (from its data unless given) and legend; non-finite points
/// break a line.
public struct LineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var color: String
        public var points: [(Double, Double)]
        public var dash: String?
        public init(name: String, color: String, points: [(Double, Double)], dash: String? = nil) {
            (self.name, self.color, self.points, self.dash) = (name, color, points, dash)
        }
    }

    public struct Panel: Sendable {
        public var yLabel: String
        public var series: [Series]
        public var yRange: (Double, Double)?
        public init(yLabel: String, series: [Series], yRange: (Double, Double)? = nil) {
            (self.yLabel, self.series, self.yRange) = (yLabel, series, yRange)
        }
    }

    public var title: String
    public var xLabel: String
    public var panels: [Panel]

    public init(title: String, xLabel: String, panels: [Panel]) {
        (self.title, self.xLabel, self.panels) = (title, xLabel, panels)
    }

    public var svg: String {
        let panelHeight = 190.0, gap = 60.0, top = 60.0
        var doc = SVGDocument(width: 900, height: top + Double(panels.count) * (panelHeight + gap) + 20)
        doc.text(title, 450, 28, size: 15, anchor: "middle", weight: "bold")
        let xs = panels.flatMap { $0.series.flatMap { $0.points.map(\.0) } }.filter(\.isFinite)
        let xRange = (xs.min() ?? 0, max(xs.max() ?? 1, (xs.min() ?? 0) + 1e-12))
        for (k, panel) in panels.enumerated() {
            let ys = panel.series.flatMap { $0.points.map(\.1) }.filter(\.isFinite)
            var yRange = panel.yRange ?? (ys.min() ?? 0, ys.max() ?? 1)
            if yRange.1 <= yRange.0 { yRange = (yRange.0 - 0.5, yRange.0 + 0.5) }
            if panel.yRange == nil {
                let pad = 0.05 * (yRange.1 - yRange.0)
                yRange = (yRange.0 - pad, yRange.1 + pad)
            }
            let frame = PlotFrame(left: 90, top: top + Double(k) * (panelHeight + gap), width: 600, height: panelHeight,
                                  xRange: xRange, yRange: yRange)
            frame.drawAxes(&doc, xLabel: k == panels.count - 1 ? xLabel : "", yLabel: panel.yLabel, grid: true)
            let clip = "panel\(k)"
            doc.clipRect(id: clip, frame.left, frame.top, frame.width, frame.height)
            for (j, s) in panel.series.enumerated() {
                doc.polyline(s.points.map { (frame.px($0.0), frame.py($0.1)) }, stroke: s.color, width: 2, dash: s.dash, clip: clip)
                let ly = frame.top + 14 + 18 * Double(j)
                doc.line(705, ly - 4, 730, ly - 4, stroke: s.color, width: 3, dash: s.dash)
                doc.text(s.name, 736, ly, size: 12)
            }
        }
        return doc.rendered
    }
}
