import _TestSupport
import Constructions
import Linalg
import PropertyBased
import Testing

/// The batched forward pass (fused SIMD path for small tasks, BLAS path for large ones) computes
/// the same layer as `LSALayer`, within the layer's forward-error bound on both sides.
@Suite struct BatchedLSATests {
    @Test func matchesLSALayer() async {
        await propertyCheck(count: 60, input: Gen.uint64(), Gen.int(in: 1...40), Gen.int(in: 1...50), Gen.int(in: 1...6)) { seed, d, n, tasks in
            let random = RandomSource(seed: seed)
            let D = d + 1
            let head = LSAHead(key: random.gaussianMatrix(D, D), query: random.gaussianMatrix(D, D),
                               value: random.gaussianMatrix(D, D), projection: random.gaussianMatrix(D, D))
            let perTask = (0..<tasks).map { _ in random.gaussianMatrix(D, n + 1) }
            let batched = head.forward(BatchedTokens(tasks: perTask))
            let layer = LSALayer(heads: [head])
            let majorantLayer = LSALayer(heads: [head.map { Majorant(magnitude: $0) }])
            let k = LSASides.lsaRoundings(tokenDimension: D, contextCount: n, layers: 1)
            for (b, tokens) in perTask.enumerated() {
                let reference = layer(tokens, contextCount: n)
                let magnitude = majorantLayer(majorant(tokens), contextCount: n)
                let result = boundedComparison(batched.task(b), reference, lhsMajorant: magnitude, lhsRoundings: k,
                                               rhsMajorant: magnitude, rhsRoundings: k, signal: 1)
                #expect(result.withinBound, "seed \(seed) task \(b): \(result)")
            }
        }
    }
}
