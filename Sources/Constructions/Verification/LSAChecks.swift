import Linalg

/// The two sides of the LSA = GD theorems, generic so the same code runs on `RunningError`
/// (the floating-point checks), `Rational` (the exact checks) and, in the tests, `Double` and
/// `Majorant`.
public enum LSASides {
    /// Tokens that `K` steps of GD predict: context `(x_i, y_i - (W_k - W_0) x_i)` and query
    /// `(x_q, -W_k x_q)`, i.e. the Proposition 1 readout `yhat = W_k x_q`.
    public static func expectedTokens<S>(_ task: RegressionTask<S>, initial w0: Matrix<S>, iterate wk: Matrix<S>) -> Matrix<S> {
        let labels = task.y - (wk - w0) * task.x
        return Matrix(blocks: [[task.x, task.xQuery], [labels, -(wk * task.xQuery)]])
    }

    /// LSA trajectory and GD trajectory over `layers` layers, each concatenated column-wise
    /// (block `k` = tokens after layer `k`). `preconditioned == false` uses `Gamma = I`.
    public static func multistep<S>(_ instance: LinearInstance<S>, layers: Int, preconditioned: Bool) -> (lsa: Matrix<S>, gd: Matrix<S>) {
        let task = instance.task, w0 = instance.initialWeights
        let etas = Array(instance.etas.prefix(layers))
        let gammas: [Matrix<S>?] = preconditioned ? Array(instance.preconditioners.prefix(layers)) : Array(repeating: nil, count: layers)
        let stack = LSAConstruction.multistep(initialWeights: w0, etas: etas, contextCount: task.contextCount, preconditioners: gammas)
        let lsa = stack.trajectory(task.tokens(initialWeights: w0), contextCount: task.contextCount)
        let iterates = GradientDescent.iterates(from: w0, x: task.x, y: task.y, etas: etas, preconditioners: gammas)
        let gd = iterates.map { expectedTokens(task, initial: w0, iterate: $0) }
        return (Matrix(blocks: [lsa]), Matrix(blocks: [gd]))
    }

    /// The induction step of `lsa-multistep`, once per layer: layer `k` of `stack` applied to the
    /// tokens of the GD iterate `W_{k-1}` (`input`) against the tokens of one GD step from
    /// `W_{k-1}` (`gd`), one triple per layer. Since the tokens after `k` layers are a function of
    /// `W_k` alone (`expectedTokens`), these `K` one-layer identities imply the `K`-layer one by
    /// induction. The iterates start at `W_0` and continue from `restart(W_k)`, where `W_k` is the
    /// step computed for the previous comparison: in floating point `restart` keeps its values as
    /// exact inputs, so each comparison carries the rounding of one layer and one step and does
    /// not compound it over the layers (the end-to-end trajectory's running-error bound grows like
    /// `|B_K| ... |B_1|` while its error grows like `|B_K ... B_1|`: median bound/error 25000 at K = 6).
    public static func inductionSteps<S>(_ instance: LinearInstance<S>, stack: LSAStack<S>, preconditioned: Bool,
                                         restart: (Matrix<S>) -> Matrix<S>) -> [(lsa: Matrix<S>, gd: Matrix<S>, input: Matrix<S>)] {
        let task = instance.task, w0 = instance.initialWeights
        var iterate = w0
        return stack.layers.enumerated().map { k, layer in
            let tokens = expectedTokens(task, initial: w0, iterate: iterate)
            let next = GradientDescent.step(iterate, x: task.x, y: task.y, eta: instance.etas[k],
                                            preconditioner: preconditioned ? instance.preconditioners[k] : nil)
            iterate = restart(next)
            return (layer(tokens, contextCount: task.contextCount), expectedTokens(task, initial: w0, iterate: next), tokens)
        }
    }

    /// GD++ layer versus the GD++ step applied to every token (context and query).
    public static func plusPlus<S>(_ instance: LinearInstance<S>) -> (lsa: Matrix<S>, gd: Matrix<S>) {
        let task = instance.task, w = instance.initialWeights
        let eta = instance.etas[0], gamma = instance.curvatureStep
        let tokens = task.tokens(initialWeights: w)
        let layer = LSAConstruction.plusPlus(weights: w, eta: eta, gamma: gamma, contextCount: task.contextCount)
        let d = task.inputDimension
        let points = tokens.block(rows: 0..<d, cols: 0..<tokens.cols)
        let labels = tokens.block(rows: d..<tokens.rows, cols: 0..<tokens.cols)
        let step = GradientDescent.plusPlusStep(w: w, x: task.x, y: task.y, eta: eta, gamma: gamma, points: points, labels: labels)
        return (layer(tokens, contextCount: task.contextCount), step.x.stacked(over: step.y))
    }

    /// Rounding counts (Higham's `k` in `gamma_k`) along the longest chain of each side.
    /// One layer in attention form: `W_K E`, `W_Q Z` (D each), `K^T Q` (D), `V S` (N), `P (.)` (D),
    /// `W_V E` (D), the residual and `eta/N`: `5D + N + 2`; in the state form `LSALayer` computes,
    /// `W_V E`, `W_K E` (D each), `V K^T` (N), `P (.)` (D), `W_Q Z` and the product with it (2D),
    /// the residual and `eta/N`: again at most `5D + N + 2`. In these constructions `W_V` has zero
    /// x-rows and `P` is diagonal, so the x-rows of every token are carried exactly and rounding
    /// errors live in the y-rows only; the scores read x-rows only and the values are linear in
    /// the y-rows, so a layer is *linear* in the perturbed part and errors add over layers:
    /// `k_l = k_{l-1} + (5D + N + 2)`.
    public static func lsaRoundings(tokenDimension D: Int, contextCount n: Int, layers: Int) -> Int {
        layers * (5 * D + n + 2)
    }

    /// One GD step `W - eta (1/N)(W X - Y) X^T Gamma`: `2d + N + 5`; the iterate map is
    /// linear in `W`, so errors add over steps; the tokens `y - (W_K - W_0) X` add `d + 2`.
    public static func gdRoundings(inputDimension d: Int, contextCount n: Int, steps: Int) -> Int {
        steps * (2 * d + n + 5) + d + 2
    }

    /// The induction steps compared on running-error scalars; the signal is the largest change
    /// one GD step makes to its input tokens.
    public static func inductionComparison(_ instance: LinearInstance<RunningError>, stack: LSAStack<RunningError>,
                                           preconditioned: Bool) -> CheckResult {
        let steps = inductionSteps(instance, stack: stack, preconditioned: preconditioned) { $0.map { RunningError(exact: $0.value) } }
        let signal = steps.reduce(0.0) { largest, step in
            zip(step.gd.elements, step.input.elements).reduce(largest) { Swift.max($0, Swift.abs($1.0.value - $1.1.value)) }
        }
        let results = steps.map { runningComparison($0.lsa, $0.gd, signal: signal) }
        return results.dropFirst().reduce(results[0]) { $0.merged(with: $1, exact: false) }
    }

    /// The largest change the reference makes to the initial tokens, tiled over the trajectory.
    public static func signal(_ reference: Matrix<Double>, initial: Matrix<Double>) -> Double {
        var largest = 0.0
        for i in 0..<reference.rows {
            for j in 0..<reference.cols { largest = max(largest, abs(reference[i, j] - initial[i, j % initial.cols])) }
        }
        return largest
    }
}

extension Verifier {
    func checkMultistep(_ instance: LinearInstance<Double>, layers: Int, preconditioned: Bool, exact: Bool) -> CheckResult {
        if exact {
            let sides = LSASides.multistep(instance.roundedExact, layers: layers, preconditioned: preconditioned)
            return exactComparison(sides.lsa, sides.gd)
        }
        // Floating point: the induction step of every layer on running-error scalars (values and
        // a bound on each entry's rounding error that follows this instance's magnitudes), each
        // from the previous step's computed iterate taken as an exact input.
        let running = instance.map { RunningError(exact: $0) }
        let stack = LSAConstruction.multistep(initialWeights: running.initialWeights, etas: Array(running.etas.prefix(layers)),
                                              contextCount: instance.task.contextCount,
                                              preconditioners: preconditioned ? Array(running.preconditioners.prefix(layers)) : Array(repeating: nil, count: layers))
        return LSASides.inductionComparison(running, stack: stack, preconditioned: preconditioned)
    }

    func checkPlusPlus(_ instance: LinearInstance<Double>, exact: Bool) -> CheckResult {
        if exact {
            let sides = LSASides.plusPlus(instance.roundedExact)
            return exactComparison(sides.lsa, sides.gd)
        }
        let sides = LSASides.plusPlus(instance.map { RunningError(exact: $0) })
        return runningComparison(sides.lsa, sides.gd,
                                 signal: LSASides.signal(sides.gd.map(\.value), initial: instance.task.tokens(initialWeights: instance.initialWeights)))
    }

    /// Proposition 2: a random MLP `m`, then the `lsa-gd` check on the features `m(x)`, and
    /// with `W_0 = 0` the LSA readout against the kernel smoother `(eta/N) sum_i y_i m(x_i)^T m(x_q)`.
    func checkFeatures(_ instance: LinearInstance<Double>, random: RandomSource, exact: Bool) -> CheckResult {
        let features = FeatureMap(inputDimension: instance.task.inputDimension, hidden: random.int(in: 4...32),
                                  features: random.int(in: sizes.inputDimension), random: random)
        var lifted = instance
        lifted.task = features.featurize(instance.task)
        lifted.initialWeights = random.gaussianMatrix(instance.task.outputDimension, features.featureDimension)
        let gdCheck = checkMultistep(lifted, layers: 1, preconditioned: false, exact: exact)

        var zero = lifted
        zero.initialWeights = .zeros(lifted.initialWeights.rows, lifted.initialWeights.cols)
        func kernelSides<S>(_ inst: LinearInstance<S>) -> (lsa: Matrix<S>, kernel: Matrix<S>) {
            let layer = LSAConstruction.gradientStep(initialWeights: inst.initialWeights, eta: inst.etas[0],
                                                     contextCount: inst.task.contextCount)
            let out = layer(inst.task.tokens(initialWeights: inst.initialWeights), contextCount: inst.task.contextCount)
            return (readout(out, inputDimension: inst.task.inputDimension), kernelSmoother(inst.task, eta: inst.etas[0]))
        }
        let kernelCheck: CheckResult
        if exact {
            let sides = kernelSides(zero.roundedExact)
            kernelCheck = exactComparison(sides.lsa, sides.kernel)
        } else {
            let sides = kernelSides(zero.map { RunningError(exact: $0) })
            kernelCheck = runningComparison(sides.lsa, sides.kernel, signal: sides.kernel.map(\.value).maxAbs)
        }
        return gdCheck.merged(with: kernelCheck, exact: exact)
    }
}
