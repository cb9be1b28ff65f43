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

    /// The onset construction on a loss curve whose values are known by hand: the logistic
    /// `Loss(t) = 1 / (1 + e^(t - 10))` has slope `s = sigma (1 - sigma)` (`sigma = 1 / (1 + e^(10 - t))`),
    /// steepest at `t_c = 10` with `s_max = 1/4` and `Loss(t_c) = 1/2`, so the tangent there
    /// crosses `Loss(0)` at `t_on = 10 - (Loss(0) - 1/2) / (1/4) = 12 - 4 Loss(0)` (about 8.0002)
    /// and reaches 0 at `t_off = 12`. Sampled every 0.05: the Hermite interpolation error is
    /// about `h^4 / 384` times the fourth derivative, below 1e-8.
    @Test func onsetAndEndAreWhereTheCliffTangentMeetsTheInitialLossAndZero() {
        var trajectory = GradientFlow.Trajectory(kind: .descent(learningRate: 0.05))
        for k in 0...400 {
            let t = 0.05 * Double(k)
            let sigma = 1 / (1 + exp(10 - t))
            let slope = sigma * (1 - sigma)
            trajectory.times.append(t)
            trajectory.losses.append(1 - sigma)
            trajectory.slopes.append(slope)
            trajectory.slopeRates.append(slope * (1 - 2 * sigma))
            trajectory.points.append(ReddyPoint(beta: 0, alpha: 0, xi: 0))
            trajectory.gradients.append(.zero)
        }
        let loss0 = 1 / (1 + exp(-10.0))
        let tOn = 12 - 4 * loss0
        let s = trajectory.cliffSummary()
        #expect(abs(s.cliffTime! - 10) < 1e-12)
        #expect(abs(s.maxSlope - 0.25) < 1e-12)
        #expect(abs(s.plateauLength! - tOn) < 1e-9, "t_on \(s.plateauLength!), expected \(tOn)")
        #expect(abs(s.cliffEnd! - 12) < 1e-9, "t_off \(s.cliffEnd!)")
        #expect(abs(s.lossBefore! - 1 / (1 + exp(tOn - 10))) < 1e-8)
        #expect(abs(s.lossAfter! - 1 / (1 + exp(2.0))) < 1e-8)
        #expect(abs(s.meanPlateauSlope! - (loss0 - 1 / (1 + exp(tOn - 10))) / tOn) < 1e-8)
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
