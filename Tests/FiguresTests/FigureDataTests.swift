import Figures
import Foundation
import Testing

/// The figures read back as data, the way a reader reads them: the SVG's text is parsed for its
/// image, cells, curves and tick labels, and those are compared with the numbers drawn.
/// - Heatmap: every pixel of the embedded PNG is viridis of its cell's value, the top row the
///   largest y; each contour of a field linear in y is the horizontal line at its level's pixel row.
/// - MatrixGrid: one colour scale for all panels (a cell's fill is `Diverging(v / a)`, `a` the
///   largest magnitude over all panels), cells in row-major order.
/// - LineChart: every curve's vertex, read against the axis tick labels, gives back its data point.
@Suite struct FigureDataTests {
    /// The captures of `pattern` over `text`, in order.
    static func matches(_ pattern: String, _ text: String) throws -> [[String]] {
        try Regex(pattern).matchesAll(text)
    }

    @Test func heatmapImageHasTheLargestYOnTopAndContoursAtTheirLevels() throws {
        let columns = 5, rows = 7
        // Increasing with y (strongly) and with x (weakly): every cell has its own value.
        let values = (0..<rows).flatMap { j in (0..<columns).map { i in Double(j) * 10 + Double(i) } }
        let map = Heatmap(values: values, columns: columns, rows: rows, xRange: (0, 4), yRange: (-3, 3),
                          xLabel: "x", yLabel: "y", valueLabel: "v", title: "t", subtitle: "s", contourLevels: 0)
        let svg = try map.svg()
        let base64 = try #require(try Self.matches(#"href="data:image/png;base64,([^"]+)""#, svg).first?[0])
        let png = [UInt8](try #require(Data(base64Encoded: base64)))
        let pixels = PNGTests.decode(png, width: columns, height: rows)
        let (lo, hi) = (values.min()!, values.max()!)
        for r in 0..<rows {
            for c in 0..<columns {
                let value = values[(rows - 1 - r) * columns + c]   // image row 0 is the top: the largest y
                let (red, green, blue) = Viridis.rgb((value - lo) / (hi - lo))
                let k = 3 * (r * columns + c)
                #expect([pixels[k], pixels[k + 1], pixels[k + 2]] == [red, green, blue], "pixel (row \(r), column \(c)) for value \(value)")
            }
        }
        // The y axis reads upwards: its largest tick label is above its smallest.
        let yTicks = try Self.ticks(svg, anchor: "end")
        let top = try #require(yTicks.max { $0.value < $1.value }), bottom = try #require(yTicks.min { $0.value < $1.value })
        #expect(top.value > bottom.value && top.pixel < bottom.pixel, "y ticks \(yTicks)")
    }

    @Test func contoursOfAFieldLinearInYAreHorizontalAtTheirLevels() throws {
        let columns = 4, rows = 6, levels = 3
        let values = (0..<rows).flatMap { j in (0..<columns).map { _ in Double(j) } }
        let map = Heatmap(values: values, columns: columns, rows: rows, xRange: (0, 1), yRange: (0, 5),
                          xLabel: "x", yLabel: "y", valueLabel: "v", title: "t", subtitle: "s", contourLevels: levels)
        let svg = try map.svg()
        let yTicks = try Self.ticks(svg, anchor: "end")
        let paths = try Self.matches(#"<path d="([^"]+)" fill="none" stroke="(?:white|#333333)""#, svg).map { $0[0] }
        #expect(paths.count == levels)
        for (k, d) in paths.enumerated() {
            // Level k+1 of `levels` evenly between 0 and 5; the field equals y, so the line is at y = level.
            let level = 5 * Double(k + 1) / Double(levels + 1)
            let expected = Self.read(level, on: yTicks)
            let ys = try Self.matches(#"[ML][-0-9.e]+ ([-0-9.e]+)"#, d).map { Double($0[0])! }
            #expect(!ys.isEmpty && ys.allSatisfy { abs($0 - expected) <= 0.02 }, "contour at \(level): rows \(ys), expected \(expected)")
        }
    }

    @Test func matrixGridPanelsShareOneColourScale() throws {
        // Panel A spans [-2, 2], panel B [-0.5, 0.5]: B's cells must be pale, not full colour.
        let a = MatrixGrid.Panel(title: "A", rows: 2, cols: 3, values: [2, -1, 0.5, 0, -2, 1])
        let b = MatrixGrid.Panel(title: "B", rows: 2, cols: 3, values: [0.5, -0.5, 0.25, 0.1, 0, -0.25])
        let svg = MatrixGrid(title: "t", subtitle: "s", panels: [a, b]).svg
        let cells = try Self.matches(##"<rect x="([-0-9.]+)" y="([-0-9.]+)" width="30" height="30" fill="(#[0-9a-f]{6})" stroke="#dddddd"/>"##, svg)
        #expect(cells.count == 12)
        let limit = 2.0
        for (p, panel) in [a, b].enumerated() {
            let mine = Array(cells[(6 * p)..<(6 * p + 6)])
            let x0 = Double(mine[0][0])!, y0 = Double(mine[0][1])!
            for cell in mine {
                // Position -> (row, column), read from the drawing, then the value there (row-major).
                let j = Int(((Double(cell[0])! - x0) / 30).rounded()), i = Int(((Double(cell[1])! - y0) / 30).rounded())
                let v = panel.values[i * panel.cols + j]
                #expect(cell[2] == Diverging.hex(v / limit), "panel \(panel.title) cell (\(i), \(j)) = \(v): fill \(cell[2])")
            }
        }
        // Equal values, equal colours across panels: 0.5 in A (row 0, column 2) and in B (row 0, column 0).
        #expect(cells[2][2] == cells[6][2])
        // The colour bar is labelled with the shared limit.
        #expect(svg.contains(">2</text>") && svg.contains(">-2</text>"))
    }

    @Test func lineChartCurvesPassThroughTheirPointsAsTheAxesReadThem() throws {
        let first: [(Double, Double)] = [(0, 1), (10, 4), (25, -2), (40, 3)]
        let second: [(Double, Double)] = [(0, 0.001), (20, 0.004), (40, 0.002)]
        let chart = LineChart(title: "t", xLabel: "step", panels: [
            .init(yLabel: "loss", series: [.init(name: "a", color: "#ff0000", points: first)]),
            .init(yLabel: "cos", series: [.init(name: "b", color: "#0000ff", points: second)]),
        ])
        let svg = chart.svg
        let paths = try Self.matches(#"<path d="([^"]+)" fill="none" stroke="(#[0-9a-f]{6})""#, svg)
        #expect(paths.map { $0[1] } == ["#ff0000", "#0000ff"])
        let xTicks = try Self.ticks(svg, anchor: "middle").filter { $0.baseline > 200 && $0.baseline < 400 }  // the upper panel's x axis (both share the range)
        let yTicks = try Self.ticks(svg, anchor: "end")
        // Panels are separate bands of the page: split the y ticks at the gap between them.
        let upper = yTicks.filter { $0.pixel < 260 }, lower = yTicks.filter { $0.pixel >= 260 }
        for ((_, colour), (points, ticks)) in zip(paths.map { ($0[0], $0[1]) }, [(first, upper), (second, lower)]) {
            let d = paths.first { $0[1] == colour }![0]
            let vertices = try Self.matches(#"[ML]([-0-9.e]+) ([-0-9.e]+)"#, d).map { (Double($0[0])!, Double($0[1])!) }
            #expect(vertices.count == points.count)
            let ySpan = points.map(\.1).max()! - points.map(\.1).min()!
            for ((px, py), (x, y)) in zip(vertices, points) {
                let readX = Self.readBack(px, on: xTicks), readY = Self.readBack(py, on: ticks)
                // Pixels are rounded to 0.01: a reading within 0.02 px of its value.
                #expect(abs(readX - x) <= 0.02 * 40 / 600 + 1e-9, "x of (\(x), \(y)) read as \(readX)")
                #expect(abs(readY - y) <= 0.02 * 1.1 * ySpan / 190 + 1e-12, "y of (\(x), \(y)) read as \(readY)")
            }
        }
    }

    /// Tick labels with a given anchor: (value, the pixel of the tick, the label's baseline).
    /// y-axis labels (anchor end) sit 4 px below their tick; x-axis labels (middle) centred on it.
    static func ticks(_ svg: String, anchor: String) throws -> [(value: Double, pixel: Double, baseline: Double)] {
        try matches(#"<text x="([-0-9.]+)" y="([-0-9.]+)" [^>]*font-size="11" text-anchor=""# + anchor + #"" [^>]*>([^<]+)</text>"#, svg)
            .compactMap { m in
                guard let value = Double(m[2].replacingOccurrences(of: "\u{2212}", with: "-")) else { return nil }
                return (value, anchor == "end" ? Double(m[1])! - 4 : Double(m[0])!, Double(m[1])!)
            }
    }

    /// The data value at `pixel` by linear interpolation between the first and last tick.
    static func readBack(_ pixel: Double, on ticks: [(value: Double, pixel: Double, baseline: Double)]) -> Double {
        let (a, b) = (ticks.first!, ticks.last!)
        return a.value + (pixel - a.pixel) / (b.pixel - a.pixel) * (b.value - a.value)
    }

    /// The pixel of `value` by linear interpolation between the first and last tick.
    static func read(_ value: Double, on ticks: [(value: Double, pixel: Double, baseline: Double)]) -> Double {
        let (a, b) = (ticks.first!, ticks.last!)
        return a.pixel + (value - a.value) / (b.value - a.value) * (b.pixel - a.pixel)
    }
}

extension Regex<AnyRegexOutput> {
    /// Every match's capture groups as strings.
    func matchesAll(_ text: String) -> [[String]] {
        text.matches(of: self).map { m in (1..<m.output.count).map { m.output[$0].substring.map(String.init) ?? "" } }
    }
}
