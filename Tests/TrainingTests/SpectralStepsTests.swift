import _TestSupport
import Foundation
import Linalg
import PropertyBased
import Testing
@testable import Training

/// `SpectralTasks` (GD/GD++ stacks evaluated eigenvalue by eigenvalue) against the kernel running
/// the same stacks as `Baselines.gdPlusPlus` builds them, token by token.
@Suite struct SpectralStepsTests {
    /// A random GD++ instance: a one-head shape without the query in the context, Gaussian tokens,
    /// `eta_k ~ U(0, 0.5)` and `gamma_k ~ U(-0.5, 0.5) / (sqrt N + sqrt d)^2` (the Gram matrix's
    /// largest eigenvalue is about `(sqrt N + sqrt d)^2`, so every factor `1 - gamma sigma` stays
    /// near one and the stack neither explodes nor vanishes).
    static func instance(_ seed: UInt64, maxLayers: Int = 5) -> (LSAShape, TaskBatch, [Double], [Double]) {
        let random = RandomSource(seed: seed)
        let shape = LSAShape(inputDimension: random.int(in: 1...8), outputDimension: random.int(in: 1...2), contextCount: random.int(in: 1...12),
                             layers: random.int(in: 1...maxLayers), heads: 1)
        let batch = randomBatch(random, shape, tasks: random.int(in: 1...20))
        let scale = pow(sqrt(Double(shape.contextCount)) + sqrt(Double(shape.inputDimension)), 2)
        let etas = (0..<shape.layers).map { _ in random.uniform(in: 0..<0.5) }
        let gammas = (0..<shape.layers).map { _ in random.uniform(in: -0.5..<0.5) / scale }
        return (shape, batch, etas, gammas)
    }

    /// The kernel's loss and its gradient chained to the step sizes: `dL/deta_k = -(1/N) sum_y dV_k[y, y]`,
    /// `dL/dgamma_k = -sum_x dV_k[x, x]` (`V_k = [[-gamma_k I, 0], [0, -eta_k/N I]]`).
    static func kernelLossAndGradient(_ shape: LSAShape, _ batch: TaskBatch, etas: [Double], gammas: [Double]) -> (Double, [Double]) {
        let K = shape.layers, d = shape.inputDimension, D = shape.tokenDimension
        let (loss, g) = LSAKernel(shape: shape).lossAndGradient(Baselines.gdPlusPlus(shape, etas: etas, gammas: gammas), batch)
        var gradient = [Double](repeating: 0, count: 2 * K)
        for k in 0..<K {
            for j in d..<D { gradient[k] -= g.projectionValue[k * D * D + j * D + j] / Double(shape.contextCount) }
            for i in 0..<d { gradient[K + k] -= g.projectionValue[k * D * D + i * D + i] }
        }
        return (loss, gradient)
    }

    /// Loss, gradient and predictions equal the kernel's over 200 instances (one to five layers).
    /// The two evaluations sum in different orders and the spectral one goes through an
    /// eigendecomposition (backward error about `d eps |S|`); with every factor near one that moves
    /// the results by a few hundred `eps` of their scale, so `1e-9` of the scale cannot hide a
    /// wrong factor, sign or layer index (those move them at order one).
    @Test func lossGradientAndPredictionsEqualTheKernel() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            let (shape, batch, etas, gammas) = Self.instance(seed)
            let spectral = SpectralTasks(batch)
            let (kernelLoss, kernelGradient) = Self.kernelLossAndGradient(shape, batch, etas: etas, gammas: gammas)
            var gradient = [Double](repeating: .nan, count: 2 * shape.layers)
            let loss = gradient.withUnsafeMutableBufferPointer { spectral.loss(etas: etas, gammas: gammas, gradient: $0) }
            let scale = kernelLoss + batch.zeroPredictorLoss
            #expect(abs(loss - kernelLoss) <= 1e-9 * scale, "seed \(seed) \(shape): loss \(loss) vs kernel \(kernelLoss)")
            let gradientScale = kernelGradient.map(abs).max()! + scale
            for (p, (a, b)) in zip(gradient, kernelGradient).enumerated() {
                #expect(abs(a - b) <= 1e-9 * gradientScale, "seed \(seed) \(shape): dL/dparameter \(p) \(a) vs kernel \(b)")
            }
            let predictions = spectral.predictions(etas: etas, gammas: gammas)
            let reference = LSAKernel(shape: shape).predictions(Baselines.gdPlusPlus(shape, etas: etas, gammas: gammas), batch)
            let predictionScale = reference.map(abs).max()! + batch.targets.map(abs).max()!
            for (a, b) in zip(predictions, reference) { #expect(abs(a - b) <= 1e-9 * predictionScale, "seed \(seed) \(shape): \(a) vs \(b)") }
        }
    }

    /// The Gauss-Newton matrix is `1/(B d_y) sum_b J_b^T J_b` with `J_b` the predictions' Jacobian
    /// in the step sizes, here by central differences of the kernel's predictions (step `1e-6`
    /// of the parameter's scale; truncation and rounding leave about `1e-8` of the entries' scale).
    @Test func gaussNewtonMatrixIsTheJacobianProduct() async {
        await propertyCheck(count: 50, input: Gen.uint64()) { seed in
            let (shape, batch, etas, gammas) = Self.instance(seed, maxLayers: 3)
            let K = shape.layers, P = 2 * K, dy = shape.outputDimension, kernel = LSAKernel(shape: shape)
            var gradient = [Double](repeating: 0, count: P), gaussNewton = [Double](repeating: .nan, count: P * P)
            _ = gradient.withUnsafeMutableBufferPointer { g in gaussNewton.withUnsafeMutableBufferPointer { h in
                SpectralTasks(batch).loss(etas: etas, gammas: gammas, gradient: g, gaussNewton: h)
            } }
            var jacobian = [[Double]]()
            for p in 0..<P {
                var plus = etas + gammas, minus = plus
                let h = 1e-6 * max(abs(plus[p]), p < K ? 0.1 : 0.01)
                plus[p] += h
                minus[p] -= h
                func predictions(_ x: [Double]) -> [Double] {
                    kernel.predictions(Baselines.gdPlusPlus(shape, etas: Array(x.prefix(K)), gammas: Array(x.suffix(K))), batch)
                }
                jacobian.append(zip(predictions(plus), predictions(minus)).map { ($0 - $1) / (2 * h) })
            }
            let rows = Double(batch.taskCount * dy)
            let reference = (0..<P).flatMap { p in (0..<P).map { q in zip(jacobian[p], jacobian[q]).reduce(0) { $0 + $1.0 * $1.1 } / rows } }
            let scale = reference.map(abs).max()! + 1e-300
            for (i, (a, b)) in zip(gaussNewton, reference).enumerated() {
                #expect(abs(a - b) <= 1e-6 * scale, "seed \(seed) \(shape): entry \(i) \(a) vs differences \(b)")
            }
        }
    }

    /// A task's loss over a subset equals its own: the mean over `tasks` is the mean of the single-task losses.
    @Test func subsetLossIsTheMeanOfItsTasks() async {
        await propertyCheck(count: 50, input: Gen.uint64()) { seed in
            let (_, batch, etas, gammas) = Self.instance(seed)
            let spectral = SpectralTasks(batch)
            let random = RandomSource(seed: seed ^ 0x5eed)
            let chosen = (0..<batch.taskCount).filter { _ in random.int(in: 0...1) == 1 }
            guard !chosen.isEmpty else { return }
            let singles = chosen.map { spectral.loss(etas: etas, gammas: gammas, tasks: [$0]) }
            let mean = singles.reduce(0, +) / Double(chosen.count)
            let subset = spectral.loss(etas: etas, gammas: gammas, tasks: chosen)
            #expect(abs(subset - mean) <= 1e-12 * (mean + 1e-300), "seed \(seed): \(subset) vs \(mean)")
        }
    }

    /// The largest token entry of each task over every layer of the unclipped stack, from the
    /// kernel's forward pass of each prefix of the stack (`layers = 1...K`).
    static func largestEntries(_ shape: LSAShape, _ batch: TaskBatch, etas: [Double], gammas: [Double]) -> [Double] {
        let P = shape.tokensPerTask * shape.tokenDimension
        var largest = [Double](repeating: 0, count: batch.taskCount)
        for k in 1...shape.layers {
            var prefix = shape
            prefix.layers = k
            let model = Baselines.gdPlusPlus(prefix, etas: Array(etas.prefix(k)), gammas: Array(gammas.prefix(k)))
            let out = LSAKernel(shape: prefix).forward(model, tokens: batch.tokens, association: .attention)
            for b in 0..<batch.taskCount { largest[b] = max(largest[b], out[(b * P)..<((b + 1) * P)].map(abs).max()!) }
        }
        return largest
    }

    /// An instance with a clip `c` drawn between the smallest and largest per-task entry (so
    /// both kinds of task occur), and each task's largest unclipped entry.
    static func clippedInstance(_ seed: UInt64) -> (LSAShape, TaskBatch, [Double], [Double], largest: [Double], clip: Double) {
        let (shape, batch, etas, gammas) = instance(seed)
        let largest = largestEntries(shape, batch, etas: etas, gammas: gammas)
        let clip = RandomSource(seed: seed ^ 0xc11f).uniform(in: largest.min()!..<(largest.max()! + 1e-6))
        return (shape, batch, etas, gammas, largest, clip)
    }

    /// `clippedTasks` names exactly the tasks whose unclipped token entries leave `[-c, c]` in some
    /// layer (brute force: the kernel's forward pass of every prefix), with `c` between the
    /// smallest and largest such entry so both kinds of task occur; tasks within `1e-9` of `c`
    /// are skipped (rounding decides them).
    @Test func clippedTasksAreTheTasksLeavingTheClip() async {
        let both = Counter()
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            let (shape, batch, etas, gammas, largest, c) = Self.clippedInstance(seed)
            let clipped = Set(SpectralTasks(batch).clippedTasks(etas: etas, gammas: gammas, clip: c))
            for b in 0..<batch.taskCount where abs(largest[b] - c) > 1e-9 * c {
                #expect(clipped.contains(b) == (largest[b] > c), "seed \(seed) \(shape) task \(b): largest entry \(largest[b]), clip \(c)")
            }
            if !clipped.isEmpty && clipped.count < batch.taskCount { both.add() }
        }
        #expect(both.value >= 40, "only \(both.value) of 100 instances had clipped and unclipped tasks")
    }

    /// The fit's objective under a clip (the spectral form where it is exact, the kernel where the
    /// clip acts) equals the kernel's clipped loss and gradient on the whole batch.
    @Test func tuningObjectiveEqualsTheClippedKernel() async {
        let mixed = Counter()
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            var (shape, batch, etas, gammas, _, clip) = Self.clippedInstance(seed)
            shape.tokenClip = clip
            let (kernelLoss, kernelGradient) = Self.kernelLossAndGradient(shape, batch, etas: etas, gammas: gammas)
            let problem = TuningProblem(shape: shape, batch: batch, plusPlus: true)
            var gradient = [Double](repeating: .nan, count: 2 * shape.layers)
            var gaussNewton = [Double](repeating: .nan, count: 4 * shape.layers * shape.layers)
            let loss = problem.evaluate(etas: etas, gammas: gammas, gradient: &gradient, gaussNewton: &gaussNewton)
            let scale = kernelLoss + batch.zeroPredictorLoss, gradientScale = kernelGradient.map(abs).max()! + scale
            #expect(abs(loss - kernelLoss) <= 1e-9 * scale, "seed \(seed) \(shape): loss \(loss) vs clipped kernel \(kernelLoss)")
            for (p, (a, b)) in zip(gradient, kernelGradient).enumerated() {
                #expect(abs(a - b) <= 1e-9 * gradientScale, "seed \(seed) \(shape): dL/dparameter \(p) \(a) vs clipped kernel \(b)")
            }
            if problem.kernelTasks > 0 && problem.kernelTasks < batch.taskCount { mixed.add() }
        }
        #expect(mixed.value >= 40, "only \(mixed.value) of 100 instances mixed spectral and kernel tasks")
    }
}
