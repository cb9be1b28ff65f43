import _TestSupport
import Constructions
import Linalg
import PropertyBased
import Testing

/// `lsa-multistep`: K layers (per-layer eta_k, Gamma_k, W_V carrying the initial W_0) reproduce
/// K steps of preconditioned GD; the comparison covers the tokens after every layer, so the
/// query's whole trajectory -W_k x_q is checked.
@Suite struct LSAMultistepTests {
    @Test func doubleWithinDerivedBound() async { await checkTheorem(.lsaMultistep, exact: false, count: floatingPointInstances) }
    @Test func exactRational() async { await checkTheorem(.lsaMultistep, exact: true, count: exactInstances) }

    /// The floating-point check's induction steps follow GD: in exact arithmetic (`restart` the
    /// identity), step `k` starts from the tokens of the GD iterate `W_{k-1}`, its GD side is the
    /// tokens of `W_k`, and its LSA side equals them; the last step's side is the whole
    /// trajectory's last block.
    @Test func inductionStepsFollowTheGDIterates() async {
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            let instance = LinearInstance.random(RandomSource(seed: seed), sizes: .standard, preconditioned: true).roundedExact
            let task = instance.task, k = instance.etas.count, w0 = instance.initialWeights
            let stack = LSAConstruction.multistep(initialWeights: w0, etas: instance.etas, contextCount: task.contextCount,
                                                  preconditioners: instance.preconditioners)
            let steps = LSASides.inductionSteps(instance, stack: stack, preconditioned: true) { $0 }
            let iterates = [w0] + GradientDescent.iterates(from: w0, x: task.x, y: task.y, etas: instance.etas,
                                                           preconditioners: instance.preconditioners)
            #expect(steps.count == k)
            for (j, step) in steps.enumerated() {
                #expect(step.input == LSASides.expectedTokens(task, initial: w0, iterate: iterates[j]), "seed \(seed), step \(j)")
                #expect(step.gd == LSASides.expectedTokens(task, initial: w0, iterate: iterates[j + 1]), "seed \(seed), step \(j)")
                #expect(step.lsa == step.gd, "seed \(seed), step \(j)")
            }
            let trajectory = stack.trajectory(task.tokens(initialWeights: w0), contextCount: task.contextCount)
            #expect(steps.last!.lsa == trajectory.last!)
        }
    }

    /// REFERENCE.md's "W_V built from the current iterate" read literally — layer k carrying W_{k-1}
    /// while the tokens already carry y_i - (W_{k-1} - W_0) x_i — counts the progress twice and is
    /// not GD from the second layer on (exact arithmetic, K >= 2). Its value rows give the residual
    /// (2 W_{k-1} - W_0) x_i - y_i in place of W_{k-1} x_i - y_i, so layer k adds
    /// `D_k = (eta_k / N) (W_{k-1} - W_0) X X^T Gamma_k` times each token's x to its y rows on top of
    /// the GD step. Layers whose `D_k` vanishes on the tokens' x (for instance a preconditioner
    /// rounded to zero) agree with GD; at the first layer where it does not, the tokens leave GD's by
    /// exactly that term.
    @Test func currentIterateInValuesDoubleCounts() async {
        let departures = Counter()
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            var sizes = SizeRanges.standard
            sizes.layers = 2...6
            let instance = LinearInstance.random(RandomSource(seed: seed), sizes: sizes, preconditioned: true).roundedExact
            let task = instance.task, k = instance.etas.count, w0 = instance.initialWeights
            let iterates = [w0] + GradientDescent.iterates(from: w0, x: task.x, y: task.y,
                                                           etas: instance.etas, preconditioners: instance.preconditioners)
            let stack = LSAStack(layers: (0..<k).map {
                LSAConstruction.gradientStep(initialWeights: iterates[$0], eta: instance.etas[$0], contextCount: task.contextCount,
                                             preconditioner: instance.preconditioners[$0])
            })
            let trajectory = stack.trajectory(task.tokens(initialWeights: w0), contextCount: task.contextCount)
            let allX = Matrix(blocks: [[task.x, task.xQuery]])
            let zeroX = Matrix<Rational>.zeros(task.inputDimension, task.contextCount + 1)
            let extras = (0..<k).map { j in
                (instance.etas[j] / Rational(task.contextCount)) * (iterates[j] - w0) * task.x * task.x.transposed
                    * instance.preconditioners[j] * allX
            }
            let gdTokens = iterates.dropFirst().map { LSASides.expectedTokens(task, initial: w0, iterate: $0) }
            guard let first = extras.firstIndex(where: { $0 != .zeros(task.outputDimension, task.contextCount + 1) }) else {
                #expect(trajectory.last! == gdTokens.last!, "seed \(seed)")
                return
            }
            #expect(first >= 1, "seed \(seed): the first layer carries W_0 and is GD")
            #expect(trajectory[first - 1] == gdTokens[first - 1], "seed \(seed): the layers before \(first + 1) are GD")
            #expect(trajectory[first] - gdTokens[first] == Matrix(blocks: [[zeroX], [extras[first]]]), "seed \(seed)")
            departures.add()
        }
        // Not vacuous: most instances leave GD (the rest have every later preconditioner rounded to 0).
        #expect(departures.value >= 50, "\(departures.value) of 100 instances left GD")
    }
}
