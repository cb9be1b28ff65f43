import ArgumentParser
import Experiments

extension Reproduce {
    struct Multilayer: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "K trained LSA layers vs K steps of GD and of GD++ with tuned step sizes (d = N = 10).",
            discussion: """
            For each K, trains K layers (one head each, full weights) and fits K-step GD (eta_k) and GD++ (eta_k, gamma_k) on 10^4 validation tasks with GSL's vector_bfgs2 (exact gradients through the same kernel); compares test losses on 10^4 other tasks and reports whether trained <= GD++ <= GD holds for each K.

            JSON: {"rows": [{"layers", "trainedLoss", "gdLoss", "gdPlusPlusLoss", ...}]}. With --out: losses.csv, losses.svg, the trained models as safetensors, summary.json.
            """)

        @OptionGroup var options: Reproduce.RunOptions

        @Option(name: .customLong("layers"), help: ArgumentHelp("The values of K.", valueName: "2,3,4,5"))
        var layers = PositiveIntegers(argument: "2,3,4,5")!

        func validate() throws {
            guard layers.values.allSatisfy({ $0 <= 64 }) else { throw ValidationError("--layers: K must be at most 64") }
        }

        func run() throws {
            var request = MultilayerRequest()
            if let steps = options.steps { request.steps = steps }
            request.seed = options.seed
            request.directory = options.out
            request.layers = layers.values
            let display = ProgressDisplay()
            defer { display.finish() }
            let report: MultilayerReport
            do { report = try MultilayerRun.run(request) { display.show($0) } }
            catch let error as OutputError { throw outputFailure("--out", error) }
            try emit(report, json: options.json, text: report.text)
        }
    }
}
