import ArgumentParser
import Experiments

extension Reproduce {
    struct VonOswald: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "von-oswald",
            abstract: "One trained LSA layer vs one GD step at the least-squares learning rate (d = N = 10, x ~ U(-1/2, 1/2)^10).",
            discussion: """
            Trains one layer, one head on fresh batches of 2048 tasks; fits eta* by exact least squares on 10^4 validation tasks; evaluates both on 10^4 test tasks, with the alignment metrics (preds diff = mean |yhat - yhat_GD|, model cos = mean cosine of the exact sensitivities d yhat/d x_q with 1e-8 added to each norm, model diff = mean distance of the sensitivities) 50 times during training.

            JSON: {"etaStar", "gdLoss", "trainedLoss", "predsDiff", "modelCos", "modelDiff"} (losses as half MSE), plus relativeGap, zeroLoss, interpolatedLoss, steps, seed, seconds, stepsPerSecond. With --out: alignment.csv and alignment.svg (the metrics during training), weights.svg (gauge-normalised W_K^T W_Q and P W_V beside GD's, one colour scale), model.safetensors, summary.json.
            """)

        @OptionGroup var options: Reproduce.RunOptions

        func run() throws {
            var request = VonOswaldRequest()
            if let steps = options.steps { request.steps = steps }
            request.seed = options.seed
            request.directory = options.out
            let display = ProgressDisplay()
            defer { display.finish() }
            let report: VonOswaldReport
            do { report = try VonOswaldRun.run(request) { display.show($0) } }
            catch let error as OutputError { throw outputFailure("--out", error) }
            try emit(report, json: options.json, text: report.text)
        }
    }
}
