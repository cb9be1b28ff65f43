import Linalg

/// A random dual-form instance: a linear layer, `T` mini-batches, the optimizer settings and
/// `M` query inputs.
public struct DualFormInstance<S: FieldScalar>: Sendable {
    public var initialWeights: Matrix<S>
    public var batches: [DualForm.Batch<S>]
    public var settings: DualForm.Settings<S>
    public var queries: Matrix<S>

    public func map<T: FieldScalar>(_ f: (S) -> T) -> DualFormInstance<T> {
        DualFormInstance<T>(
            initialWeights: initialWeights.map(f),
            batches: batches.map { .init(x: $0.x.map(f), y: $0.y.map(f)) },
            settings: .init(etas: settings.etas.map(f), weightDecay: f(settings.weightDecay), momentum: f(settings.momentum),
                            clipNorm: settings.clipNorm, loss: settings.loss),
            queries: queries.map(f))
    }

    /// Both sides: the trained layer applied to the queries, `W_T x`, and the dual form
    /// `a_T W_0 x + LinearAttn`, sharing the output gradients the training run produced.
    public func sides(replaying replay: DualForm.Record<S>? = nil) -> (primal: Matrix<S>, dual: Matrix<S>, record: DualForm.Record<S>) {
        let record = DualForm.train(from: initialWeights, batches: batches, settings: settings, replaying: replay)
        let dual = DualForm.attention(initialWeights: initialWeights, batches: batches, record: record,
                                      settings: settings, query: queries)
        return (record.finalWeights * queries, dual, record)
    }
}

extension DualFormInstance where S == Double {
    /// `d`, `d_y` from `sizes`, `T` from `sizes.layers`, batch size `B ~ U{1..8}`, `M = 4` queries;
    /// cross-entropy (one-hot targets) with probability 1/2 when `d_y >= 2`, else MSE; weight
    /// decay, momentum and clipping each switched on with probability 1/2.
    public static func random(_ random: RandomSource, sizes: SizeRanges) -> DualFormInstance<Double> {
        let d = random.int(in: sizes.inputDimension), dy = random.int(in: sizes.outputDimension)
        let steps = random.int(in: sizes.layers), b = random.int(in: 1...8)
        let loss: DualForm.Loss = dy >= 2 && random.uniform() < 0.5 ? .softmaxCrossEntropy : .meanSquared
        let batches = (0..<steps).map { _ -> DualForm.Batch<Double> in
            let x = random.gaussianMatrix(d, b)
            let y = loss == .meanSquared
                ? random.gaussianMatrix(dy, b)
                : oneHot(classes: (0..<b).map { _ in random.int(in: 0...(dy - 1)) }, count: dy)
            return .init(x: x, y: y)
        }
        let settings = DualForm.Settings<Double>(
            etas: (0..<steps).map { _ in random.uniform(in: 0.05..<0.5) },
            weightDecay: random.uniform() < 0.5 ? random.uniform(in: 0.001..<0.1) : 0,
            momentum: random.uniform() < 0.5 ? random.uniform(in: 0.1..<0.9) : 0,
            clipNorm: random.uniform() < 0.5 ? random.uniform(in: 0.1..<2) : nil,
            loss: loss)
        return DualFormInstance(initialWeights: random.gaussianMatrix(dy, d), batches: batches, settings: settings,
                                queries: random.gaussianMatrix(d, 4))
    }

    /// Entries rounded to multiples of `1/16` as exact rationals (one-hot targets stay exact).
    public var roundedExact: DualFormInstance<Rational> { map(roundedToSixteenths) }
}

/// One-hot columns: column `j` has a 1 in row `classes[j]`.
public func oneHot(classes: [Int], count: Int) -> Matrix<Double> {
    Matrix(rows: count, cols: classes.count) { i, j in classes[j] == i ? 1 : 0 }
}

extension Verifier {
    /// Floating point: both sides on `RunningError` scalars, the output gradients and clipping
    /// factors of the Double training run replayed as exact data.
    func checkDualForm(_ instance: DualFormInstance<Double>, exact: Bool) -> CheckResult {
        if exact {
            let sides = instance.roundedExact.sides()
            return exactComparison(sides.primal, sides.dual)
        }
        // The training run in Double gives the output gradients and clipping factors (softmax
        // and norms are not field operations); both sides then replay them as exact data on
        // running-error scalars: for given gradients the identity is exact (linear in them).
        let sides = instance.sides()
        func exactly(_ m: Matrix<Double>) -> Matrix<RunningError> { m.map { RunningError(exact: $0) } }
        let running = instance.map { RunningError(exact: $0) }
            .sides(replaying: DualForm.Record(finalWeights: exactly(sides.record.finalWeights),
                                              outputGradients: sides.record.outputGradients.map(exactly),
                                              clipFactors: sides.record.clipFactors.map { RunningError(exact: $0) }))
        let learned = sides.primal - instance.initialWeights * instance.queries
        return runningComparison(running.primal, running.dual, signal: learned.maxAbs)
    }
}
