import _TestSupport
import Constructions
import Linalg
import PropertyBased
import Testing
import Training

/// The token clip of von Oswald et al. (A.12): every layer's output entries clamped to `[-c, c]`.
@Suite struct TokenClipTests {
    /// `clamp` applied to every entry.
    static func clamped(_ z: Matrix<Double>, _ c: Double) -> Matrix<Double> { z.map { min(max($0, -c), c) } }

    /// The kernel's forward pass and predictions with a clip equal `LSAStack`'s layers applied one
    /// at a time with every output clamped, within the unclipped forward-error bound (a clamp is
    /// 1-Lipschitz and shrinks magnitudes, so the unclipped majorant still bounds both
    /// evaluations); the clip binds on some entry in most instances (not a vacuous check).
    @Test func forwardEqualsClampedLSAStack() async {
        let binding = Counter()
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            var shape = randomShape(random, maxLayers: 3)
            let stack = randomStack(random, shape)
            let batch = randomBatch(random, shape, tasks: random.int(in: 1...20))
            let c = random.uniform(in: 0.3..<1.5)
            shape.tokenClip = c
            let kernel = LSAKernel(shape: shape)
            let model = FoldedLSA(stack, shape: shape)
            let outputs = LSAAssociation.allCases.map { kernel.forward(model, tokens: batch.tokens, association: $0) }
            let predictions = kernel.predictions(model, batch)
            let keys = shape.keyCount, D = shape.tokenDimension, T = shape.tokensPerTask, d = shape.inputDimension
            let g = gamma(forwardRoundings(shape))
            let majorants = majorantStack(stack)
            var binds = false
            for b in 0..<batch.taskCount {
                let tokens = batch.tokenMatrix(b)
                let reference = stack.layers.reduce(tokens) { z, layer in Self.clamped(layer(z, contextCount: keys), c) }
                let magnitude = majorants(majorant(tokens), contextCount: keys)
                for t in 0..<T {
                    for r in 0..<D {
                        binds = binds || abs(reference[r, t]) == c
                        for (output, association) in zip(outputs, LSAAssociation.allCases) {
                            let value = output[(b * T + t) * D + r]
                            #expect(abs(value) <= c, "seed \(seed) \(association): \(value) escapes the clip \(c)")
                            #expect(abs(value - reference[r, t]) <= 2 * g * magnitude[r, t].value,
                                    "seed \(seed) \(shape) \(association) task \(b) token \(t) row \(r)")
                        }
                    }
                }
                for k in 0..<shape.outputDimension {
                    let error = abs(predictions[b * shape.outputDimension + k] + reference[d + k, T - 1])
                    #expect(error <= 2 * g * magnitude[d + k, T - 1].value, "seed \(seed) \(shape) task \(b) prediction \(k): error \(error)")
                }
            }
            if binds { binding.add() }
        }
        #expect(binding.value >= 45, "the clip bound in only \(binding.value) of 60 instances")
    }

    /// `dL/dM`, `dL/dV` through the clip agree with central differences wherever no entry changes
    /// sides of the clip over the stencil (`KernelTests.checkGradients`), on stacks of one to
    /// three layers clipped at the 80th percentile of their output magnitudes; and the clip changes
    /// the gradient in many instances (so the masks are exercised: in the others no clipped entry
    /// reaches the query's readout).
    @Test func gradientsThroughTheClipMatchCentralDifferences() async {
        let checked = Counter(), skipped = Counter(), changed = Counter()
        await propertyCheck(count: 25, input: Gen.uint64()) { seed in
            let r = KernelTests.checkGradients(seed: seed, minLayers: 1, clipQuantile: 0.8)
            for _ in 0..<r.checked { checked.add() }
            for _ in 0..<r.skipped { skipped.add() }
            // The same draws as checkGradients, with and without the clip.
            let random = RandomSource(seed: seed)
            let plain = randomShape(random, minLayers: 1, maxLayers: 3)
            let stack = randomStack(random, plain)
            let batch = randomBatch(random, plain, tasks: random.int(in: 1...6))
            var shape = plain
            let magnitudes = LSAKernel(shape: plain).forward(FoldedLSA(stack, shape: plain), tokens: batch.tokens).map(abs).sorted()
            shape.tokenClip = max(magnitudes[Int(0.8 * Double(magnitudes.count - 1))], 1e-3)
            let clippedGradient = LSAKernel(shape: shape).lossAndGradient(FoldedLSA(stack, shape: shape), batch).gradient
            let plainGradient = LSAKernel(shape: plain).lossAndGradient(FoldedLSA(stack, shape: plain), batch).gradient
            if clippedGradient.keyQuery != plainGradient.keyQuery || clippedGradient.projectionValue != plainGradient.projectionValue {
                changed.add()
            }
        }
        // Many entries sit near a clipped token's boundary and are skipped; enough are left.
        #expect(checked.value >= 400, "only \(checked.value) entries checked (\(skipped.value) skipped)")
        #expect(changed.value >= 8, "the clip changed the gradient in only \(changed.value) of 25 instances")
    }

    /// GD as the baselines build it (`Baselines.gradientDescent`) runs under the same clip as a
    /// trained model of that shape: its predictions equal K steps of GD done as `LSAConstruction`
    /// layers (`W_0 = 0`) with every token clamped after each step.
    @Test func gradientDescentBaselineIsClippedLikeTheModel() async {
        let binding = Counter()
        await propertyCheck(count: 40, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let d = random.int(in: 1...5), n = random.int(in: 1...9), K = random.int(in: 1...4)
            let c = random.uniform(in: 0.2..<1.0)
            let shape = LSAShape(inputDimension: d, contextCount: n, layers: K, tokenClip: c)
            let etas = (0..<K).map { _ in random.uniform(in: 0.5..<3) }
            let batch = randomBatch(random, shape, tasks: random.int(in: 1...10))
            let predictions = LSAKernel(shape: shape).predictions(Baselines.gradientDescent(shape, etas: etas), batch)
            let layers = etas.map { LSAConstruction.gradientStep(initialWeights: .zeros(1, d), eta: $0, contextCount: n) }
            let T = shape.tokensPerTask, g = gamma(forwardRoundings(shape))
            let majorants = majorantStack(LSAStack(layers: layers))
            var binds = false
            for b in 0..<batch.taskCount {
                let tokens = batch.tokenMatrix(b)
                let out = layers.reduce(tokens) { z, layer in Self.clamped(layer(z, contextCount: n), c) }
                let magnitude = majorants(majorant(tokens), contextCount: n)[d, T - 1].value
                binds = binds || abs(out[d, T - 1]) == c
                let error = abs(predictions[b] + out[d, T - 1])
                #expect(error <= 2 * g * magnitude, "seed \(seed) task \(b): kernel \(predictions[b]), construction \(-out[d, T - 1])")
            }
            if binds { binding.add() }
        }
        #expect(binding.value >= 10, "the clip bound the prediction in only \(binding.value) of 40 instances")
    }
}
