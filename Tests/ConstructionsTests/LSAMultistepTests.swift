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
    /// not GD from the second layer on (exact arithmetic, K >= 2).
    @Test func currentIterateInValuesDoubleCounts() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            var sizes = SizeRanges.standard
            sizes.layers = 2...6
            let instance = LinearInstance.random(RandomSource(seed: seed), sizes: sizes, preconditioned: true).roundedExact
            let task = instance.task, k = instance.etas.count
            let iterates = GradientDescent.iterates(from: instance.initialWeights, x: task.x, y: task.y,
                                                    etas: instance.etas, preconditioners: instance.preconditioners)
            let previous = [instance.initialWeights] + iterates.dropLast()
            let stack = LSAStack(layers: (0..<k).map {
                LSAConstruction.gradientStep(initialWeights: previous[$0], eta: instance.etas[$0], contextCount: task.contextCount,
                                             preconditioner: instance.preconditioners[$0])
            })
            let out = stack(task.tokens(initialWeights: instance.initialWeights), contextCount: task.contextCount)
            let expected = LSASides.expectedTokens(task, initial: instance.initialWeights, iterate: iterates.last!)
            let right = LSASides.multistep(instance, layers: k, preconditioned: true)
            #expect(right.lsa == right.gd)
            // The second step's gradient is nonzero unless the first step already fit the data.
            if GradientDescent.gradient(iterates[0], x: task.x, y: task.y) != .zeros(task.outputDimension, task.inputDimension) {
                #expect(out != expected, "seed \(seed)")
            }
        }
    }
}
