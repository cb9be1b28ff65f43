import Foundation
import Linalg
import Optim
import PropertyBased
import Testing

@Suite struct GradientClippingTests {
    /// A gradient with norm at most `maxNorm` is returned untouched (bit for bit, factor 1).
    @Test func smallGradientUnchanged() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            var g = randomGradient(random, count: random.int(in: 0...100))
            let original = g
            let norm = GradientClipping.globalNorm(g)
            let maxNorm = max(norm, 1e-300) * random.uniform(in: 1..<4)
            let result = GradientClipping.clipByGlobalNorm(&g, maxNorm: maxNorm)
            #expect(result.scale == 1 && result.norm == norm, "seed \(seed)")
            #expect(bitPatterns(g) == bitPatterns(original), "seed \(seed)")
        }
    }

    /// A large gradient is scaled by one factor `c = maxNorm / ||g||` to norm `maxNorm`: every
    /// entry is exactly `c g_i` (direction kept), and the new norm is `maxNorm` up to
    /// `(gamma_n + 4u) maxNorm` (n squares summed for the norm, the quotient, the products, and
    /// the second norm's own `gamma_n / 2 + u`).
    @Test func largeGradientScaledToMaxNorm() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let n = random.int(in: 1...200)
            var g = randomGradient(random, count: n).map { $0 == 0 ? 1e-3 : $0 }
            let original = g
            let norm = GradientClipping.globalNorm(g)
            let maxNorm = norm * random.uniform(in: 1e-6..<0.999)
            let result = GradientClipping.clipByGlobalNorm(&g, maxNorm: maxNorm)
            #expect(result.norm == norm && result.scale == maxNorm / norm, "seed \(seed)")
            #expect(bitPatterns(g) == bitPatterns(original.map { result.scale * $0 }), "seed \(seed)")
            let after = GradientClipping.globalNorm(g)
            #expect(abs(after - maxNorm) <= (gamma(n) + 4 * unitRoundoff) * maxNorm, "seed \(seed): norm after \(after), max \(maxNorm)")
        }
    }

    /// Several buffers are clipped as one vector: the global norm is `sqrt(sum ||b_k||^2)` and
    /// every buffer is scaled by the same factor.
    @Test func severalBuffersClipTogether() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            var buffers = (0..<random.int(in: 1...5)).map { _ in randomGradient(random, count: random.int(in: 0...30)) }
            let original = buffers
            let n = buffers.reduce(0) { $0 + $1.count }
            let separate = buffers.map { GradientClipping.globalNorm($0) }
            let combined = separate.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let maxNorm = max(combined, 1e-300) * random.uniform(in: 0.01..<2)
            let result = withMutableBuffers(&buffers) { GradientClipping.clipByGlobalNorm($0, maxNorm: maxNorm) }
            // Both are within gamma_{n + k}/2 + u of the true norm (k buffers add k roundings).
            #expect(abs(result.norm - combined) <= (gamma(n + buffers.count + 2) + 2 * unitRoundoff) * combined, "seed \(seed)")
            for (b, o) in zip(buffers, original) {
                #expect(bitPatterns(b) == bitPatterns(o.map { result.scale * $0 }), "seed \(seed)")
            }
        }
    }

    /// Extreme magnitudes: the sum of squares overflows (1e200) or underflows (1e-200, subnormals),
    /// and the rescaled evaluation still gives the norm, here within a few roundings of the exact
    /// `5 * 10^k` (3-4-5 triangles).
    @Test func extremeMagnitudes() {
        for k in [-300.0, -200, -160, 0, 160, 200, 300] {
            let scale = pow(10, k)
            let g = [3 * scale, 4 * scale]
            let norm = GradientClipping.globalNorm(g)
            #expect(abs(norm - 5 * scale) <= gamma(6) * 5 * scale, "10^\(k): \(norm)")
        }
        let smallest = Double.leastNonzeroMagnitude
        #expect(GradientClipping.globalNorm([smallest]) == smallest)
        #expect(GradientClipping.globalNorm([Double.greatestFiniteMagnitude]) == Double.greatestFiniteMagnitude)
        #expect(GradientClipping.globalNorm([Double]()) == 0 && GradientClipping.globalNorm([0, 0]) == 0)
        var huge = [3e300, -4e300]
        let result = GradientClipping.clipByGlobalNorm(&huge, maxNorm: 1)
        #expect(abs(result.norm - 5e300) <= gamma(6) * 5e300)
        #expect(abs(huge[0] - 0.6) <= gamma(8) && abs(huge[1] + 0.8) <= gamma(8))
    }

    /// A non-finite gradient is left alone and its norm (inf or NaN) is reported.
    @Test func nonFiniteGradientLeftAlone() {
        var g = [1.0, .infinity, 2]
        var result = GradientClipping.clipByGlobalNorm(&g, maxNorm: 1)
        #expect(result.norm == .infinity && result.scale == 1 && g == [1, .infinity, 2])
        var h = [1.0, .nan]
        result = GradientClipping.clipByGlobalNorm(&h, maxNorm: 1)
        #expect(result.norm.isNaN && result.scale == 1 && h[0] == 1 && h[1].isNaN)
    }
}
