import Linalg
import PropertyBased
import Testing

@Suite struct RandomSourceTests {
    @Test func sameSeedSameStream() async {
        await propertyCheck(count: 50, input: Gen.uint64()) { seed in
            let a = RandomSource(seed: seed), b = RandomSource(seed: seed)
            #expect((0..<20).map { _ in a.gaussian() } == (0..<20).map { _ in b.gaussian() })
            let c = RandomSource(seed: seed &+ 1)
            #expect(RandomSource(seed: seed).uniform() != c.uniform())
        }
    }

    /// Sample moments of the draws against the distributions' exact moments, within 5 standard errors.
    @Test func moments() {
        let random = RandomSource(seed: 42)
        let n = 200_000
        let g = (0..<n).map { _ in random.gaussian(mean: 1, sd: 2) }
        let mean = g.reduce(0, +) / Double(n)
        #expect(abs(mean - 1) < 5 * 2 / Double(n).squareRoot())
        let u = (0..<n).map { _ in random.uniform() }
        #expect(abs(u.reduce(0, +) / Double(n) - 0.5) < 5 * (1.0 / 12).squareRoot() / Double(n).squareRoot())
        // N(0,1) truncated to [-a, a], Z = Phi(a) - Phi(-a) = erf(a/sqrt 2):
        // E[x^2] = 1 - 2 a phi(a)/Z,  E[x^4] = 3 - 2 (a^3 + 3a) phi(a)/Z.
        let t = (0..<n).map { _ in random.truncatedNormal() }
        #expect(t.allSatisfy { -2...2 ~= $0 })
        let a = 2.0, phi = exp(-a * a / 2) / (2 * Double.pi).squareRoot(), z = erf(a / 2.0.squareRoot())
        let second = 1 - 2 * a * phi / z, fourth = 3 - 2 * (a * a * a + 3 * a) * phi / z
        let sampleSecond = t.reduce(0) { $0 + $1 * $1 } / Double(n)
        #expect(abs(sampleSecond - second) < 5 * (fourth - second * second).squareRoot() / Double(n).squareRoot())
        let ints = (0..<1000).map { _ in random.int(in: -3...3) }
        #expect(Set(ints) == Set(-3...3))
    }
}

#if canImport(Glibc)
import Glibc
#endif
