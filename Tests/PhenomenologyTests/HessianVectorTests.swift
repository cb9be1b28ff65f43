import _TestSupport
import Linalg
import PropertyBased
import Testing
@testable import Phenomenology

/// The Hessian-vector product `SymmetricMatrix3.apply` (used by the trajectory's slope rate
/// `-2 g . H g`) is the dense Hessian times the vector, and symmetric: `u . (H v) = v . (H u)`,
/// for random points, sizes, attentions and vectors.
///
/// Tolerances from rounding alone: `(H v)_i` is a 3-term sum of products, within
/// `gamma_3 (|H| |v|)_i` (`gamma_n = n u / (1 - n u)`, u = 2^-53) of the exact value, in the product
/// and in the dense reference alike, so they differ by at most `2 gamma_3 (|H| |v|)_i`; `u . (H v)`
/// adds a 3-term dot product, so each side is within `gamma_6 |u|^T |H| |v|` and the two sides
/// within twice that.
@Suite struct HessianVectorTests {
    static let u = Double.ulpOfOne / 2
    static func gamma(_ n: Double) -> Double { n * u / (1 - n * u) }

    /// `|u|^T |H| |v|`.
    static func absoluteForm(_ u: SIMD3<Double>, _ h: (Int, Int) -> Double, _ v: SIMD3<Double>) -> Double {
        var sum = 0.0
        for i in 0..<3 { for j in 0..<3 { sum += abs(u[i] * h(i, j) * v[j]) } }
        return sum
    }

    @Test func productIsTheDenseHessianTimesTheVectorAndSymmetric() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let (n, l) = randomSizes(random)
            let x = randomPoint(random)
            try! forBothAttentions(random, N: n, L: l) { name, evaluate in
                let h = evaluate(x).hessian
                let a = SIMD3(random.uniform(in: -1..<1), random.uniform(in: -1..<1), random.uniform(in: -1..<1))
                let b = SIMD3(random.uniform(in: -1..<1), random.uniform(in: -1..<1), random.uniform(in: -1..<1))
                let label = "\(name), seed \(seed), N \(n), L \(l), at \(x)"
                check(h, a, b, label)
            }
        }
    }

    func check(_ h: SymmetricMatrix3, _ a: SIMD3<Double>, _ b: SIMD3<Double>, _ label: String) {
        let dense = h.rows
        let hb = h.apply(b), ha = h.apply(a)
        for i in 0..<3 {
            let reference = (0..<3).reduce(0.0) { $0 + dense[i][$1] * b[$1] }
            let scale = (0..<3).reduce(0.0) { $0 + abs(dense[i][$1] * b[$1]) }
            #expect(abs(hb[i] - reference) <= 2 * Self.gamma(3) * scale,
                    "(H v)[\(i)] = \(hb[i]), dense row times v = \(reference) (\(label))")
        }
        let left = (a * hb).sum(), right = (b * ha).sum()
        let scale = Self.absoluteForm(a, { dense[$0][$1] }, b)
        #expect(abs(left - right) <= 2 * Self.gamma(6) * scale, "u.(H v) = \(left), v.(H u) = \(right) (\(label))")
    }

    /// The check has teeth: a product that reads one off-diagonal entry from the wrong place
    /// (row alpha taking H[beta, xi] for H[alpha, beta]) fails both comparisons at a generic point.
    @Test func anAsymmetricProductIsCaught() throws {
        let h = try ReddyModel(N: 8, L: 32).evaluate(at: ReddyPoint(beta: 0.7, alpha: 1.3, xi: 2.1)).hessian
        let a = SIMD3(0.3, -0.8, 0.5), b = SIMD3(-0.6, 0.2, 0.9)
        func wrong(_ v: SIMD3<Double>) -> SIMD3<Double> {
            SIMD3(h.bb * v[0] + h.ba * v[1] + h.bx * v[2], h.bx * v[0] + h.aa * v[1] + h.ax * v[2], h.bx * v[0] + h.ax * v[1] + h.xx * v[2])
        }
        let scale = Self.absoluteForm(a, { h[$0, $1] }, b)
        #expect(abs((a * wrong(b)).sum() - (b * wrong(a)).sum()) > 2 * Self.gamma(6) * scale)
        #expect(abs(wrong(b)[1] - h.apply(b)[1]) > 2 * Self.gamma(3) * abs(h.aa * b[1]))
    }
}
