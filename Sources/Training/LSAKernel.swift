import Dispatch
import Foundation

/// Batched forward and backward passes of a `K`-layer, `H`-head LSA over `B` tasks, in
/// `Double`, computed through the folded products `M = W_K^T W_Q` and `V = P W_V` (`TaskPass`).
/// This is the project's one batched LSA forward (`forward`); `Constructions.LSALayer` (tokens as
/// columns, generic over the scalar) is its reference.
///
/// Work is split into chunks of `chunkSize` consecutive tasks. Each chunk sums its tasks'
/// losses and gradients in task order into its own accumulator, and the chunks are added in
/// chunk order at the end, so results are bit-identical for any number of threads (the chunks
/// are spread over all cores with `DispatchQueue.concurrentPerform`). Small tasks (`D <= 32`)
/// run the `SIMD4` loops of `Linalg.SmallProducts` with a task in L1; larger ones call `dgemm`,
/// and a task so large that one worker takes it all (a single big task) leaves the cores to the
/// BLAS's own threads (OpenBLAS splits a product's rows and columns, never its sums).
///
/// The loss is the half mean squared error of the prediction `yhat = -(query's y-rows)`:
/// `L = 1/(2 B d_y) sum_b ||yhat_b - y_b||^2`. A shape's `tokenClip` clips every layer's output
/// (von Oswald et al. A.12), and every pass differentiates through the clip (`TaskPass`).
///
/// A kernel owns reusable scratch memory: use one kernel per thread of control (its methods
/// must not be called concurrently).
public final class LSAKernel: @unchecked Sendable {
    public let shape: LSAShape
    /// Tasks per chunk, the unit of work and of gradient accumulation.
    public static let chunkSize = 16
    /// Spread chunks over all cores (results do not depend on it).
    public var parallel = true

    let D: Int, Dp: Int
    /// Keys per task, padded as the products pad widths (the attention form's score rows).
    let paddedKeys: Int
    let usesSIMD: Bool
    private var workspaces: [TaskWorkspace] = []
    /// Padded `M`, `M^T`, `V`, `V^T`.
    private let m, mt, v, vt: UnsafeMutablePointer<Double>
    private var chunkGradients: UnsafeMutablePointer<Double>
    private var chunkLosses: UnsafeMutablePointer<Double>
    private var chunkCapacity = 0
    private var gradientCapacity = 0

    public init(shape: LSAShape) {
        self.shape = shape
        D = shape.tokenDimension
        usesSIMD = D <= 32
        Dp = usesSIMD ? SIMDProducts.paddedWidth(D) : BLASProducts.paddedWidth(D)
        paddedKeys = usesSIMD ? SIMDProducts.paddedWidth(shape.keyCount) : BLASProducts.paddedWidth(shape.keyCount)
        let count = shape.layers * shape.heads * Dp * Dp
        m = .allocate(capacity: count); mt = .allocate(capacity: count); v = .allocate(capacity: count); vt = .allocate(capacity: count)
        for p in [m, mt, v, vt] { p.initialize(repeating: 0, count: count) }
        chunkGradients = .allocate(capacity: 1)
        chunkLosses = .allocate(capacity: 1)
    }

    deinit {
        m.deallocate(); mt.deallocate(); v.deallocate(); vt.deallocate(); chunkGradients.deallocate(); chunkLosses.deallocate()
    }

    /// Entries of one gradient accumulator (`dM` then `dV`, padded).
    var gradientStride: Int { 2 * shape.layers * shape.heads * Dp * Dp }

    // MARK: Public entry points

    /// The loss on `batch`.
    public func loss(_ model: FoldedLSA, _ batch: TaskBatch) -> Double {
        run(model, batch, mode: .loss, output: nil).loss
    }

    /// The loss and its gradient with respect to every `M_{l,h}` and `V_{l,h}`.
    public func lossAndGradient(_ model: FoldedLSA, _ batch: TaskBatch) -> (loss: Double, gradient: FoldedLSA) {
        let r = run(model, batch, mode: .gradient, output: nil)
        return (r.loss, r.gradient!)
    }

    /// The predictions `yhat` (`B x d_y`).
    public func predictions(_ model: FoldedLSA, _ batch: TaskBatch) -> [Double] {
        var out = [Double](repeating: 0, count: batch.taskCount * shape.outputDimension)
        out.withUnsafeMutableBufferPointer { _ = run(model, batch, mode: .predictions, output: $0.baseAddress!) }
        return out
    }

    /// The exact sensitivities `d yhat_k / d x_q` (`B x d_y x d`), by differentiating the forward
    /// pass (reverse mode, the backward pass with upstream gradient `e_k`): `yhat` is a polynomial
    /// in `x_q`, and this is its derivative up to rounding, not a finite difference.
    public func sensitivities(_ model: FoldedLSA, _ batch: TaskBatch) -> [Double] {
        var out = [Double](repeating: 0, count: batch.taskCount * shape.outputDimension * shape.inputDimension)
        out.withUnsafeMutableBufferPointer { _ = run(model, batch, mode: .sensitivities, output: $0.baseAddress!) }
        return out
    }

    /// The stack applied to every token of every task: `tokens` holds `B` tasks of `N + 1`
    /// tokens as rows of `D` numbers (as `TaskBatch.tokens`), and so does the result, each layer
    /// in full. Each layer takes `association`, by default the one with fewer FLOPs for this
    /// shape (`forwardAssociation`); either gives the same result up to rounding.
    public func forward(_ model: FoldedLSA, tokens: [Double], association: LSAAssociation? = nil) -> [Double] {
        let perTask = shape.tokensPerTask * D
        precondition(tokens.count % perTask == 0, "\(tokens.count) token entries are not whole tasks of \(perTask)")
        let B = tokens.count / perTask
        let batch = TaskBatch(inputDimension: shape.inputDimension, outputDimension: shape.outputDimension,
                              contextCount: shape.contextCount, taskCount: B, tokens: tokens,
                              targets: [Double](repeating: 0, count: B * shape.outputDimension))
        var out = [Double](repeating: 0, count: tokens.count)
        out.withUnsafeMutableBufferPointer {
            _ = run(model, batch, mode: .forward(association ?? forwardAssociation), output: $0.baseAddress!)
        }
        return out
    }

    /// The association `forward` takes by default: the cheaper in FLOPs at the sizes the
    /// products compute. The SIMD loops pad widths to a multiple of 4 and run rows in blocks of
    /// 4 (a remainder row costs about as much as a block), so there `D`, the keys and the token
    /// count `T` are counted padded; on (N 10, d 10) this makes the two forms cost the same and
    /// the state form is taken (without the row padding the attention form would win by 6%,
    /// and measured it is the slower).
    public var forwardAssociation: LSAAssociation {
        let T = usesSIMD ? SIMDProducts.paddedWidth(shape.tokensPerTask) : shape.tokensPerTask
        return LSAAssociation.cheaper(D: Dp, T: T, keys: shape.keyCount, paddedKeys: paddedKeys, heads: shape.heads)
    }

    /// FLOPs of `forward` on `tasks` tasks in `association` (by default the one it takes), at the
    /// unpadded widths.
    public func forwardFlops(tasks: Int, association: LSAAssociation? = nil) -> Double {
        Double(tasks * shape.layers) * LSAAssociation.layerFlops(association ?? forwardAssociation, D: D, T: shape.tokensPerTask,
                                                                 keys: shape.keyCount, paddedKeys: shape.keyCount, heads: shape.heads)
    }

    // MARK: Driver

    enum Mode: Equatable { case loss, gradient, predictions, sensitivities, forward(LSAAssociation) }

    private func run(_ model: FoldedLSA, _ batch: TaskBatch, mode: Mode, output: UnsafeMutablePointer<Double>?)
        -> (loss: Double, gradient: FoldedLSA?) {
        precondition(model.shape == shape, "the model's shape \(model.shape) is not the kernel's \(shape)")
        precondition(batch.inputDimension == shape.inputDimension && batch.outputDimension == shape.outputDimension
                     && batch.contextCount == shape.contextCount,
                     "a batch of d = \(batch.inputDimension), d_y = \(batch.outputDimension), N = \(batch.contextCount) for \(shape)")
        loadModel(model)
        let B = batch.taskCount
        let chunks = (B + Self.chunkSize - 1) / Self.chunkSize
        reserveChunks(chunks, gradients: mode == .gradient)
        let perTaskWork = D * D * shape.tokensPerTask * shape.layers
        let workers = !parallel ? 1 : (!usesSIMD && perTaskWork > 1 << 20 ? 1 : min(chunks, ProcessInfo.processInfo.activeProcessorCount))
        while workspaces.count < workers {
            workspaces.append(TaskWorkspace(Dp: Dp, T: shape.tokensPerTask, K: shape.layers, H: shape.heads, dy: shape.outputDimension,
                                            paddedKeys: paddedKeys))
        }
        let job = ChunkJob(kernel: self, mode: mode, batch: batch, output: output, chunks: chunks)
        if workers == 1 {
            for c in 0..<chunks { job.process(chunk: c, workspace: workspaces[0]) }
        } else {
            let spaces = workspaces
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for c in stride(from: worker, to: chunks, by: workers) { job.process(chunk: c, workspace: spaces[worker]) }
            }
        }
        // Reduce in chunk order.
        var loss = 0.0
        for c in 0..<chunks { loss += chunkLosses[c] }
        loss /= Double(2 * B * shape.outputDimension)
        guard mode == .gradient else { return (loss, nil) }
        let width = gradientStride, half = width / 2
        var total = [Double](repeating: 0, count: width)
        for c in 0..<chunks {
            let acc = chunkGradients + c * width
            for i in 0..<width { total[i] += acc[i] }
        }
        var gradient = FoldedLSA(zerosLike: shape)
        for lh in 0..<(shape.layers * shape.heads) {
            for r in 0..<D {
                for col in 0..<D {
                    gradient.keyQuery[lh * D * D + r * D + col] = total[lh * Dp * Dp + r * Dp + col]
                    gradient.projectionValue[lh * D * D + r * D + col] = total[half + lh * Dp * Dp + r * Dp + col]
                }
            }
        }
        return (loss, gradient)
    }

    private func loadModel(_ model: FoldedLSA) {
        let count = shape.layers * shape.heads * Dp * Dp
        for p in [m, mt, v, vt] { p.update(repeating: 0, count: count) }
        for lh in 0..<(shape.layers * shape.heads) {
            for r in 0..<D {
                for c in 0..<D {
                    let x = model.keyQuery[lh * D * D + r * D + c]
                    m[lh * Dp * Dp + r * Dp + c] = x
                    mt[lh * Dp * Dp + c * Dp + r] = x
                    let y = model.projectionValue[lh * D * D + r * D + c]
                    v[lh * Dp * Dp + r * Dp + c] = y
                    vt[lh * Dp * Dp + c * Dp + r] = y
                }
            }
        }
    }

    /// Zeroed per-chunk loss slots, and gradient accumulators only when the call computes a
    /// gradient (a loss or prediction pass over many tasks needs none: 2W doubles a chunk).
    private func reserveChunks(_ chunks: Int, gradients: Bool) {
        if chunks > chunkCapacity {
            chunkLosses.deallocate()
            chunkLosses = .allocate(capacity: chunks)
            chunkCapacity = chunks
        }
        chunkLosses.initialize(repeating: 0, count: chunks)
        guard gradients else { return }
        if chunks > gradientCapacity {
            chunkGradients.deallocate()
            chunkGradients = .allocate(capacity: chunks * gradientStride)
            gradientCapacity = chunks
        }
        chunkGradients.initialize(repeating: 0, count: chunks * gradientStride)
    }

    /// One call's shared, read-only inputs and per-chunk outputs (each chunk writes only its own slots).
    private struct ChunkJob: @unchecked Sendable {
        let kernel: LSAKernel
        let mode: Mode
        let batch: TaskBatch
        let output: UnsafeMutablePointer<Double>?
        let chunks: Int

        func process(chunk c: Int, workspace: TaskWorkspace) {
            if kernel.usesSIMD { process(SIMDProducts.self, chunk: c, workspace: workspace) }
            else { process(BLASProducts.self, chunk: c, workspace: workspace) }
        }

        func process<P: TaskProducts>(_: P.Type, chunk c: Int, workspace w: TaskWorkspace) {
            let k = kernel, s = k.shape
            let pass = TaskPass<P>(D: k.D, Dp: k.Dp, d: s.inputDimension, dy: s.outputDimension, T: s.tokensPerTask,
                                   N: s.contextCount, keys: s.keyCount, K: s.layers, H: s.heads, clip: s.tokenClip,
                                   m: k.m, mt: k.mt, v: k.v, vt: k.vt, w: w)
            let B = batch.taskCount, dy = s.outputDimension, d = s.inputDimension, K = s.layers
            let first = c * LSAKernel.chunkSize, last = min(B, first + LSAKernel.chunkSize)
            let accumulator = k.chunkGradients + c * k.gradientStride
            let dM = accumulator, dV = accumulator + k.gradientStride / 2
            let scale = 1 / Double(B * dy)
            var lossSum = 0.0
            batch.tokens.withUnsafeBufferPointer { tokens in
            batch.targets.withUnsafeBufferPointer { targets in
                for b in first..<last {
                    pass.load(tokens.baseAddress! + b * s.tokensPerTask * k.D)
                    if case .forward(let association) = mode {
                        for l in 0..<K {
                            if association == .state { pass.forwardAllTokens(l, symmetricGram: true) } else { pass.forwardAllTokensAttention(l) }
                        }
                        let zK = pass.z(K), out = output! + b * s.tokensPerTask * k.D
                        for t in 0..<s.tokensPerTask { for col in 0..<k.D { out[t * k.D + col] = zK[t * k.Dp + col] } }
                        continue
                    }
                    for l in 0..<(K - 1) { pass.forwardAllTokens(l) }
                    pass.forwardQuery(readout: w.readout)
                    switch mode {
                    case .loss, .gradient:
                        for j in 0..<dy {
                            let residual = -w.readout[j] - targets[b * dy + j]
                            lossSum += residual * residual
                            w.upstream[j] = -residual * scale
                        }
                        guard mode == .gradient else { continue }
                        pass.maskClippedReadout(w.upstream, readout: w.readout)
                        pass.backwardQuery(w.upstream, dM: dM, dV: dV, needTokens: K > 1)
                        for l in stride(from: K - 2, through: 0, by: -1) { pass.backwardAllTokens(l, dM: dM, dV: dV) }
                    case .predictions:
                        for j in 0..<dy { output![b * dy + j] = -w.readout[j] }
                    case .sensitivities:
                        for j in 0..<dy {
                            for i in 0..<dy { w.upstream[i] = i == j ? -1 : 0 }
                            pass.maskClippedReadout(w.upstream, readout: w.readout)
                            pass.backwardQuery(w.upstream, dM: nil, dV: nil, needTokens: true)
                            for l in stride(from: K - 2, through: 0, by: -1) { pass.backwardAllTokens(l, dM: nil, dV: nil) }
                            let dq = w.delta + s.contextCount * k.Dp, out = output! + (b * dy + j) * d
                            for i in 0..<d { out[i] = dq[i] }
                        }
                    case .forward:
                        break
                    }
                }
            } }
            k.chunkLosses[c] = lossSum
        }
    }
}
