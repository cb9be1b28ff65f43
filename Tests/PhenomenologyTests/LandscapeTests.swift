import _TestSupport
import Foundation
import Linalg
import Testing
@testable import Phenomenology

/// Landscapes hold the loss at the grid points; minimizing out a coordinate never does worse
/// than the fixed value (the renderings are tested in ExperimentsTests).
@Suite struct LandscapeTests {
    /// Every pair of axes (the layer-2 quantities shared per column, per row, or computed per
    /// point), both y maps: the grid is the scalar loss within `landscapeTolerance`.
    @Test(arguments: [(1, 2), (2, 1), (0, 2), (2, 0), (0, 1), (1, 0)])
    func fixedGridValuesAreTheLoss(xIndex: Int, yIndex: Int) throws {
        for model in [try ReddyModel(N: 8, L: 32), try ReddyModel(N: 1, L: 5), try ReddyModel(N: 7, L: 7)] {
            let ranges = [(-3.0, 9.0), (-2.0, 10.0), (-2.0, 16.0)]
            let x = LandscapeAxis(index: xIndex, lower: ranges[xIndex].0, upper: ranges[xIndex].1, count: 31)
            let y = LandscapeAxis(index: yIndex, lower: ranges[yIndex].0, upper: ranges[yIndex].1, count: 17)
            let land = try model.landscape(x: x, y: y, third: .fixed(2))
            for j in 0..<y.count { for i in 0..<x.count {
                var p = ReddyPoint(SIMD3(repeating: 2))
                (p[x.index], p[y.index]) = (x.value(i), y.value(j))
                let reference = model.loss(at: p)
                #expect(abs(land[i, j] - reference) <= landscapeTolerance(reference), "\(p): \(land[i, j]) vs \(reference)")
            } }
        }
    }

    @Test func gridValuesAreTheLoss() throws {
        let model = try ReddyModel(N: 8, L: 32)
        let x = LandscapeAxis(index: 1, lower: -2, upper: 10, count: 31), y = LandscapeAxis(index: 2, lower: -2, upper: 16, count: 17)
        let land = try model.landscape(x: x, y: y, third: .fixed(2))
        let minimized = try model.landscape(x: x, y: y, third: .minimized(lower: -2, upper: 8, scan: 33))
        for k in land.values.indices {
            let j = k / x.count, i = k % x.count
            #expect(minimized.values[k] <= model.loss(at: ReddyPoint(beta: -2, alpha: x.value(i), xi: y.value(j))))
            #expect(minimized.values[k] == model.loss(at: ReddyPoint(beta: minimized.third(i, j), alpha: x.value(i), xi: y.value(j))))
            #expect((-2...8).contains(minimized.third(i, j)))
        }
    }
}
