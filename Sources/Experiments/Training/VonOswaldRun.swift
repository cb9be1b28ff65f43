import Figures
import Foundation
import Linalg
import Training

/// `icl reproduce von-oswald`: von Oswald et al.'s headline experiment. d = N = 10,
/// `x ~ U(-1/2, 1/2)^10`, `w ~ N(0, I)`, no noise, one LSA layer with one head trained on fresh
/// batches of 2048 tasks; compared with one step of GD at the least-squares learning rate `eta*`
/// (fitted on 10^4 validation tasks), on 10^4 separate test tasks.
public struct VonOswaldRequest: Sendable {
    public var steps = 5000
    public var seed: UInt64 = 1
    public var batchSize = 2048
    public var learningRate = 1e-3
    public var validationTasks = 10_000
    public var testTasks = 10_000
    /// Evaluations of the alignment metrics during training.
    public var curvePoints = 50
    public var directory: String?
    public init() {}
}

/// The JSON of `icl reproduce von-oswald`; the first six keys are the contract.
public struct VonOswaldReport: Codable, Sendable {
    public var etaStar: Double
    public var gdLoss: Double
    public var trainedLoss: Double
    public var predsDiff: Double
    public var modelCos: Double
    public var modelDiff: Double
    /// `trainedLoss / gdLoss - 1`.
    public var relativeGap: Double
    public var zeroLoss: Double
    /// The loss of `(theta + theta_GD)/2` (both gauge-normalised).
    public var interpolatedLoss: Double
    public var steps: Int
    public var seed: UInt64
    public var seconds: Double
    public var stepsPerSecond: Double
    public var experiment = "von-oswald"
    public var setting: RunSetting
    public var text: String = ""

    enum CodingKeys: String, CodingKey {
        case etaStar, gdLoss, trainedLoss, predsDiff, modelCos, modelDiff, relativeGap, zeroLoss, interpolatedLoss, steps, seed, seconds, stepsPerSecond,
             experiment, setting
    }
}

/// One row of `alignment.csv`.
struct AlignmentRow {
    var step: Int
    var alignment: Alignment
}

public enum VonOswaldRun {
    /// The files of `--out` besides the models (`model*.safetensors`).
    static let outputNames: Set<String> = ["alignment.csv", "alignment.svg", "weights.svg", "model.safetensors", "config.json", "summary.json"]

    public static func run(_ request: VonOswaldRequest, progress: (ProgressEvent) -> Void = { _ in }) throws -> VonOswaldReport {
        let d = 10, n = 10
        let model = LSAModelConfig(inputDimension: d, contextCount: n)
        let tasks = TaskDistribution(inputDimension: d, contextCount: n, inputs: .uniform(width: 1))
        let config = LSATrainingConfig(model: model, tasks: tasks, optimizer: Reproduction.optimizer(peak: request.learningRate, steps: request.steps),
                                    batchSize: request.batchSize, steps: request.steps, seed: request.seed)
        try config.validate()
        try Reproduction.checkOutput(request.directory, fixedNames: outputNames)
        let validation = tasks.batch(seed: request.seed, purpose: .validation, step: 0, tasks: request.validationTasks)
        let test = tasks.batch(seed: request.seed, purpose: .test, step: 0, tasks: request.testTasks)
        let eta = Baselines.leastSquaresLearningRate(validation)
        let gd = Baselines.gradientDescent(model.shape, etas: [eta])
        var rows: [AlignmentRow] = []
        let every = max(1, request.steps / max(1, request.curvePoints))
        let (trained, seconds) = try Reproduction.train(config, every: every, label: "von-oswald", progress: progress) { step, m in
            rows.append(AlignmentRow(step: step, alignment: Alignment(trained: m.folded(), reference: gd, batch: test)))
        }
        let final = rows.last!.alignment
        let folded = trained.folded()
        let interpolatedLoss = LSAKernel(shape: model.shape).loss(Reproduction.interpolated(folded, gd), test)
        let zero = test.zeroPredictorLoss
        var report = VonOswaldReport(etaStar: eta, gdLoss: final.referenceLoss, trainedLoss: final.trainedLoss, predsDiff: final.predsDiff,
                                     modelCos: final.modelCos, modelDiff: final.modelDiff, relativeGap: final.trainedLoss / final.referenceLoss - 1,
                                     zeroLoss: zero, interpolatedLoss: interpolatedLoss, steps: request.steps, seed: request.seed,
                                     seconds: seconds, stepsPerSecond: Double(request.steps) / max(seconds, 1e-9),
                                     setting: RunSetting(experiment: "von-oswald", tasks: tasks, seed: request.seed, steps: request.steps,
                                                         batchSize: request.batchSize))
        var lines = [
            "von Oswald et al.: d = N = 10, x ~ U(-1/2, 1/2)^10, one layer, one head, \(request.steps) steps of \(request.batchSize) tasks, seed \(request.seed)",
            TextTable.keyValues([
                ("eta* (least squares, \(request.validationTasks) validation tasks)", formatCell(eta)),
                ("GD loss at eta* (\(request.testTasks) test tasks)", formatCell(report.gdLoss)),
                ("trained loss", formatCell(report.trainedLoss) + String(format: "  (%+.2f%% vs GD)", 100 * report.relativeGap)),
                ("zero predictor", formatCell(zero)),
                ("preds diff", formatCell(report.predsDiff)),
                ("model cos", formatCell(report.modelCos)),
                ("model diff", formatCell(report.modelDiff)),
                ("interpolated model loss", formatCell(interpolatedLoss)),
                ("time", String(format: "%.1f s, %.0f steps/s", seconds, report.stepsPerSecond)),
            ]),
        ]
        if let dir = request.directory {
            let csv = CSVTable.numeric(header: ["step", "trainedLoss", "gdLoss", "predsDiff", "modelCos", "modelDiff"], count: rows.count) { i in
                let r = rows[i]
                return [Double(r.step), r.alignment.trainedLoss, r.alignment.referenceLoss, r.alignment.predsDiff, r.alignment.modelCos, r.alignment.modelDiff]
            }
            func series(_ name: String, _ color: String, _ f: (Alignment) -> Double, dash: String? = nil) -> LineChart.Series {
                LineChart.Series(name: name, color: color, points: rows.map { (Double($0.step), f($0.alignment)) }, dash: dash)
            }
            let chart = LineChart(title: "Trained one-layer LSA vs one GD step at eta* = \(formatNumber(eta)) (test tasks)", xLabel: "training step", panels: [
                LineChart.Panel(yLabel: "loss", series: [series("trained", "#1f4e9c", \.trainedLoss), series("GD at eta*", "#c02020", \.referenceLoss, dash: "6 4")]),
                LineChart.Panel(yLabel: "model cos", series: [series("model cos", "#2ca02c", \.modelCos)], yRange: (min(0, rows.map(\.alignment.modelCos).min() ?? 0), 1.02)),
                LineChart.Panel(yLabel: "difference", series: [series("preds diff", "#9467bd", \.predsDiff), series("model diff", "#ff7f0e", \.modelDiff)]),
            ])
            let weights = Reproduction.weightFigure(trained: folded, reference: gd, referenceName: "GD",
                                                    title: "Learned vs constructed weights, one layer, d = N = 10")
            try Reproduction.publish(dir, fixedNames: outputNames, files: [
                ("alignment.csv", Data(csv.utf8)), ("alignment.svg", Data(chart.svg.utf8)), ("weights.svg", Data(weights.utf8)),
                ("summary.json", Data((try jsonText(report) + "\n").utf8)),
            ] + Reproduction.modelFiles(trained, config: config, suffix: ""))
            lines.append("wrote \(dir)/summary.json, alignment.csv, alignment.svg, weights.svg, model.safetensors, config.json")
        }
        report.text = lines.joined(separator: "\n")
        return report
    }
}
