import ArgumentParser
import Experiments
import Foundation
import Optim
import Training

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a linear self-attention model on in-context linear regression.",
        discussion: """
        K layers of H heads (W_K, W_Q, W_V, P per head, or the reduced GD++ form), tokens (x, y), the query (x_q, 0) excluded from keys and values unless --query-in-context; loss = half mean squared error of the prediction -y_q after the last layer. Each step draws --batch fresh tasks (W ~ N(0, I), x ~ U(-r/2, r/2)^d or N(0, I), labels W x + noise) from a Philox stream addressed by (--seed, step), so a run is reproducible bit for bit and --resume continues it exactly. Initialisation: the paper's variance scaling 0.002/K.

        DIR gets config.json, metrics.jsonl (step, loss, gradientNorm, learningRate, seconds), checkpoint/model.safetensors (F64 tensors layers.{k}.heads.{h}.W_K|W_Q|W_V|P, tokens as columns), checkpoint/state.json (optimiser state, step, config) every --checkpoint-every steps, run.json (the run's id and cadence), and summary.json. DIR appears whole (staged beside it, then renamed) and each checkpoint replaces the last as one directory, so its files are always of one step; a process writing DIR holds a lock on DIR/.lock, and a second writer is refused (exit 1, naming its pid). A new run needs a new or empty DIR.

        With --resume the run's settings come from its checkpoint and run.json (--checkpoint-every and --log-every included); a run setting given with --resume must equal the run's (exit 2 otherwise), and --steps may extend the run but not shorten it. A checkpoint of another run (another run id, or a config unlike DIR/config.json) is refused. An option the chosen optimiser, schedule or inputs would not use (--momentum without sgd, --beta1/--beta2 with sgd, --weight-decay with adam, --warmup without cosine, --width with gaussian inputs) is refused.

        Progress (step, loss, steps/s, ETA) goes to stderr. A NaN or infinite loss stops the run with the step and the last finite loss (exit 1); the last checkpoint stays. A write that fails (a full disk) exits 1 with the path and the OS's reason; the run stays resumable from its last checkpoint.

        Examples:
          icl train --out runs/a      (von Oswald's setting: d = N = 10, one layer)
          icl train --layers 3 --lr 5e-4 --steps 20000 --out runs/b
          icl train --out runs/b --resume
          icl train --input gaussian --d 5 --N 20 --optimizer sgd --lr 0.05 \\
            --momentum 0.9 --out runs/c
        Several seeds, one process each (then `icl aggregate runs/s*/summary.json`):
          parallel 'icl train --seed {} --out runs/s{} --json > /dev/null' ::: 1 2 3 4
          sbatch --array=1-4 --wrap \\
            'icl train --seed $SLURM_ARRAY_TASK_ID --out runs/s$SLURM_ARRAY_TASK_ID'
        """)

    // Run settings are optional so that `--resume` can tell a given option from a default.
    @Option(parsing: .unconditional, help: "Layers K (>= 1; default 1).") var layers: Int?
    @Option(parsing: .unconditional, help: "Heads per layer H (>= 1; default 1).") var heads: Int?
    @Option(name: .customLong("d"), parsing: .unconditional, help: "Input dimension d (>= 1; default 10).") var inputDimension: Int?
    @Option(name: .customLong("N"), parsing: .unconditional, help: "Context examples per task N (>= 1; default 10).") var contextCount: Int?
    @Option(name: .customLong("dy"), parsing: .unconditional, help: "Output dimension d_y (>= 1; default 1).") var outputDimension: Int?
    @Option(help: "Inputs: uniform on (-r/2, r/2)^d or gaussian N(0, I) (default uniform).") var input: InputKind?
    @Option(parsing: .unconditional, help: "r, the width of the uniform inputs (> 0; default 1; only with --input uniform).") var width: Real?
    @Option(parsing: .unconditional, help: "Label noise standard deviation (>= 0; default 0).") var noise: Real?
    @Option(help: "Weights: full (W_K, W_Q, W_V, P) or gd-plus-plus (Gamma, Omega, rho) (default full).") var parameterization: Parameterization?
    @Flag(help: "One set of weights shared by all layers.") var shared = false
    @Flag(help: "Make the query a key and a value too.") var queryInContext = false

    @Option(help: "Optimiser (default adam).") var optimizer: OptimizerConfig.Kind?
    @Option(parsing: .unconditional, help: "Learning rate (peak rate for --schedule cosine; > 0; default 1e-3).") var lr: Real?
    @Option(help: "Learning-rate schedule: constant, or cosine (linear warm-up for --warmup steps from 0, then cosine decay to 1% of --lr) (default constant).")
    var schedule: ScheduleKind?
    @Option(parsing: .unconditional, help: "Warm-up steps of the cosine schedule (>= 0, below --steps; default 0; only with --schedule cosine).") var warmup: Int?
    @Option(parsing: .unconditional, help: "Adam's beta1 in [0, 1) (default 0.9; only with adam or adamw).") var beta1: Real?
    @Option(parsing: .unconditional, help: "Adam's beta2 in [0, 1) (default 0.999; only with adam or adamw).") var beta2: Real?
    @Option(name: .customLong("weight-decay"), parsing: .unconditional, help: "AdamW's decoupled or SGD's coupled weight decay (>= 0; AdamW default 1e-4, SGD 0; not with adam).")
    var weightDecay: Real?
    @Option(parsing: .unconditional, help: "SGD momentum (>= 0; default 0; only with sgd).") var momentum: Real?
    @Option(parsing: .unconditional, help: "Clip the gradient's global norm to this (> 0; default: no clipping).") var clip: Real?

    @Option(parsing: .unconditional, help: "Tasks per step (>= 1; default 2048).") var batch: Int?
    @Option(parsing: .unconditional, help: "Training steps (>= 1, default 5000; with --resume: the run's length, or more to extend it).") var steps: Int?
    @Option(parsing: .unconditional, help: "Seed of the initialisation and of every batch (default 1).") var seed: UInt64?
    @Option(name: .customLong("checkpoint-every"), parsing: .unconditional, help: "Steps between checkpoints (default: a tenth of the run; kept by --resume).") var checkpointEvery: Int?
    @Option(name: .customLong("log-every"), parsing: .unconditional, help: "Steps between metrics lines (default: a thousandth of the run; kept by --resume).") var logEvery: Int?
    @Option(help: "Run directory.") var out: String
    @Flag(help: "Continue the run in --out from its checkpoint, with its settings; a run setting given with it must equal the run's.") var resume = false
    @Flag(help: "Print the summary as JSON.") var json = false

    func validate() throws {
        for (flag, value) in [("--layers", layers), ("--heads", heads), ("--d", inputDimension), ("--N", contextCount), ("--dy", outputDimension), ("--batch", batch)] {
            if let value { guard value >= 1 else { throw ValidationError("\(flag) must be at least 1, got \(value)") } }
        }
        if let steps { guard steps >= 1 && steps < Int(UInt32.max) else { throw ValidationError("--steps must be in 1...\(UInt32.max - 1), got \(steps)") } }
        if let lr { guard lr.value > 0 else { throw ValidationError("--lr must be a positive number, got \(lr.value)") } }
        if let width { guard width.value > 0 else { throw ValidationError("--width must be positive, got \(width.value)") } }
        if let noise { guard noise.value >= 0 else { throw ValidationError("--noise must be >= 0, got \(noise.value)") } }
        for (flag, beta) in [("--beta1", beta1), ("--beta2", beta2)] {
            if let beta { guard (0..<1).contains(beta.value) else { throw ValidationError("\(flag) must be in [0, 1), got \(beta.value)") } }
        }
        if let weightDecay { guard weightDecay.value >= 0 else { throw ValidationError("--weight-decay must be >= 0") } }
        if let momentum { guard momentum.value >= 0 else { throw ValidationError("--momentum must be >= 0") } }
        if let clip { guard clip.value > 0 else { throw ValidationError("--clip must be positive, got \(clip.value)") } }
        if let warmup { guard warmup >= 0 else { throw ValidationError("--warmup must be >= 0") } }
        if let checkpointEvery { guard checkpointEvery >= 1 else { throw ValidationError("--checkpoint-every must be at least 1") } }
        if let logEvery { guard logEvery >= 1 else { throw ValidationError("--log-every must be at least 1") } }
        if !resume { try validateModes(optimizer: optimizer ?? .adam, schedule: schedule ?? .constant, input: input ?? .uniform) }
        if !resume, schedule == .cosine, let warmup { guard warmup < (steps ?? 5000) else { throw ValidationError("--warmup must be below --steps") } }
    }

    /// An option that the chosen optimiser, schedule or inputs would not use is refused, naming
    /// what would use it.
    func validateModes(optimizer: OptimizerConfig.Kind, schedule: ScheduleKind, input: InputKind) throws {
        if warmup != nil && schedule == .constant { throw ValidationError("--warmup is used by --schedule cosine only; the schedule is constant") }
        if momentum != nil && optimizer != .sgd { throw ValidationError("--momentum is used by --optimizer sgd only; the optimiser is \(optimizer.rawValue)") }
        for (flag, value) in [("--beta1", beta1), ("--beta2", beta2)] where value != nil && optimizer == .sgd {
            throw ValidationError("\(flag) is used by --optimizer adam or adamw only; the optimiser is sgd")
        }
        if weightDecay != nil && optimizer == .adam { throw ValidationError("--weight-decay is used by --optimizer adamw or sgd only; adam has no weight decay") }
        if width != nil && input == .gaussian { throw ValidationError("--width is used by --input uniform only; the inputs are gaussian") }
    }

    func run() throws {
        let d = inputDimension ?? 10, dy = outputDimension ?? 1, n = contextCount ?? 10
        let batchSize = batch ?? 2048, kind = optimizer ?? .adam, inputKind = input ?? .uniform
        let model = LSAModelConfig(inputDimension: d, outputDimension: dy, contextCount: n, layers: layers ?? 1, heads: heads ?? 1,
                                   sharedLayers: shared, parameterization: parameterization ?? .full, queryInContext: queryInContext)
        // Sizes beyond the machine are refused before anything is allocated (a resumed run is
        // checked against its checkpoint's sizes once that is read).
        if !resume {
            do { try TrainRequest.estimate(model: model, gaussianInputs: inputKind == .gaussian, batchSize: batchSize).check(maxSeconds: .infinity) } catch {
                throw InputError("--layers \(model.layers) --heads \(model.heads) --d \(d) --dy \(dy) --N \(n) --batch \(batchSize)\(inputKind == .gaussian ? " --input gaussian" : ""): \(error)")
            }
        }
        let totalSteps = steps ?? 5000, rate = lr?.value ?? 1e-3
        let inputs: TaskDistribution.Inputs = inputKind == .uniform ? .uniform(width: width?.value ?? 1) : .gaussian(covariance: identity(d))
        let scheduleValue: Schedule = (schedule ?? .constant) == .constant ? .constant(value: rate)
            : .warmupCosineDecay(initialValue: 0, peakValue: rate, warmupSteps: warmup ?? 0, decaySteps: totalSteps, endValue: rate / 100)
        let decay = weightDecay?.value ?? (kind == .adamw ? 1e-4 : 0)
        let config = LSATrainingConfig(
            model: model,
            tasks: TaskDistribution(inputDimension: d, outputDimension: dy, contextCount: n, inputs: inputs, noise: noise?.value ?? 0),
            optimizer: OptimizerConfig(kind: kind, schedule: scheduleValue, beta1: beta1?.value ?? 0.9, beta2: beta2?.value ?? 0.999,
                                       weightDecay: decay, momentum: momentum?.value ?? 0, clipNorm: clip?.value),
            batchSize: batchSize, steps: totalSteps, seed: seed ?? 1)
        var request = TrainRequest(config: config, directory: out, checkpointEvery: checkpointEvery, logEvery: logEvery, resume: resume)
        if resume {
            request.config.steps = steps ?? 0
            let run: ResumableRun
            do { run = try TrainRun.inspect(directory: out) } catch { throw trainRunFailure(error) }
            try checkResume(against: run)
        }
        let display = ProgressDisplay()
        defer { display.finish() }
        let report: TrainReport
        do { report = try TrainRun.run(request, progress: display.show) }
        catch let error as TrainRunError { throw trainRunFailure(error) }
        catch let error as OutputError { throw outputFailure("--out", error) }
        catch let error as TrainingError {
            writeToStandardError("error: \(error)")
            throw ExitCode(1)
        }
        try emit(report, json: json, text: report.text)
    }

    /// Exit 2 when the request does not fit the directory, 1 when another process writes the
    /// run or a file cannot be read or written.
    func trainRunFailure(_ error: TrainRunError) -> any Error {
        let message = "--out: \(error)" + (error.existingRun ? ": add --resume to continue it, or choose another --out" : "")
        return error.cause == .input ? InputError(message) : RunFailure(message)
    }

    func identity(_ d: Int) -> [Double] { (0..<(d * d)).map { $0 / d == $0 % d ? 1 : 0 } }
}

extension Train {
    /// `--resume` takes the run's settings: a run setting given with it must equal the run's
    /// (so the same command line resumes), `--steps` may extend the run but not shorten it, and
    /// an option the run's optimiser, schedule or inputs would not use is refused as for a new run.
    func checkResume(against run: ResumableRun) throws {
        let c = run.config
        var conflicts: [String] = []
        func check<T: Equatable>(_ flag: String, _ given: T?, _ value: T, _ show: (T) -> String = { "\($0)" }) {
            if let given, given != value { conflicts.append("\(flag) \(show(given)) (the run has \(show(value)))") }
        }
        let gaussian: Bool, runWidth: Double?
        switch c.tasks.inputs {
        case .uniform(let w): (gaussian, runWidth) = (false, w)
        case .gaussian: (gaussian, runWidth) = (true, nil)
        }
        let runSchedule: ScheduleKind, runRate: Double, runWarmup: Int
        switch c.optimizer.schedule {
        case .constant(let v): (runSchedule, runRate, runWarmup) = (.constant, v, 0)
        case let .warmupCosineDecay(_, peak, warm, _, _): (runSchedule, runRate, runWarmup) = (.cosine, peak, warm)
        @unknown default: (runSchedule, runRate, runWarmup) = (.constant, .nan, 0)
        }
        check("--layers", layers, c.model.layers)
        check("--heads", heads, c.model.heads)
        check("--d", inputDimension, c.model.inputDimension)
        check("--N", contextCount, c.model.contextCount)
        check("--dy", outputDimension, c.model.outputDimension)
        check("--input", input, gaussian ? .gaussian : .uniform) { $0.rawValue }
        if let runWidth { check("--width", width?.value, runWidth) }
        check("--noise", noise?.value, c.tasks.noise)
        check("--parameterization", parameterization, c.model.parameterization) { $0.rawValue }
        if shared && !c.model.sharedLayers { conflicts.append("--shared (the run's layers are not shared)") }
        if queryInContext && !c.model.queryInContext { conflicts.append("--query-in-context (the run's query is not in context)") }
        check("--optimizer", optimizer, c.optimizer.kind) { $0.rawValue }
        check("--lr", lr?.value, runRate)
        check("--schedule", schedule, runSchedule) { $0.rawValue }
        if runSchedule == .cosine { check("--warmup", warmup, runWarmup) }
        if c.optimizer.kind != .sgd { check("--beta1", beta1?.value, c.optimizer.beta1); check("--beta2", beta2?.value, c.optimizer.beta2) }
        if c.optimizer.kind != .adam { check("--weight-decay", weightDecay?.value, c.optimizer.weightDecay) }
        if c.optimizer.kind == .sgd { check("--momentum", momentum?.value, c.optimizer.momentum) }
        if let clip, clip.value != c.optimizer.clipNorm {
            conflicts.append("--clip \(clip.value) (the run has \(c.optimizer.clipNorm.map { "\($0)" } ?? "no clipping"))")
        }
        check("--batch", batch, c.batchSize)
        check("--seed", seed, c.seed)
        if let every = run.checkpointEvery { check("--checkpoint-every", checkpointEvery, every) }
        else if let checkpointEvery { conflicts.append("--checkpoint-every \(checkpointEvery) (the run uses the default, a tenth of its length)") }
        if let every = run.logEvery { check("--log-every", logEvery, every) }
        else if let logEvery { conflicts.append("--log-every \(logEvery) (the run uses the default, a thousandth of its length)") }
        if let first = conflicts.first {
            throw InputError("--resume continues the run in '\(out)' with its own settings: \(first)"
                             + (conflicts.count > 1 ? " and \(conflicts.count - 1) more" : "") + "; drop the option or choose another --out")
        }
        try validateModes(optimizer: c.optimizer.kind, schedule: runSchedule, input: gaussian ? .gaussian : .uniform)
        if let steps, steps < c.steps {
            throw InputError("--steps \(steps) with --resume: the run has \(c.steps) steps (checkpoint at step \(run.step)); a run can be extended, not shortened")
        }
    }
}
