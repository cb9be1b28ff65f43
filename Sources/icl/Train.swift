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

        DIR gets config.json, metrics.jsonl (step, loss, gradientNorm, learningRate, seconds), checkpoint/model.safetensors (F64 tensors layers.{k}.heads.{h}.W_K|W_Q|W_V|P, tokens as columns), checkpoint/state.json (optimiser state, step, config) every --checkpoint-every steps, and summary.json; all written atomically. With --resume the run's settings come from DIR/checkpoint/state.json (a larger --steps extends it).

        Progress (step, loss, steps/s, ETA) goes to stderr. A NaN or infinite loss stops the run with the step and the last finite loss (exit 1); the last checkpoint stays.

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

    @Option(parsing: .unconditional, help: "Layers K (>= 1).") var layers: Int = 1
    @Option(parsing: .unconditional, help: "Heads per layer H (>= 1).") var heads: Int = 1
    @Option(name: .customLong("d"), parsing: .unconditional, help: "Input dimension d (>= 1).") var inputDimension: Int = 10
    @Option(name: .customLong("N"), parsing: .unconditional, help: "Context examples per task N (>= 1).") var contextCount: Int = 10
    @Option(name: .customLong("dy"), parsing: .unconditional, help: "Output dimension d_y (>= 1).") var outputDimension: Int = 1
    @Option(help: "Inputs: uniform on (-r/2, r/2)^d or gaussian N(0, I).") var input: InputKind = .uniform
    @Option(parsing: .unconditional, help: "r, the width of the uniform inputs (> 0).") var width = Real(1)
    @Option(parsing: .unconditional, help: "Label noise standard deviation (>= 0).") var noise = Real(0)
    @Option(help: "Weights: full (W_K, W_Q, W_V, P) or gd-plus-plus (Gamma, Omega, rho).") var parameterization: Parameterization = .full
    @Flag(help: "One set of weights shared by all layers.") var shared = false
    @Flag(help: "Make the query a key and a value too.") var queryInContext = false

    @Option(help: "Optimiser.") var optimizer: OptimizerConfig.Kind = .adam
    @Option(parsing: .unconditional, help: "Learning rate (peak rate for --schedule cosine; > 0).") var lr = Real(1e-3)
    @Option(help: "Learning-rate schedule: constant, or cosine (linear warm-up for --warmup steps from 0, then cosine decay to 1% of --lr).")
    var schedule: ScheduleKind = .constant
    @Option(parsing: .unconditional, help: "Warm-up steps of the cosine schedule (>= 0).") var warmup: Int = 0
    @Option(parsing: .unconditional, help: "Adam's beta1 in [0, 1).") var beta1 = Real(0.9)
    @Option(parsing: .unconditional, help: "Adam's beta2 in [0, 1).") var beta2 = Real(0.999)
    @Option(name: .customLong("weight-decay"), parsing: .unconditional, help: "AdamW's decoupled or SGD's coupled weight decay (>= 0; AdamW default 1e-4).")
    var weightDecay: Real?
    @Option(parsing: .unconditional, help: "SGD momentum (>= 0).") var momentum = Real(0)
    @Option(parsing: .unconditional, help: "Clip the gradient's global norm to this (> 0; default: no clipping).") var clip: Real?

    @Option(parsing: .unconditional, help: "Tasks per step (>= 1).") var batch: Int = 2048
    @Option(parsing: .unconditional, help: "Training steps (>= 1, default 5000).") var steps: Int?
    @Option(parsing: .unconditional, help: "Seed of the initialisation and of every batch.") var seed: UInt64 = 1
    @Option(name: .customLong("checkpoint-every"), parsing: .unconditional, help: "Steps between checkpoints (default: a tenth of the run).") var checkpointEvery: Int?
    @Option(name: .customLong("log-every"), parsing: .unconditional, help: "Steps between metrics lines (default: a thousandth of the run).") var logEvery: Int?
    @Option(help: "Run directory.") var out: String
    @Flag(help: "Continue the run in --out from its checkpoint.") var resume = false
    @Flag(help: "Print the summary as JSON.") var json = false

    func validate() throws {
        for (flag, value) in [("--layers", layers), ("--heads", heads), ("--d", inputDimension), ("--N", contextCount), ("--dy", outputDimension), ("--batch", batch)] {
            guard value >= 1 else { throw ValidationError("\(flag) must be at least 1, got \(value)") }
        }
        if let steps { guard steps >= 1 && steps < Int(UInt32.max) else { throw ValidationError("--steps must be in 1...\(UInt32.max - 1), got \(steps)") } }
        guard lr.value > 0 else { throw ValidationError("--lr must be a positive number, got \(lr.value)") }
        guard width.value > 0 else { throw ValidationError("--width must be positive, got \(width.value)") }
        guard noise.value >= 0 else { throw ValidationError("--noise must be >= 0, got \(noise.value)") }
        guard (0..<1).contains(beta1.value), (0..<1).contains(beta2.value) else { throw ValidationError("--beta1 and --beta2 must be in [0, 1)") }
        if let weightDecay { guard weightDecay.value >= 0 else { throw ValidationError("--weight-decay must be >= 0") } }
        guard momentum.value >= 0 else { throw ValidationError("--momentum must be >= 0") }
        if let clip { guard clip.value > 0 else { throw ValidationError("--clip must be positive, got \(clip.value)") } }
        guard warmup >= 0 else { throw ValidationError("--warmup must be >= 0") }
        if let checkpointEvery { guard checkpointEvery >= 1 else { throw ValidationError("--checkpoint-every must be at least 1") } }
        if let logEvery { guard logEvery >= 1 else { throw ValidationError("--log-every must be at least 1") } }
        if schedule == .cosine { guard warmup < (steps ?? 5000) else { throw ValidationError("--warmup must be below --steps") } }
    }

    func run() throws {
        let totalSteps = steps ?? 5000
        let d = inputDimension, dy = outputDimension, n = contextCount
        let model = LSAModelConfig(inputDimension: d, outputDimension: dy, contextCount: n, layers: layers, heads: heads,
                                   sharedLayers: shared, parameterization: parameterization, queryInContext: queryInContext)
        // Sizes beyond the machine are refused before anything is allocated (a resumed run is
        // checked against its checkpoint's sizes once that is read).
        if !resume {
            do { try TrainRequest.estimate(model: model, gaussianInputs: input == .gaussian, batchSize: batch).check(maxSeconds: .infinity) } catch {
                throw InputError("--layers \(layers) --heads \(heads) --d \(d) --dy \(dy) --N \(n) --batch \(batch)\(input == .gaussian ? " --input gaussian" : ""): \(error)")
            }
        }
        let inputs: TaskDistribution.Inputs = input == .uniform ? .uniform(width: width.value) : .gaussian(covariance: identity(d))
        let scheduleValue: Schedule = schedule == .constant ? .constant(value: lr.value)
            : .warmupCosineDecay(initialValue: 0, peakValue: lr.value, warmupSteps: warmup, decaySteps: totalSteps, endValue: lr.value / 100)
        let decay = weightDecay?.value ?? (optimizer == .adamw ? 1e-4 : 0)
        let config = LSATrainingConfig(
            model: model,
            tasks: TaskDistribution(inputDimension: d, outputDimension: dy, contextCount: n, inputs: inputs, noise: noise.value),
            optimizer: OptimizerConfig(kind: optimizer, schedule: scheduleValue, beta1: beta1.value, beta2: beta2.value,
                                       weightDecay: decay, momentum: momentum.value, clipNorm: clip?.value),
            batchSize: batch, steps: totalSteps, seed: seed)
        var request = TrainRequest(config: config, directory: out, checkpointEvery: checkpointEvery, logEvery: logEvery, resume: resume)
        if resume && steps == nil { request.config.steps = 0 }
        let display = ProgressDisplay()
        defer { display.finish() }
        let report: TrainReport
        do { report = try TrainRun.run(request, progress: display.show) }
        catch let error as TrainRunError {
            throw InputError("--out: \(error)" + (error.existingRun ? ": add --resume to continue it, or choose another --out" : ""))
        }
        catch let error as OutputError { throw InputError("--out", error) }
        catch let error as TrainingError {
            writeToStandardError("error: \(error)")
            throw ExitCode(1)
        }
        try emit(report, json: json, text: report.text)
    }

    func identity(_ d: Int) -> [Double] { (0..<(d * d)).map { $0 / d == $0 % d ? 1 : 0 } }
}
