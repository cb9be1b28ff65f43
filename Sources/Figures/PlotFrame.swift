/// A rectangular plot area mapping data coordinates to pixels, with axes and ticks.
public struct PlotFrame: Sendable {
    public var left: Double, top: Double, width: Double, height: Double
    public var xRange: (Double, Double), yRange: (Double, Double)

    public init(left: Double, top: Double, width: Double, height: Double, xRange: (Double, Double), yRange: (Double, Double)) {
        self.left = left
        self.top = top
        self.width = width
        self.height = height
        self.xRange = xRange
        self.yRange = yRange
    }

    public func px(_ x: Double) -> Double { left + (x - xRange.0) / (xRange.1 - xRange.0) * width }
    public func py(_ y: Double) -> Double { top + height - (y - yRange.0) / (yRange.1 - yRange.0) * height }

    public func drawAxes(_ svg: inout SVGDocument, xLabel: String, yLabel: String, grid: Bool = false) {
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
