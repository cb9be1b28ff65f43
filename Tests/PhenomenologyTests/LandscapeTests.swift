import Foundation
import Linalg
import Testing
@testable import Phenomenology

/// Landscapes hold the loss at the grid points; minimizing out a coordinate never does worse
/// than the fixed value; the renderings are complete documents.
@Suite struct LandscapeTests {
    @Test func gridValuesAreTheLoss() throws {
        let model = try ReddyModel(N: 8, L: 32)
        let x = LandscapeAxis(index: 1, lower: -2, upper: 10, count: 31), y = LandscapeAxis(index: 2, lower: -2, upper: 16, count: 17)
        let land = try model.landscape(x: x, y: y, third: .fixed(2))
        for j in 0..<y.count { for i in 0..<x.count {
            #expect(land[i, j] == model.loss(at: Parameters(2, x.value(i), y.value(j))))
        } }
        let minimized = try model.landscape(x: x, y: y, third: .minimized(lower: -2, upper: 8, scan: 33))
        for k in land.values.indices {
            let j = k / x.count, i = k % x.count
            #expect(minimized.values[k] <= model.loss(at: Parameters(-2, x.value(i), y.value(j))))
            #expect(minimized.values[k] == model.loss(at: Parameters(minimized.third(i, j), x.value(i), y.value(j))))
            #expect((-2...8).contains(minimized.third(i, j)))
        }
        #expect(land.csv().split(separator: "\n").count == 1 + x.count * y.count)
        let svg = land.svg(title: "test", trajectory: try model.gradientFlow())
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n") && svg.contains("data:image/png;base64,"))
    }

    /// Marching squares on f = x^2 + y^2 puts the level-r^2 contour at radius r (to the
    /// linear-interpolation error on a grid of spacing 0.1).
    @Test func contoursOfACircle() {
        let n = 81
        let value = { (i: Int, j: Int) -> Double in let (x, y) = (Double(i) * 0.1 - 4, Double(j) * 0.1 - 4); return x * x + y * y }
        let segments = contourSegments(values: value, nx: n, ny: n, level: 4)
        #expect(segments.count > 50)
        for (a, b) in segments {
            for p in [a, b] {
                let r = ((p.0 * 0.1 - 4) * (p.0 * 0.1 - 4) + (p.1 * 0.1 - 4) * (p.1 * 0.1 - 4)).squareRoot()
                #expect(abs(r - 2) < 0.01, "contour point at radius \(r)")
            }
        }
    }

    @Test func flowSVGAndCSV() throws {
        let t = try ReddyModel(N: 8, L: 32).gradientFlow()
        let svg = t.svg(title: "flow", summary: t.cliffSummary())
        #expect(svg.hasPrefix("<svg") && svg.contains("cliff t_c"))
        #expect(t.csv().split(separator: "\n").count == t.count + 1)
    }
}
