import Random
import Constructions
import Figures
import Foundation
import Linalg
import Training

/// `icl reproduce gaussian-optimum`: Ahn et al.'s optimum of a one-layer LSA for Gaussian data
/// (REFERENCE.md section 2). d = 5, N = 20, `x ~ N(0, Sigma)`, `w ~ N(0, I)`, no noise; for a
/// random SPD `Sigma` and for `Sigma = I`, a one-layer model is trained and the preconditioner it
/// applies (`FoldedLSA.effectivePreconditioner`) is compared with
/// `Gamma_0 = ((N+1)/N Sigma + tr(Sigma)/N I)^{-1}`, and its test error with the closed form.
public struct GaussianOptimumRequest: Sendable {
    public var steps = 4000
    public var seed: UInt64 = 1
    public var batchSize = 2048
    public var learningRate = 1e-3
    public var testTasks = 100_000
    public var directory: String?
    public init() {}
}

/// One covariance's result.
public struct GaussianCase: Codable, Sendable {
    public var name: String
    public var sigma: [[Double]]
    public var gamma0: [[Double]]
    public var gammaEffective: [[Double]]
    /// `||Gamma_eff - Gamma_0||_F / ||Gamma_0||_F`.
    public var gammaRelativeError: Double
    /// The trained model's mean `(yhat - y)^2` on the test tasks (not halved).
    public var trainedTestError: Double
    /// Its standard error over the test tasks.
    public var trainedTestErrorStandardError: Double
    /// `f(Gamma_0)`, the expected squared error at the optimum (`GaussianOptimum.expectedLoss`).
    public var closedFormTestError: Double
    /// `f(Gamma_eff)`: the closed form at the trained model's preconditioner.
    public var closedFormAtTrained: Double
    /// The size of the terms outside the preconditioner form (should be near 0).
    public var residualTerms: Double
    public var seconds: Double
}

/// The JSON of `icl reproduce gaussian-optimum`: the contract keys are the random-`Sigma` case's;
/// `cases` holds both.
public struct GaussianOptimumReport: Codable, Sendable {
    public var gammaRelativeError: Double
    public var trainedTestError: Double
    public var closedFormTestError: Double
    public var cases: [GaussianCase]
    public var steps: Int
    public var seed: UInt64
    public var experiment = "gaussian-optimum"
    /// The random-`Sigma` case's setting (the isotropic case differs only in `Sigma`, in `cases`).
    public var setting: RunSetting
    public var text: String = ""

    enum CodingKeys: String, CodingKey { case gammaRelativeError, trainedTestError, closedFormTestError, cases, steps, seed, experiment, setting }
}

public enum GaussianOptimumRun {
    public static let dimension = 5, contextCount = 20

    /// A random SPD covariance `Q diag(lambda) Q^T`: `Q` by Gram-Schmidt on a Gaussian matrix,
    /// `log lambda_i ~ U(-log 3, log 3)`, rescaled so that `tr Sigma = d` (condition number up to 9),
    /// symmetrised exactly. Drawn from the Philox stream (seed, test, step 1, item 0).
    public static func randomCovariance(_ d: Int, seed: UInt64) -> Matrix<Double> {
        var stream = PhiloxStream(seed: seed, purpose: .test, step: 1, item: 0)
        var q = Matrix<Double>(rows: d, cols: d) { _, _ in stream.gaussian() }
        for j in 0..<d {
            for k in 0..<j {
                var dot = 0.0
                for i in 0..<d { dot += q[i, j] * q[i, k] }
                for i in 0..<d { q[i, j] -= dot * q[i, k] }
            }
            var norm = 0.0
            for i in 0..<d { norm += q[i, j] * q[i, j] }
            for i in 0..<d { q[i, j] /= norm.squareRoot() }
        }
        var lambda = (0..<d).map { _ in exp(stream.uniform(-log(3), log(3))) }
        let scale = Double(d) / lambda.reduce(0, +)
        lambda = lambda.map { $0 * scale }
        var sigma = Matrix<Double>(rows: d, cols: d) { i, j in (0..<d).reduce(0.0) { $0 + q[i, $1] * lambda[$1] * q[j, $1] } }
        for i in 0..<d { for j in 0..<i { let m = (sigma[i, j] + sigma[j, i]) / 2; sigma[i, j] = m; sigma[j, i] = m } }
        return sigma
    }

    /// `||Gamma - Gamma_0||_F / ||Gamma_0||_F`, the reported distance of a trained preconditioner
    /// from the optimum.
    public static func relativeError(_ gamma: Matrix<Double>, to gamma0: Matrix<Double>) -> Double {
        (gamma - gamma0).frobeniusNorm / gamma0.frobeniusNorm
    }

    /// The files of `--out` besides the models (`model*.safetensors`).
    static let outputNames: Set<String> = ["preconditioner.svg", "summary.json"]

    public static func run(_ request: GaussianOptimumRequest, progress: (ProgressEvent) -> Void = { _ in }) throws -> GaussianOptimumReport {
        let d = dimension, n = contextCount
        try Reproduction.checkOutput(request.directory, fixedNames: outputNames)
        var cases: [GaussianCase] = []
        var models: [(LSAModel, LSATrainingConfig)] = []
        for (name, sigma) in [("random", randomCovariance(d, seed: request.seed)), ("isotropic", Matrix<Double>.identity(d))] {
            let tasks = TaskDistribution(inputDimension: d, contextCount: n, inputs: .gaussian(covariance: sigma.elements))
            let config = LSATrainingConfig(model: LSAModelConfig(inputDimension: d, contextCount: n), tasks: tasks,
                                        optimizer: Reproduction.optimizer(peak: request.learningRate, steps: request.steps),
                                        batchSize: request.batchSize, steps: request.steps, seed: request.seed)
            let (model, seconds) = try Reproduction.train(config, every: request.steps, label: "\(name)", progress: progress)
            let folded = model.folded()
            let optimum = GaussianOptimum(covariance: sigma, contextCount: n)
            let gamma0 = try optimum.optimumDouble()
            let (gamma, residual) = folded.effectivePreconditioner()
            let test = tasks.batch(seed: request.seed, purpose: .test, step: 0, tasks: request.testTasks)
            let predictions = LSAKernel(shape: config.model.shape).predictions(folded, test)
            let errors = zip(predictions, test.targets).map { ($0 - $1) * ($0 - $1) }
            let mean = errors.reduce(0, +) / Double(errors.count)
            let variance = errors.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(errors.count - 1)
            cases.append(GaussianCase(name: name, sigma: sigma.rowArrays, gamma0: gamma0.rowArrays, gammaEffective: gamma.rowArrays,
                                      gammaRelativeError: relativeError(gamma, to: gamma0),
                                      trainedTestError: mean, trainedTestErrorStandardError: (variance / Double(errors.count)).squareRoot(),
                                      closedFormTestError: optimum.expectedLoss(gamma0), closedFormAtTrained: optimum.expectedLoss(gamma),
                                      residualTerms: residual, seconds: seconds))
            models.append((model, config))
        }
        let main = cases[0]
        var report = GaussianOptimumReport(gammaRelativeError: main.gammaRelativeError, trainedTestError: main.trainedTestError,
                                           closedFormTestError: main.closedFormTestError, cases: cases, steps: request.steps, seed: request.seed,
                                           setting: RunSetting(experiment: "gaussian-optimum", tasks: models[0].1.tasks, seed: request.seed,
                                                               steps: request.steps, batchSize: request.batchSize))
        var rows = [["Sigma", "||Gamma_eff - Gamma_0||/||Gamma_0||", "test error (trained)", "closed form f(Gamma_0)", "f(Gamma_eff)", "residual terms"]]
        for c in cases {
            rows.append([c.name, formatCell(c.gammaRelativeError, significant: 4),
                         formatCell(c.trainedTestError, significant: 5) + " +- " + formatCell(c.trainedTestErrorStandardError, significant: 2),
                         formatCell(c.closedFormTestError, significant: 5), formatCell(c.closedFormAtTrained, significant: 5),
                         formatCell(c.residualTerms, significant: 2)])
        }
        var lines = ["Ahn et al.'s optimum: d = \(d), N = \(n), x ~ N(0, Sigma), one layer trained \(request.steps) steps of \(request.batchSize) tasks, seed \(request.seed); test errors over \(request.testTasks) tasks",
                     TextTable(rows, alignment: .left).rendered,
                     "isotropic closed form d(d+1)/(N+d+1) = \(formatCell(Double(d * (d + 1)) / Double(n + d + 1)))"]
        if let dir = request.directory {
            let panels = cases.flatMap { c -> [MatrixGrid.Panel] in [
                MatrixGrid.Panel(title: "\(c.name): Gamma_0", rows: d, cols: d, values: c.gamma0.flatMap { $0 }),
                MatrixGrid.Panel(title: "\(c.name): trained Gamma_eff", rows: d, cols: d, values: c.gammaEffective.flatMap { $0 }),
            ] }
            let figure = MatrixGrid(title: "Preconditioner of a trained one-layer LSA vs Gamma_0 (d = \(d), N = \(n))",
                                    subtitle: "Gamma_eff = -N v_yy M_xx^T; relative Frobenius errors " + cases.map { "\($0.name) \(formatNumber($0.gammaRelativeError, significant: 3))" }.joined(separator: ", "),
                                    panels: panels)
            var files: [(name: String, bytes: Data)] = [("preconditioner.svg", Data(figure.svg.utf8)), ("summary.json", Data((try jsonText(report) + "\n").utf8))]
            for (c, (m, config)) in zip(cases, models) { files += try Reproduction.modelFiles(m, config: config, suffix: "-\(c.name)") }
            try Reproduction.publish(dir, fixedNames: outputNames, files: files)
            lines.append("wrote \(dir)/summary.json, preconditioner.svg, model-random.safetensors, model-isotropic.safetensors, config-random.json, config-isotropic.json")
        }
        report.text = lines.joined(separator: "\n")
        return report
    }
}
