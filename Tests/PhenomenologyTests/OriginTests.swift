import _TestSupport
import Foundation
import Linalg
import PropertyBased
import Testing
@testable import Phenomenology

/// reddy-origin: Loss(0,0,0) = log L, and the gradient at the origin in (beta, alpha, xi) is
/// (0, 0, -(L-N)/(L(2N+1))). The claim is computed from its formula and compared with the
/// analytic gradient and, independently, with central differences of the loss. Neither
/// depends on y (only y(0) could enter, multiplied by xi = 0), so both maps are checked.
@Suite struct OriginTests {
    @Test func originValueAndGradient() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let (n, l) = randomSizes(random)
            let claim = -Double(l - n) / (Double(l) * Double(2 * n + 1))
            try! forBothAttentions(random, N: n, L: l) { name, evaluate in
                let label = "\(name), seed \(seed), N \(n), L \(l)"
                let e = evaluate(.origin)
                // log L: at most a couple of roundings of log (the terms are exact at the origin).
                #expect(abs(e.loss - log(Double(l))) <= 2 * unitRoundoff * log(Double(l)), "Loss(0) = \(e.loss) != log L (\(label))")
                #expect(e.gradient[0] == 0 && e.gradient[1] == 0, "d/dbeta, d/dalpha at the origin: \(e.gradient) (\(label))")
                // The evaluation's gradient bound (its softmax weights carry exp/log errors scaled by
                // log L, see `gradientRounding`) plus the claim's own single rounding (one division
                // of exactly represented integers).
                #expect(abs(e.gradient[2] - claim) <= gradientRounding(e, .origin, 2, L: l) + unitRoundoff * abs(claim),
                        "dL/dxi = \(e.gradient[2]), claim \(claim) (\(label))")
                for i in 0..<3 {
                    let cd = centralDifference({ evaluate($0).loss }, at: .origin, i, rounding: lossRounding(e, .origin, L: l))
                    let expected = i == 2 ? claim : 0
                    #expect(abs(cd.value - expected) <= cd.bound,
                            "central difference d/d\(ReddyCoordinates.standard[i]) = \(cd.value), claim \(expected), bound \(cd.bound) (\(label))")
                }
            }
        }
    }
}
