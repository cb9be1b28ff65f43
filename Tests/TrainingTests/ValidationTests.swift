import _TestSupport
import Constructions
import Foundation
import Linalg
import PropertyBased
import Testing
import Training

@Suite struct ValidationTests {
    let tasks = TaskDistribution(inputDimension: 4, contextCount: 6, inputs: .uniform(width: 1))

    /// `eta*` is the exact minimizer of the one-step GD loss (a parabola in eta): moving it either
    /// way by 0.1% raises the loss, and BFGS on the same tasks lands on it.
    @Test func leastSquaresRateIsTheMinimizer() throws {
        let batch = tasks.batch(seed: 2, purpose: .validation, step: 0, tasks: 3000)
        let shape = LSAShape(inputDimension: 4, contextCount: 6)
        let eta = Baselines.leastSquaresLearningRate(batch)
        let kernel = LSAKernel(shape: shape)
        func loss(_ e: Double) -> Double { kernel.loss(Baselines.gradientDescent(shape, etas: [e]), batch) }
        #expect(loss(eta) < loss(eta * 1.001) && loss(eta) < loss(eta * 0.999))
        let tuned = Baselines.tune(plusPlus: false, layers: 1, batch: batch)
        #expect(abs(tuned.etas[0] - eta) <= 1e-6 * eta, "BFGS \(tuned.etas[0]), closed form \(eta)")
    }

    /// The baselines are the verified constructions of `Constructions` (with `W_0 = 0`), folded:
    /// K-step preconditioned GD (`LSAConstruction.multistep`) and GD++ (`LSAConstruction.plusPlus`),
    /// entry for entry (every product in the folding is by 0 or 1, so exactly).
    @Test func baselinesAreTheConstructions() {
        let random = RandomSource(seed: 8)
        for K in 1...4 {
            let d = random.int(in: 1...5), n = random.int(in: 1...9)
            let shape = LSAShape(inputDimension: d, contextCount: n, layers: K)
            let etas = (0..<K).map { _ in random.uniform(in: 0.1..<2) }, gammas = (0..<K).map { _ in random.uniform(in: 0..<0.5) }
            let preconditioners = (0..<K).map { _ in random.gaussianMatrix(d, d) }
            let gd = LSAConstruction.multistep(initialWeights: .zeros(1, d), etas: etas, contextCount: n, preconditioners: preconditioners)
            #expect(Baselines.gradientDescent(shape, etas: etas, preconditioners: preconditioners) == FoldedLSA(gd, shape: shape))
            let pp = LSAStack(layers: zip(etas, gammas).map { LSAConstruction.plusPlus(weights: .zeros(1, d), eta: $0, gamma: $1, contextCount: n) })
            #expect(Baselines.gdPlusPlus(shape, etas: etas, gammas: gammas) == FoldedLSA(pp, shape: shape))
        }
    }

    /// GD++ contains GD (gamma = 0; its fit starts at GD's) and K + 1 steps contain K (eta = 0):
    /// the tuned losses are ordered.
    @Test func tunedLossesAreOrdered() throws {
        let batch = tasks.batch(seed: 3, purpose: .validation, step: 0, tasks: 1000)
        var previous = Double.infinity
        for K in 1...3 {
            let gd = Baselines.tune(plusPlus: false, layers: K, batch: batch, maxIterations: 60)
            let pp = Baselines.tune(plusPlus: true, layers: K, batch: batch, initialEtas: gd.etas, maxIterations: 60)
            #expect(pp.loss <= gd.loss * (1 + 1e-9) && gd.loss <= previous * (1 + 1e-9), "K = \(K): GD \(gd.loss), GD++ \(pp.loss), K-1 \(previous)")
            previous = gd.loss
        }
    }

    /// Sensitivities are exact derivatives of the prediction in `x_q`: for one GD step they are
    /// `(eta/N) sum_i y_i x_i` (within `gamma_(N+4)` of the magnitudes), and for random deep models
    /// with the query among the keys (yhat cubic per layer in x_q) they agree with central
    /// differences of the predictions within the derived bound.
    @Test func sensitivitiesAreExactDerivatives() async {
        let shape = LSAShape(inputDimension: 4, contextCount: 6)
        let batch = tasks.batch(seed: 4, step: 0, tasks: 50)
        let eta = 0.7
        let s = LSAKernel(shape: shape).sensitivities(Baselines.gradientDescent(shape, etas: [eta]), batch)
        for b in 0..<50 {
            let (x, y, _, _) = batch.task(b)
            for i in 0..<4 {
                var exact = 0.0, magnitude = 0.0
                for j in 0..<6 { exact += y[0, j] * x[i, j]; magnitude += abs(y[0, j] * x[i, j]) }
                #expect(abs(s[b * 4 + i] - eta / 6 * exact) <= gamma(6 + 4) * eta / 6 * magnitude * 2)
            }
        }
        await propertyCheck(count: 15, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            var shape = randomShape(random, maxLayers: 3)
            shape.queryInContext = true
            let model = FoldedLSA(randomStack(random, shape), shape: shape)
            let batch = randomBatch(random, shape, tasks: 3)
            let kernel = LSAKernel(shape: shape)
            let sensitivities = kernel.sensitivities(model, batch)
            let absolute = FoldedLSA(shape: shape, keyQuery: model.keyQuery.map(abs), projectionValue: model.projectionValue.map(abs))
            let k = forwardRoundings(shape)
            let D = shape.tokenDimension, T = shape.tokensPerTask, d = shape.inputDimension, dy = shape.outputDimension
            for b in 0..<batch.taskCount {
                for j in 0..<dy {
                    for i in 0..<d {
                        let slot = (b * T + T - 1) * D + i
                        func prediction(_ x: Double, _ source: FoldedLSA, _ tokens: [Double]) -> Double {
                            var t = tokens; t[slot] = x
                            return kernel.predictions(source, TaskBatch(inputDimension: d, outputDimension: dy, contextCount: shape.contextCount,
                                                                        taskCount: batch.taskCount, tokens: t, targets: batch.targets))[b * dy + j]
                        }
                        let x = batch.tokens[slot], absTokens = batch.tokens.map(abs)
                        // The majorant model's readout is positive; its prediction is minus it.
                        func majorant(_ x: Double) -> Double { -prediction(x, absolute, absTokens) }
                        let rounding = 2 * gamma(k) * majorant(abs(x))
                        let (cd, bound) = centralDifference({ prediction($0, model, batch.tokens) }, at: x, rounding: rounding)
                        let own = gamma(3 * k) * forwardDifferenceUpperBound(majorant, at: abs(x), roundings: k)
                        let exact = sensitivities[(b * dy + j) * d + i]
                        #expect(abs(exact - cd) <= bound + own, "seed \(seed) \(shape): d yhat_\(j)/d x_q[\(i)] = \(exact), central difference \(cd)")
                    }
                }
            }
        }
    }

    /// A model compared with itself: no prediction or sensitivity difference, cosine 1 up to the 1e-8.
    @Test func alignmentOfAModelWithItself() {
        let shape = LSAShape(inputDimension: 4, contextCount: 6)
        let batch = tasks.batch(seed: 5, step: 0, tasks: 200)
        let gd = Baselines.gradientDescent(shape, etas: [0.9])
        let a = Alignment(trained: gd, reference: gd, batch: batch)
        #expect(a.predsDiff == 0 && a.modelDiff == 0 && a.trainedLoss == a.referenceLoss)
        #expect(a.modelCos > 1 - 1e-6 && a.modelCos <= 1)
    }

    /// The effective preconditioner of the preconditioned-GD construction is `eta Gamma^T`, and the
    /// gauge normalisation is blind to the gauge `(c M, V / c)`.
    @Test func effectivePreconditionerAndGauge() {
        let random = RandomSource(seed: 6)
        let d = 3, n = 7, eta = 1.3
        let shape = LSAShape(inputDimension: d, contextCount: n)
        let preconditioner = random.gaussianMatrix(d, d)
        let model = Baselines.gradientDescent(shape, etas: [eta], preconditioners: [preconditioner])
        let (effective, residual) = model.effectivePreconditioner()
        #expect(residual == 0)
        for i in 0..<d { for j in 0..<d { #expect(abs(effective[i, j] - eta * preconditioner[j, i]) <= gamma(3) * abs(eta * preconditioner[j, i])) } }
        for c in [-3.0, 0.25, 7.0] {
            var scaled = model
            scaled.keyQuery = model.keyQuery.map { c * $0 }
            scaled.projectionValue = model.projectionValue.map { $0 / c }
            let a = model.gaugeNormalized(layer: 0, head: 0), b = scaled.gaugeNormalized(layer: 0, head: 0)
            for (x, y) in zip(a.keyQuery.elements + a.projectionValue.elements, b.keyQuery.elements + b.projectionValue.elements) {
                #expect(abs(x - y) <= gamma(8) * max(abs(x), abs(y)))
            }
        }
    }

    /// `MeanInterval` of 1, 2, 3, 4: mean 2.5, s = sqrt(5/3), t_{0.975, 3} = 3.182446305284263.
    @Test func meanInterval() {
        let m = MeanInterval([1, 2, 3, 4])
        let half = 3.182446305284263 * (5.0 / 3).squareRoot() / 2
        #expect(m.mean == 2.5 && abs(m.upper! - (2.5 + half)) < 1e-12 && abs(m.lower! - (2.5 - half)) < 1e-12)
        #expect(MeanInterval([3]).lower == nil)
    }
}
