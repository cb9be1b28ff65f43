import Glibc

extension Landscape {
    /// An SVG heatmap of the loss (viridis, embedded PNG of at most `maxPixels` per side),
    /// `contourLevels` contour lines evenly spaced between the smallest and largest loss,
    /// a colour bar, axes, and optionally a gradient-flow trajectory projected on the two axes.
    public func svg(title: String, contourLevels: Int = 12, trajectory: Trajectory? = nil, maxPixels: Int = 600) -> String {
        var svg = SVGDocument(width: 780, height: 660)
        let frame = PlotFrame(left: 90, top: 60, width: 520, height: 520,
                              xRange: (x.lower, x.upper), yRange: (y.lower, y.upper))
        let finite = values.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        let span = hi > lo ? hi - lo : 1
        func t(_ v: Double) -> Double { (v - lo) / span }

        // Heatmap: the grid cell centred at (x_i, y_j) covers half a spacing either side, so
        // the image spans the axis range exactly with cells as pixels (nearest-neighbour).
        let w = min(x.count, maxPixels), h = min(y.count, maxPixels)
        var rgb = [UInt8](repeating: 0, count: w * h * 3)
        for r in 0..<h {
            let j = (h - 1 - r) * (y.count - 1) / max(h - 1, 1)
            for c in 0..<w {
                let i = c * (x.count - 1) / max(w - 1, 1)
                let v = self[i, j]
                let (cr, cg, cb) = v.isFinite ? Viridis.rgb(t(v)) : (200, 200, 200)
                rgb[3 * (r * w + c)] = cr
                rgb[3 * (r * w + c) + 1] = cg
                rgb[3 * (r * w + c) + 2] = cb
            }
        }
        svg.image(pngBase64: PNGEncoder.base64(PNGEncoder.encode(width: w, height: h, rgb: rgb)),
                  frame.left, frame.top, frame.width, frame.height)

        // Contours on the full grid, mapped from grid indices to pixels.
        let sx = frame.width / Double(x.count - 1), sy = frame.height / Double(y.count - 1)
        var levels: [Double] = []
        if contourLevels > 0 && hi > lo {
            levels = (1...contourLevels).map { lo + span * Double($0) / Double(contourLevels + 1) }
            for level in levels {
                let segs = contourSegments(values: { self[$0, $1] }, nx: x.count, ny: y.count, level: level)
                let mapped = segs.map { ((frame.left + $0.0.0 * sx, frame.top + frame.height - $0.0.1 * sy),
                                         (frame.left + $0.1.0 * sx, frame.top + frame.height - $0.1.1 * sy)) }
                svg.segments(mapped, stroke: t(level) > 0.6 ? "#333333" : "white", width: 0.9, opacity: 0.85)
            }
        }

        if let trajectory {
            svg.clipRect(id: "plotarea", frame.left, frame.top, frame.width, frame.height)
            let path = trajectory.points.map { (frame.px($0[x.index]), frame.py($0[y.index])) }
            svg.polyline(path, stroke: "#ff3030", width: 2.2, clip: "plotarea")
            if let first = path.first { svg.circle(first.0, first.1, r: 4.5, fill: "white") }
            if let last = path.last, frame.left...(frame.left + frame.width) ~= last.0, frame.top...(frame.top + frame.height) ~= last.1 {
                svg.circle(last.0, last.1, r: 4.5, fill: "#ff3030")
            }
            svg.text("red: gradient flow from (\(trajectory.points[0].map3)), projected on (\(parameterNames[x.index]), \(parameterNames[y.index])) (\(parameterNames[thirdIndex]) varies along it); white dot = start", frame.left, 640, size: 11)
        }

        let names = parameterNames
        frame.drawAxes(&svg, xLabel: names[x.index], yLabel: names[y.index])
        svg.text(title, 390, 28, size: 15, anchor: "middle", weight: "bold")
        let thirdText: String
        switch third {
        case .fixed(let c): thirdText = "\(names[thirdIndex]) = \(formatNumber(c)) fixed"
        case let .minimized(l, u, _): thirdText = "\(names[thirdIndex]) minimized over [\(formatNumber(l)), \(formatNumber(u))]"
        }
        svg.text(thirdText + "; \(contourLevels) contour levels, step \(formatNumber(span / Double(contourLevels + 1), significant: 3))",
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
        svg.text("loss", barX + barW / 2, frame.top - 8, size: 12, anchor: "middle")
        return svg.rendered
    }

    /// CSV with a header: the two axis coordinates, the third coordinate and the loss.
    public func csv() -> String {
        let names = parameterNames
        var lines = ["\(names[x.index]),\(names[y.index]),\(names[thirdIndex]),loss"]
        lines.reserveCapacity(values.count + 1)
        for j in 0..<y.count {
            let yv = y.value(j)
            for i in 0..<x.count {
                lines.append("\(x.value(i)),\(yv),\(third(i, j)),\(values[j * x.count + i])")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension SIMD3 where Scalar == Double {
    /// "beta, alpha, xi" with 3 significant digits.
    var map3: String { (0..<3).map { formatNumber(self[$0], significant: 3) }.joined(separator: ", ") }
}
