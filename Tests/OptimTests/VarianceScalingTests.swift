import Linalg
import Optim
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct VarianceScalingTests {
    /// Haiku's constant is the standard deviation of N(0, 1) truncated to [-2, 2]:
    /// `Var = 1 - 2 * 2 phi(2) / (Phi(2) - Phi(-2))`, `phi(2) = e^-2 / sqrt(2 pi)`,
    /// `Phi(2) - Phi(-2) = erf(sqrt 2)`. About 12 roundings (exp, erf within an ulp each), none
    /// amplified (`1 - 0.226` does not cancel): `gamma_12` relative.
    @Test func truncatedNormalConstant() {
        let phi2 = exp(-2) / (2 * Double.pi).squareRoot()
        let sd = (1 - 4 * phi2 / erf(2.0.squareRoot())).squareRoot()
        #expect(abs(sd - VarianceScaling.truncatedStandardDeviation) <= gamma(12) * sd)
    }

    @Test func paperScale() {
        for k in 1...8 {
            let init_ = VarianceScaling.vonOswald(layers: k)
            #expect(init_.scale == 0.002 / Double(k))
            // The entries' standard deviation is sqrt(scale / fanIn): 0.002 is a variance factor.
            #expect(init_.standardDeviation(fanIn: 11) == (0.002 / Double(k) / 11).squareRoot())
        }
        #expect(VarianceScaling(scale: 2).standardDeviation(fanIn: 0) == 2.0.squareRoot())
    }

    /// Drawn weights (GSL's inverse-CDF truncated normal) lie within 2 sigma and have standard
    /// deviation `sqrt(scale / fanIn)`: the sample variance of n = 100000 draws has relative
    /// standard error `sqrt((kurtosis - 1) / n) < sqrt(2 / n) = 0.0045`, so 5 standard errors
    /// (0.022 on the variance, about 0.011 on the standard deviation) bound it.
    @Test func drawnWeightsHaveTheTargetSpread() {
        let random = RandomSource(seed: 42)
        let initializer = VarianceScaling.vonOswald(layers: 3)
        let fanIn = 21, n = 100_000
        let w = initializer.weights(count: n, fanIn: fanIn) { random.truncatedNormal() }
        let sigma = initializer.truncatedNormalScale(fanIn: fanIn)
        #expect(w.allSatisfy { abs($0) <= 2 * sigma * (1 + gamma(2)) })
        let mean = w.reduce(0, +) / Double(n)
        let variance = w.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        let target = pow(initializer.standardDeviation(fanIn: fanIn), 2)
        #expect(abs(variance / target - 1) <= 5 * (2.0 / Double(n)).squareRoot(), "variance \(variance), target \(target)")
        var buffer = [Double](repeating: 0, count: 5)
        var draws = [0.5, -1, 2, 0, -2].makeIterator()
        buffer.withUnsafeMutableBufferPointer { initializer.fill($0, fanIn: fanIn) { draws.next()! } }
        #expect(buffer == [0.5, -1, 2, 0, -2].map { sigma * $0 })
    }
}
