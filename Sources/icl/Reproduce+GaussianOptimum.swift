import ArgumentParser
import Experiments

extension Reproduce {
    struct GaussianOptimum: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gaussian-optimum",
            abstract: "The preconditioner a trained one-layer LSA applies vs Ahn et al.'s Gamma_0 (d = 5, N = 20, Gaussian inputs).",
            discussion: """
            For a random SPD Sigma (condition number up to 9, tr Sigma = d) and for Sigma = I, trains one layer, one head, reads Gamma_eff = -N v_yy M_xx^T off the folded weights (the preconditioner in yhat = x_q^T Gamma (1/N) sum_i y_i x_i), and compares it with Gamma_0 = ((N+1)/N Sigma + tr(Sigma)/N I)^{-1}; the trained model's mean squared error on 10^5 test tasks is compared with the closed form f(Gamma_0).

            JSON: {"gammaRelativeError", "trainedTestError", "closedFormTestError"} for the random Sigma, and "cases" with both. With --out: preconditioner.svg, the two models as safetensors, summary.json.
            """)

        @OptionGroup var options: Reproduce.RunOptions

        func run() throws {
            var request = GaussianOptimumRequest()
            if let steps = options.steps { request.steps = steps }
            request.seed = options.seed
            request.directory = options.out
            let display = ProgressDisplay()
            defer { display.finish() }
            let report: GaussianOptimumReport
            do { report = try GaussianOptimumRun.run(request) { display.show($0) } }
            catch let error as OutputError { throw outputFailure("--out", error) }
            try emit(report, json: options.json, text: report.text)
        }
    }
}
