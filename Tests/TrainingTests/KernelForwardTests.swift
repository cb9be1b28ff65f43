import _TestSupport
import Constructions
import Linalg
import PropertyBased
import Testing
import Training

/// `LSAKernel.forward`, the project's one batched LSA forward, against its reference
/// `Constructions.LSAStack` (tokens as columns) on shapes up to `D = 41`, `N = 50`: both
/// products (`SIMD4` loops up to `D = 32`, `dgemm` above) and both associations, with the
/// forward-error bound of both evaluations (`forwardRoundings`).
@Suite struct KernelForwardTests {
    @Test func forwardMatchesLSAStack() async {
        await propertyCheck(count: 60, input: Gen.uint64(), Gen.int(in: 1...40), Gen.int(in: 1...50), Gen.int(in: 1...6)) { seed, d, n, tasks in
            let random = RandomSource(seed: seed)
            let shape = LSAShape(inputDimension: d, contextCount: n, layers: random.int(in: 1...2), heads: random.int(in: 1...2),
                                 queryInContext: random.int(in: 0...1) == 1)
            let stack = randomStack(random, shape)
            let tokens = random.gaussianMatrix(tasks * shape.tokensPerTask, shape.tokenDimension).elements
            let kernel = LSAKernel(shape: shape)
            let model = FoldedLSA(stack, shape: shape)
            let majorants = majorantStack(stack)
            let g = gamma(forwardRoundings(shape))
            let D = shape.tokenDimension, T = shape.tokensPerTask
            for association in LSAAssociation.allCases {
                let out = kernel.forward(model, tokens: tokens, association: association)
                for b in 0..<tasks {
                    let task = Matrix(rows: T, cols: D, elements: Array(tokens[(b * T * D)..<((b + 1) * T * D)])).transposed
                    let reference = stack(task, contextCount: shape.keyCount)
                    let magnitude = majorants(majorant(task), contextCount: shape.keyCount)
                    let result = Matrix(rows: T, cols: D, elements: Array(out[(b * T * D)..<((b + 1) * T * D)])).transposed
                    let check = boundedComparison(result, reference, lhsMajorant: magnitude, lhsRoundings: forwardRoundings(shape),
                                                  rhsMajorant: magnitude, rhsRoundings: forwardRoundings(shape), signal: 1)
                    #expect(check.withinBound, "seed \(seed) \(shape) \(association) task \(b): \(check), gamma \(g)")
                }
            }
        }
    }

    /// The default association is the cheaper by the FLOP count: attention for few tokens per
    /// width, the state form for many (the two bench shapes among them). Above `D = 32` (`dgemm`,
    /// no padding) that is the smaller of `forwardFlops`; the SIMD loops count padded sizes, which
    /// make (N 10, d 10) a tie, taken by the state form.
    @Test func defaultAssociationIsTheCheaper() {
        #expect(LSAKernel(shape: LSAShape(inputDimension: 256, contextCount: 1024)).forwardAssociation == .state)
        #expect(LSAKernel(shape: LSAShape(inputDimension: 256, contextCount: 8)).forwardAssociation == .attention)
        #expect(LSAKernel(shape: LSAShape(inputDimension: 4, contextCount: 200)).forwardAssociation == .state)
        #expect(LSAKernel(shape: LSAShape(inputDimension: 31, contextCount: 2)).forwardAssociation == .attention)
        #expect(LSAKernel(shape: LSAShape(inputDimension: 10, contextCount: 10)).forwardAssociation == .state)
        for (d, n, h) in [(40, 50, 1), (100, 30, 2), (60, 60, 1), (60, 60, 2), (33, 300, 1)] {
            let kernel = LSAKernel(shape: LSAShape(inputDimension: d, contextCount: n, heads: h))
            let flops = LSAAssociation.allCases.map { kernel.forwardFlops(tasks: 1, association: $0) }
            #expect(kernel.forwardFlops(tasks: 1) == flops.min(), "d \(d), N \(n), H \(h): \(flops)")
        }
    }

    /// A forward over many tasks is the same, bit for bit, on one thread or on all.
    @Test func forwardIsBitIdenticalForAnyThreadCount() {
        let random = RandomSource(seed: 17)
        for shape in [LSAShape(inputDimension: 10, contextCount: 10, layers: 2), LSAShape(inputDimension: 40, contextCount: 30)] {
            let model = FoldedLSA(randomStack(random, shape), shape: shape)
            let tokens = random.gaussianMatrix(100 * shape.tokensPerTask, shape.tokenDimension).elements
            let kernel = LSAKernel(shape: shape)
            let parallel = kernel.forward(model, tokens: tokens)
            kernel.parallel = false
            #expect(kernel.forward(model, tokens: tokens) == parallel)
        }
    }
}
