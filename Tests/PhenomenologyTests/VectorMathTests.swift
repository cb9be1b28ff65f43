import _TestSupport
import CVectorMath
import Foundation
import Linalg
import PropertyBased
import Testing

/// The landscape's vectorized three-term log-sum-exp against the same formula on libm, over
/// random exponents (moderate, huge, and the -infinity of N = 1 or L = N) and every row length
/// up to 37 (the 4-wide loop and its scalar tail).
@Suite struct VectorMathTests {
    static func scalar(_ a: Double, _ b: Double) -> Double {
        let m = max(0, a, b), lo = min(0, a, b), mid = max(min(0, a), min(max(0, a), b))
        return m + log1p(exp(mid - m) + exp(lo - m))
    }

    @Test func logSumExpOfThreeIsTheScalarFormula() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let n = random.int(in: 1...37)
            func exponent() -> Double {
                switch random.int(in: 0...5) {
                case 0: return -.infinity
                case 1: return random.uniform(in: -800..<800)
                case 2: return random.uniform(in: -1e300..<1e300)
                default: return random.uniform(in: -40..<40)
                }
            }
            let t1 = (0..<n).map { _ in exponent() }, t2 = (0..<n).map { _ in exponent() }
            var out = [Double](repeating: .nan, count: n)
            icl_log_sum_exp3(t1, t2, &out, n)
            for i in 0..<n {
                let reference = Self.scalar(t1[i], t2[i])
                #expect(out[i].isFinite && abs(out[i] - reference) <= landscapeTolerance(reference),
                        "seed \(seed), t = (\(t1[i]), \(t2[i])): \(out[i]) vs \(reference)")
            }
        }
    }

    /// log(1 + e^t1 + e^t2) at points where the answer is known in closed form.
    @Test func knownValues() {
        var out = [Double](repeating: 0, count: 5)
        icl_log_sum_exp3([0, -.infinity, 700, log(2), -1000], [0, -.infinity, -3, log(5), -1000], &out, 5)
        #expect(abs(out[0] - log(3.0)) <= 4 * 0x1p-53 * log(3.0))
        #expect(out[1] == 0)
        #expect(out[2] == 700)
        #expect(abs(out[3] - log(8.0)) <= 4 * 0x1p-53 * log(8.0))
        #expect(out[4] == 0)
        // A NaN exponent is not lost by min/max, at every lane position and in the scalar tail.
        for n in [1, 4, 8, 13] {
            for position in 0..<n {
                var t1 = [Double](repeating: 0.5, count: n), t2 = [Double](repeating: -1, count: n)
                if position % 2 == 0 { t1[position] = .nan } else { t2[position] = .nan }
                var nanOut = [Double](repeating: 0, count: n)
                icl_log_sum_exp3(t1, t2, &nanOut, n)
                #expect(nanOut[position].isNaN && nanOut.enumerated().allSatisfy { $0.offset == position || $0.element.isFinite })
            }
        }
    }
}
