import _TestSupport
import Foundation
import Linalg
import PropertyBased
import Testing
@testable import Phenomenology

/// reddy-cliff: on the gradient flow from the origin the steepest loss slope is at least 10x
/// the mean slope over the plateau before it (plateau = [0, t_on], t_on where the tangent at
/// the steepest point crosses the initial loss; see `CliffSummary`), and the plateau length
/// increases with N at fixed L/N. Default y(beta).
///
/// FINDING: the 10x claim fails at N = 2 for L = 5...10 (the smallest ratio is 9.40, at L = 8):
/// with two context pairs the "cliff" is only about 9.4x steeper than the plateau. It holds for
/// every N >= 3 tried. The property is checked on N in 3...512; N = 2 is a recorded known issue.
@Suite struct CliffTests {
    @Test func steepestSlopeIsTenTimesThePlateauMean() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let n = random.int(in: 3...512)
            let l = random.int(in: (n + 1)...(4 * n + 64))
            let s = try! ReddyModel(N: n, L: l).gradientFlow().cliffSummary()
            #expect((s.cliffSharpness ?? 0) >= 10,
                    "seed \(seed), N \(n), L \(l): max slope \(s.maxSlope), plateau mean \(String(describing: s.meanPlateauSlope))")
        }
    }

    @Test func twoContextPairsFallShortOfTenX() throws {
        withKnownIssue("reddy-cliff as stated fails for N = 2, L = 5...10 (ratio down to 9.4)") {
            for l in 3...72 {
                let s = try ReddyModel(N: 2, L: l).gradientFlow().cliffSummary()
                #expect((s.cliffSharpness ?? 0) >= 10, "N 2, L \(l): ratio \(s.cliffSharpness ?? 0)")
            }
        }
    }

    @Test func plateauGrowsWithNAtFixedRatio() async {
        await propertyCheck(count: 150, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let ratio = random.int(in: 2...4)
            let n1 = random.int(in: 2...511)
            let n2 = random.int(in: (n1 + 1)...512)
            let p1 = try! ReddyModel(N: n1, L: ratio * n1).gradientFlow().cliffSummary().plateauLength
            let p2 = try! ReddyModel(N: n2, L: ratio * n2).gradientFlow().cliffSummary().plateauLength
            #expect(p1 != nil && p2 != nil && p2! > p1!,
                    "seed \(seed), L/N = \(ratio): plateau(N \(n1)) = \(String(describing: p1)), plateau(N \(n2)) = \(String(describing: p2))")
        }
    }
}
