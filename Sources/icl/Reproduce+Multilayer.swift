import ArgumentParser
import Experiments

extension Reproduce {
    struct Multilayer: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "K trained LSA layers vs K steps of GD and of GD++ with fitted step sizes (d = N = 10).",
            discussion: """
            As von Oswald et al. ran it (section 4, A.10-A.12): for each K, trains K untied layers (one head, full weights) with AdamW after global-norm gradient clipping at 10, batch 2048, peak rate 1e-3 (5e-4 for K > 3) decaying by a cosine to 1%, token values clipped to [-10, 10] after every layer for K > 2, for the trained model and for GD and GD++ alike. Fits K-step GD (eta_k) and GD++ (eta_k, gamma_k; the last layer's gamma is never read) on 4096 validation tasks (--validation-tasks) by Levenberg-Marquardt with exact gradients (GD++ evaluated eigenvalue by eigenvalue of each task's X X^T, which equals the kernel's token-by-token result), from 16 (GD) and 18 (GD++) fixed, seeded starts, each until its gradient norm is below 1e-6; the fit for a K never depends on the other K of the invocation. The step sizes are fitted without the clip and run under it on the test tasks (--fit-under-clip fits under it too). Reports each loss on 10^4 test tasks (--test-tasks) as mean +- standard error (median), the share of tasks above 10x the zero predictor's loss, and whether trained <= GD++ < GD holds by 2 paired standard errors.

            Several seeds, then intervals: `for s in 1 2 3; do icl reproduce multilayer --seed $s --out runs/ml$s; done; icl aggregate runs/ml*/summary.json`.

            JSON: {"experiment": "multilayer", "setting": {"d", "N", "dy", "inputs", "batchSize", "version", ...}, "seed", "steps", "rows": [{"layers", "trainedLoss", "gdLoss", "gdPlusPlusLoss", "trained": {"mean", "standardError", "median", "tailFraction"}, "gdFit": {"etas", "gammas", "startLosses", "startsAtBest", "gradientNorm", ...}, "gdPlusPlusFit", "ordered", ...}], "trainingSeconds"}. With --out: losses.csv, losses.svg, training.csv (training loss per window of steps/200), each K's model-K*.safetensors and config-K*.json (the schema of icl train's config.json), summary.json. The default run takes about 11 minutes on 2 idle cores (20000 steps of 2048 tasks for each of K = 2..5; 30 minutes with other work on them).
            """)

        @OptionGroup var options: Reproduce.RunOptions

        @Option(name: .customLong("layers"), help: ArgumentHelp("The values of K.", valueName: "2,3,4,5"))
        var layers = PositiveIntegers(argument: "2,3,4,5")!

        @Option(help: "Tasks per training step (1...1048576).") var batch = MultilayerRequest().batchSize
        @Option(help: "Peak learning rate, a number > 0 (default: the paper's, 1e-3, 5e-4 for K > 3).") var lr: Real?
        @Option(name: .customLong("token-clip"), help: "Clip token values to [-c, c] after every layer for K > 2, for the trained model and GD alike; a number >= 0, 0 = never.")
        var tokenClip = Real(MultilayerRequest().tokenClip ?? 0)
        @Option(name: .customLong("validation-tasks"), help: "Tasks the GD and GD++ step sizes are fitted on (1...1000000).")
        var validationTasks = MultilayerRequest().validationTasks
        @Option(name: .customLong("test-tasks"), help: "Tasks every reported loss is measured on (2...1000000).")
        var testTasks = MultilayerRequest().testTasks
        @Flag(name: .customLong("fit-under-clip"), help: "Fit GD's and GD++'s step sizes under the token clip (slower; the clipped loss is not smooth).")
        var fitUnderClip = false

        func validate() throws {
            guard layers.values.allSatisfy({ $0 <= 64 }) else { throw ValidationError("--layers: K must be at most 64") }
            guard batch >= 1 && batch <= 1 << 20 else { throw ValidationError("--batch must be in 1...1048576, got \(batch)") }
            if let lr { guard lr.value > 0 else { throw ValidationError("--lr must be a number > 0, got \(lr.value)") } }
            guard (1...1_000_000).contains(validationTasks) else { throw ValidationError("--validation-tasks must be in 1...1000000, got \(validationTasks)") }
            guard (2...1_000_000).contains(testTasks) else { throw ValidationError("--test-tasks must be in 2...1000000, got \(testTasks)") }
            guard tokenClip.value >= 0 else { throw ValidationError("--token-clip must be a number >= 0 (0 = never), got \(tokenClip.value)") }
        }

        func run() throws {
            var request = MultilayerRequest()
            if let steps = options.steps { request.steps = steps }
            request.seed = options.seed
            request.directory = options.out
            request.layers = layers.values
            request.batchSize = batch
            request.learningRate = lr?.value
            request.tokenClip = tokenClip.value > 0 ? tokenClip.value : nil
            request.fitUnderClip = fitUnderClip
            request.validationTasks = validationTasks
            request.testTasks = testTasks
            let display = ProgressDisplay()
            defer { display.finish() }
            let report: MultilayerReport
            do { report = try MultilayerRun.run(request) { display.show($0) } }
            catch let error as OutputError { throw outputFailure("--out", error) }
            try emit(report, json: options.json, text: report.text)
        }
    }
}
