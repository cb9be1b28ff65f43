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

    /// The ziggurat's normals (what `icl verify` draws): mean, variance and fourth moment of
    /// N(1, 2^2) within 5 standard errors (Var x = 4, Var (x - 1)^2 = 2 sd^4 = 32, E (x - 1)^4 = 3 sd^4 = 48,
    /// Var (x - 1)^4 = 105 sd^8 - 48^2 = 24576), the tail beyond 3 sd at its rate 0.0027, and a
    /// stream of its own (the same seed's polar draws differ).
    @Test func zigguratMoments() {
        let random = RandomSource(seed: 7, normals: .ziggurat)
        let n = 400_000
        let g = (0..<n).map { _ in random.gaussian(mean: 1, sd: 2) }
        let root = Double(n).squareRoot()
        #expect(abs(g.reduce(0, +) / Double(n) - 1) < 5 * 2 / root)
        #expect(abs(g.reduce(0) { $0 + ($1 - 1) * ($1 - 1) } / Double(n) - 4) < 5 * 32.0.squareRoot() / root)
        #expect(abs(g.reduce(0) { $0 + pow($1 - 1, 4) } / Double(n) - 48) < 5 * 24576.0.squareRoot() / root)
        let tail = Double(g.filter { abs($0 - 1) > 6 }.count) / Double(n), rate = erfc(3 / 2.0.squareRoot())
        #expect(abs(tail - rate) < 5 * (rate * (1 - rate)).squareRoot() / root)
        let polar = RandomSource(seed: 7)
        let again = RandomSource(seed: 7, normals: .ziggurat)
        #expect((0..<8).map { _ in again.gaussian() } != (0..<8).map { _ in polar.gaussian() })
    }
}

#if canImport(Glibc)
import Glibc
#endif
