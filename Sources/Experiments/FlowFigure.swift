import Figures
import Phenomenology

extension GradientFlow.Trajectory {
    /// Times at which to draw the interpolated curves: `count` evenly spaced times plus every
    /// sample (so a sharp cliff between evenly spaced times is still drawn).
    func drawingTimes(count: Int = 800) -> [Double] {
        let end = times.last!
        let even = (0...count).map { end * Double($0) / Double(count) }
        return (even + times).sorted()
    }

}

/// An SVG of the loss (top) and the three parameters (bottom) over time, marking the
/// plateau end `t_on`, the cliff time `t_c`, the cliff end `t_off`, the threshold and each
/// parameter's first-exceed time.
func flowFigure(_ trajectory: GradientFlow.Trajectory, title: String, summary: CliffSummary) -> String {
    trajectory.figure(title: title, summary: summary)
}

extension GradientFlow.Trajectory {
    func figure(title: String, summary: CliffSummary) -> String {
        var svg = SVGDocument(width: 860, height: 720)
        let end = times.last! > 0 ? times.last! : 1
        let ts = drawingTimes()
        let lossMax = max(losses.max() ?? 1, 1e-12)
        let top = PlotFrame(left: 90, top: 60, width: 620, height: 260, xRange: (0, end), yRange: (0, lossMax * 1.05))
        let allParams = points.flatMap { [$0[0], $0[1], $0[2]] } + [summary.threshold]
        let pLo = min(allParams.min() ?? 0, 0), pHi = max(allParams.max() ?? 1, 1e-12)
        let bottom = PlotFrame(left: 90, top: 390, width: 620, height: 260, xRange: (0, end), yRange: (pLo, pHi + 0.05 * (pHi - pLo)))

        svg.text(title, 430, 28, size: 15, anchor: "middle", weight: "bold")
        top.drawAxes(&svg, xLabel: "", yLabel: "loss", grid: true)
        svg.polyline(ts.map { (top.px($0), top.py(loss(at: $0))) }, stroke: "#1f4e9c", width: 2)
        func marker(_ t: Double?, _ label: String, _ color: String, row: Double) {
            guard let t else { return }
            svg.line(top.px(t), top.top, top.px(t), top.top + top.height, stroke: color, width: 1.2, dash: "5 3")
            svg.line(bottom.px(t), bottom.top, bottom.px(t), bottom.top + bottom.height, stroke: color, width: 0.8, dash: "5 3")
            svg.text(label, top.px(t) + 4, top.top + 14 + 14 * row, size: 11, fill: color)
        }
        marker(summary.plateauLength, "plateau ends t_on = \(formatNumber(summary.plateauLength ?? 0))", "#7a7a00", row: 0)
        marker(summary.cliffTime, "cliff t_c = \(formatNumber(summary.cliffTime ?? 0))", "#c02020", row: 1)
        marker(summary.cliffEnd, "t_off = \(formatNumber(summary.cliffEnd ?? 0))", "#808080", row: 2)
        if let tc = summary.cliffTime {
            // The tangent at the cliff, the construction behind t_on and t_off.
            let lc = loss(at: tc)
            let t0 = summary.plateauLength ?? tc, t1 = summary.cliffEnd ?? tc
            svg.line(top.px(t0), top.py(lc + summary.maxSlope * (tc - t0)), top.px(t1), top.py(lc - summary.maxSlope * (t1 - tc)),
                     stroke: "#c02020", width: 1, dash: "2 2")
        }
        var info = "loss \(formatNumber(summary.initialLoss)) -> \(formatNumber(summary.finalLoss))"
        if let b = summary.lossBefore, let a = summary.lossAfter {
            info += "; across the cliff \(formatNumber(b)) -> \(formatNumber(a)); steepest slope \(formatNumber(summary.maxSlope, significant: 3))"
            if let m = summary.meanPlateauSlope { info += " = \(formatNumber(summary.maxSlope / m, significant: 3)) x plateau mean" }
        } else {
            info += "; no cliff (the gradient vanishes along the trajectory)"
        }
        svg.text(info, 400, 345, size: 12, anchor: "middle")

        bottom.drawAxes(&svg, xLabel: "time t", yLabel: "parameters", grid: true)
        svg.line(bottom.left, bottom.py(summary.threshold), bottom.left + bottom.width, bottom.py(summary.threshold),
                 stroke: "#555555", width: 1, dash: "6 4")
        svg.text("threshold \(formatNumber(summary.threshold))", bottom.left + bottom.width - 4, bottom.py(summary.threshold) - 4,
                 size: 10, anchor: "end", fill: "#555555")
        let colors = ["#d62728", "#2ca02c", "#1f77b4"]
        let names = coordinateNames
        for k in 0..<3 {
            svg.polyline(ts.map { (bottom.px($0), bottom.py(parameter(k, at: $0))) }, stroke: colors[k], width: 2)
            if let t = summary.firstExceeds[k] {
                svg.circle(bottom.px(t), bottom.py(parameter(k, at: t)), r: 4, fill: colors[k])
            }
            // Legend.
            let ly = 80.0 + 32 * Double(k)
            svg.line(725, ly + 330, 750, ly + 330, stroke: colors[k], width: 3)
            let first = summary.firstExceeds[k].map { "first > threshold at \(formatNumber($0))" } ?? "never > threshold"
            svg.text(names[k], 755, ly + 334, size: 12)
            svg.text(first, 725, ly + 346, size: 9, fill: "#444444")
        }
        return svg.rendered
    }
}
