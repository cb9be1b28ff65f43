import _TestSupport
import Foundation
import Linalg
import Testing
@testable import Phenomenology

/// Landscapes hold the loss at the grid points; minimizing out a coordinate never does worse
/// than the fixed value (the renderings are tested in ExperimentsTests).
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
    }
}
