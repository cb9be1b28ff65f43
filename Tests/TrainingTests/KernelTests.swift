import _TestSupport
import Foundation
import Constructions
import Linalg
import PropertyBased
import Testing
import Training

/// A random shape small enough for exhaustive gradient checks.
func randomShape(_ random: RandomSource, minLayers: Int = 1, maxLayers: Int = 3) -> LSAShape {
    LSAShape(inputDimension: random.int(in: 1...5), outputDimension: random.int(in: 1...2), contextCount: random.int(in: 1...9),
             layers: random.int(in: minLayers...maxLayers), heads: random.int(in: 1...2), queryInContext: random.int(in: 0...1) == 1)
}

/// Random factors `W_K, W_Q, W_V, P` with entries `N(0, sd^2)`, as an `LSAStack`. The default
/// `sd = (D^2 (N+1))^(-1/4)` keeps `V E E^T M` of order one, so a deep stack neither explodes nor vanishes.
func randomStack(_ random: RandomSource, _ shape: LSAShape, sd: Double? = nil) -> LSAStack<Double> {
    let D = shape.tokenDimension
    let sd = sd ?? pow(Double(D * D * shape.tokensPerTask), -0.25)
    return LSAStack(layers: (0..<shape.layers).map { _ in
        LSALayer(heads: (0..<shape.heads).map { _ in
            LSAHead(key: random.gaussianMatrix(D, D, sd: sd), query: random.gaussianMatrix(D, D, sd: sd),
                    value: random.gaussianMatrix(D, D, sd: sd), projection: random.gaussianMatrix(D, D, sd: sd))
        })
    })
}

/// Random tasks: tokens `N(0, 1)`, the query's y-rows 0, targets `N(0, 1)`.
func randomBatch(_ random: RandomSource, _ shape: LSAShape, tasks: Int) -> TaskBatch {
    let D = shape.tokenDimension, T = shape.tokensPerTask
    var tokens = random.gaussianMatrix(tasks * T, D).elements
    for b in 0..<tasks { for k in shape.inputDimension..<D { tokens[(b * T + T - 1) * D + k] = 0 } }
    return TaskBatch(inputDimension: shape.inputDimension, outputDimension: shape.outputDimension, contextCount: shape.contextCount,
                     taskCount: tasks, tokens: tokens, targets: random.gaussianMatrix(tasks, shape.outputDimension).elements)
}

/// Roundings along the longest chain of one forward pass, for any of the three evaluation
/// orders: per layer the kernel's folded state form rounds `W_K^T W_Q` (D), `P W_V` (D),
/// `E E^T` (N + 1), `V G` (D), the head sum `sum_h R_h M_h` (H D), `Z A^T` (D) and the residual
/// (1): `(4 + H) D + N + 2`; its attention form rounds the two foldings (2D), `Z M^T` (D),
/// `P E^T` (D), `S E` (N + 1), `W V^T` (D) and one addition per head onto `Z` (H):
/// `5D + N + H + 1`; the state form of `LSALayer` rounds `W_K E`, `W_V E` (D), `V K^T` (N),
/// `P (.)` (D), `W_Q Z` (D), the product with it (D), the head sum (H) and the residual:
/// `5D + N + H + 1`. `(4 + H) D + N + H + 3` covers all three (H >= 1).
func forwardRoundings(_ s: LSAShape) -> Int {
    s.layers * ((4 + s.heads) * s.tokenDimension + s.contextCount + s.heads + 3)
}

/// The same stack on majorants: every entry replaced by its magnitude, every subtraction by an addition.
func majorantStack(_ stack: LSAStack<Double>) -> LSAStack<Majorant> { stack.map { LSALayer(heads: $0.heads.map { $0.map { Majorant(magnitude: $0) } }) } }

extension LSAStack where Scalar == Double {
    func map(_ f: (LSALayer<Double>) -> LSALayer<Majorant>) -> LSAStack<Majorant> { LSAStack<Majorant>(layers: layers.map(f)) }
}

@Suite struct KernelTests {
    /// The kernel's folded forward pass equals `LSAStack` (state form, tokens as columns)
    /// on the same factors, for every token (all layers in full, in both associations) and for
    /// the query readout (last layer at the query), within the forward-error bound of both evaluations.
    @Test func forwardEqualsLSAStack() async {
        await propertyCheck(count: 80, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let shape = randomShape(random, maxLayers: 3)
            let stack = randomStack(random, shape)
            let batch = randomBatch(random, shape, tasks: random.int(in: 1...40))
            let kernel = LSAKernel(shape: shape)
            let model = FoldedLSA(stack, shape: shape)
            let outputs = LSAAssociation.allCases.map { kernel.forward(model, tokens: batch.tokens, association: $0) }
            let predictions = kernel.predictions(model, batch)
            let keys = shape.keyCount, D = shape.tokenDimension, T = shape.tokensPerTask, d = shape.inputDimension
            let g = gamma(forwardRoundings(shape))
            let majorants = majorantStack(stack)
            for b in 0..<batch.taskCount {
                let tokens = batch.tokenMatrix(b)
                let reference = stack(tokens, contextCount: keys)
                let magnitude = majorants(majorant(tokens), contextCount: keys)
                for t in 0..<T {
                    for r in 0..<D {
                        for (output, association) in zip(outputs, LSAAssociation.allCases) {
                            let error = abs(output[(b * T + t) * D + r] - reference[r, t])
                            #expect(error <= 2 * g * magnitude[r, t].value,
                                    "seed \(seed) \(shape) \(association) task \(b) token \(t) row \(r): error \(error)")
                        }
                    }
                }
                for k in 0..<shape.outputDimension {
                    let error = abs(predictions[b * shape.outputDimension + k] + reference[d + k, T - 1])
                    #expect(error <= 2 * g * magnitude[d + k, T - 1].value, "seed \(seed) \(shape) task \(b) prediction \(k): error \(error)")
                }
            }
        }
    }

    /// `dL/dM` and `dL/dV` from the backward pass agree with central differences of the loss,
    /// within the difference's truncation and rounding bound plus the gradient's own rounding.
    @Test func gradientsMatchCentralDifferences() async {
        await propertyCheck(count: 25, input: Gen.uint64()) { seed in Self.checkGradients(seed: seed, minLayers: 1) }
    }

    /// Stacks of two and three layers, where the gradient reaches the first layer's weights only
    /// through the context tokens (`dE_ctx += E_ctx (dG + dG^T)`): a mistake there (2 dG for
    /// dG + dG^T) passed the mixed-depth check above in one mutation run of three.
    @Test func multilayerGradientsMatchCentralDifferences() async {
        await propertyCheck(count: 25, input: Gen.uint64()) { seed in Self.checkGradients(seed: seed, minLayers: 2) }
    }

    /// With `clipQuantile` the shape clips tokens at that quantile of the unclipped stack's output
    /// magnitudes. The loss is then piecewise polynomial: a central difference means something
    /// only where no entry changes sides of the clip over its stencil, so an entry whose clip
    /// pattern (every layer's output, by `forward` of the first `l` layers) differs at
    /// `x -+ 2.5 H` (`H`, the third-difference step) is skipped. On one piece a clipped entry is
    /// the constant `+-c` with `c <= |z|`, so the unclipped majorant still bounds the rounding.
    /// Returns the entries checked and skipped.
    @discardableResult
    static func checkGradients(seed: UInt64, minLayers: Int, clipQuantile: Double? = nil) -> (checked: Int, skipped: Int) {
        let random = RandomSource(seed: seed)
        let plain = randomShape(random, minLayers: minLayers, maxLayers: 3)
        let stack = randomStack(random, plain)
        let batch = randomBatch(random, plain, tasks: random.int(in: 1...6))
        var shape = plain
        if let q = clipQuantile {
            let magnitudes = LSAKernel(shape: plain).forward(FoldedLSA(stack, shape: plain), tokens: batch.tokens).map(abs).sorted()
            shape.tokenClip = max(magnitudes[Int(q * Double(magnitudes.count - 1))], 1e-3)
        }
        let kernel = LSAKernel(shape: shape), plainKernel = LSAKernel(shape: plain)
        let model = FoldedLSA(stack, shape: shape)
        let (_, gradient) = kernel.lossAndGradient(model, batch)
        let summation = LSAKernel.chunkSize + batch.taskCount + 3
        let k = forwardRoundings(shape) + summation
        var checked = 0, skipped = 0
        for which in 0..<2 {
            let entries = which == 0 ? model.keyQuery : model.projectionValue
            for i in entries.indices {
                func perturbed(_ x: Double) -> FoldedLSA {
                    var m = model
                    if which == 0 { m.keyQuery[i] = x } else { m.projectionValue[i] = x }
                    return m
                }
                func loss(_ x: Double) -> Double { kernel.loss(perturbed(x), batch) }
                if let c = shape.tokenClip {
                    let reach = 2.5 * pow(unitRoundoff, 0.2) * max(1, abs(entries[i]))
                    let patterns = [entries[i] - reach, entries[i], entries[i] + reach].map { clipPattern(perturbed($0), batch, clip: c) }
                    if patterns[0] != patterns[1] || patterns[1] != patterns[2] { skipped += 1; continue }
                }
                checked += 1
                // The loss's majorant: the unclipped loss with every weight and token replaced by its magnitude.
                func majorantLoss(_ x: Double) -> Double {
                    var m = FoldedLSA(shape: plain, keyQuery: model.keyQuery.map(abs), projectionValue: model.projectionValue.map(abs))
                    if which == 0 { m.keyQuery[i] = x } else { m.projectionValue[i] = x }
                    let tokens = batch.tokens.map(abs)
                    let predictions = plainKernel.predictions(m, TaskBatch(inputDimension: shape.inputDimension, outputDimension: shape.outputDimension,
                                                                      contextCount: shape.contextCount, taskCount: batch.taskCount,
                                                                      tokens: tokens, targets: batch.targets))
                    return zip(predictions, batch.targets).reduce(0) { $0 + (abs($1.0) + abs($1.1)) * (abs($1.0) + abs($1.1)) }
                        / Double(2 * batch.taskCount * shape.outputDimension)
                }
                let x = entries[i]
                let lossBar = majorantLoss(abs(x))
                let rounding = 2 * gamma(k) * lossBar
                let (cd, bound) = centralDifference(loss, at: x, rounding: rounding)
                let analyticRounding = gamma(3 * k) * forwardDifferenceUpperBound(majorantLoss, at: abs(x), roundings: k)
                let analytic = which == 0 ? gradient.keyQuery[i] : gradient.projectionValue[i]
                #expect(abs(analytic - cd) <= bound + analyticRounding,
                        "seed \(seed) \(shape) \(which == 0 ? "M" : "V")[\(i)]: backward \(analytic), central difference \(cd), bound \(bound + analyticRounding)")
            }
        }
        return (checked, skipped)
    }

    /// Which token entries every layer's output clips (`|z| >= c`), layer by layer: the first `l`
    /// layers of `model` run through `forward`.
    static func clipPattern(_ model: FoldedLSA, _ batch: TaskBatch, clip c: Double) -> [Bool] {
        let shape = model.shape, perLayer = shape.heads * shape.tokenDimension * shape.tokenDimension
        return (1...shape.layers).flatMap { l -> [Bool] in
            var s = shape
            s.layers = l
            let truncated = FoldedLSA(shape: s, keyQuery: Array(model.keyQuery.prefix(l * perLayer)),
                                      projectionValue: Array(model.projectionValue.prefix(l * perLayer)))
            return LSAKernel(shape: s).forward(truncated, tokens: batch.tokens).map { abs($0) >= c }
        }
    }

    /// Chunks are summed in a fixed order: one thread and all cores give the same bits.
    @Test func resultsDoNotDependOnThreads() {
        let random = RandomSource(seed: 11)
        let shape = LSAShape(inputDimension: 4, outputDimension: 1, contextCount: 7, layers: 2, heads: 2)
        let model = FoldedLSA(randomStack(random, shape), shape: shape)
        let batch = randomBatch(random, shape, tasks: 200)
        let kernel = LSAKernel(shape: shape)
        let parallel = kernel.lossAndGradient(model, batch)
        kernel.parallel = false
        let serial = kernel.lossAndGradient(model, batch)
        #expect(parallel.loss == serial.loss && parallel.gradient == serial.gradient)
    }
}
