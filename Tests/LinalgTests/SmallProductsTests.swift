import Linalg
import PropertyBased
import Testing

/// `SmallProducts.product` gives, bit for bit, the scalar loop `s = c or 0; s = s + a_p b_p` over
/// `p` in increasing order (one rounded product, one rounded sum per term: what the `SIMD4`
/// loops and the AVX path compute), for every layout it takes.
@Suite struct SmallProductsTests {
    @Test func equalsTheOrderedScalarLoop() async {
        await propertyCheck(count: 200, input: Gen.uint64(), Gen.int(in: 0...13), Gen.int(in: 1...5), Gen.int(in: 0...13)) { seed, m, groups, k in
            let random = RandomSource(seed: seed)
            let n = 4 * groups, transposeA = random.int(in: 0...1) == 1, accumulate = random.int(in: 0...1) == 1
            let lda = (transposeA ? m : k) + random.int(in: 0...2), ldb = n + 4 * random.int(in: 0...1), ldc = n + random.int(in: 0...3)
            let a = random.gaussianMatrix(1, max(1, (transposeA ? k : m) * lda)).elements
            let b = random.gaussianMatrix(1, max(1, k * ldb)).elements
            let c0 = random.gaussianMatrix(1, max(1, m * ldc)).elements
            var c = c0
            c.withUnsafeMutableBufferPointer { SmallProducts.product(a, lda: lda, transposeA: transposeA, b, ldb: ldb, $0.baseAddress!, ldc: ldc,
                                                                     m: m, n: n, k: k, accumulate: accumulate) }
            for i in 0..<m {
                for j in 0..<n {
                    var s = accumulate ? c0[i * ldc + j] : 0
                    for p in 0..<k { s = s + (transposeA ? a[p * lda + i] : a[i * lda + p]) * b[p * ldb + j] }
                    #expect(c[i * ldc + j].bitPattern == s.bitPattern, "seed \(seed) m \(m) n \(n) k \(k) entry \(i),\(j)")
                }
            }
        }
    }
}
