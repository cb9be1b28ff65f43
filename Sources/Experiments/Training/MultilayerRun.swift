import Figures
import Foundation
import Linalg
import Training

/// `icl reproduce multilayer`: K trained LSA layers against K steps of GD and of GD++ with
/// tuned step sizes (von Oswald et al. section 4), in the setting of `von-oswald`
/// (d = N = 10, `x ~ U(-1/2, 1/2)^10`). GD's `eta_k` and GD++'s `(eta_k, gamma_k)` (at most 10
/// numbers) are fitted on 4096 validation tasks by GSL's `vector_bfgs2` with exact gradients
/// (GD++ starting from the fitted GD); all losses are on 10^4 separate test tasks.
public struct MultilayerRequest: Sendable {
    public var layers = [2, 3, 4, 5]
    /// 8000 steps of 512 tasks (4.1M tasks per model): for the same work, four times the steps
    /// of the paper's batch of 2048 go further down the deeper models' slow loss curves.
    public var steps = 8000
    public var seed: UInt64 = 1
    public var batchSize = 512
    /// The peak rate (3e-3: deeper stacks leave the small-initialisation plateau sooner than at
    /// the one-layer rate 1e-3, and clipping keeps the larger rate stable).
    public var learningRate = 3e-3
    public var validationTasks = 4096
    public var testTasks = 10_000
    /// BFGS iterations per fit.
    public var maxIterations = 400
    public var directory: String?
    public init() {}
}

/// One K of the comparison; the first four keys are the contract.
public struct MultilayerRow: Codable, Sendable {
    public var layers: Int
    public var trainedLoss: Double
    public var gdLoss: Double
    public var gdPlusPlusLoss: Double
    public var gdEtas: [Double]
    public var gdPlusPlusEtas: [Double]
    public var gdPlusPlusGammas: [Double]
    /// BFGS iterations and final gradient norms of the two fits.
    public var gdIterations: Int
    public var gdGradientNorm: Double
    public var gdPlusPlusIterations: Int
    public var gdPlusPlusGradientNorm: Double
    /// `trainedLoss <= gdPlusPlusLoss <= gdLoss`.
    public var ordered: Bool
    public var seconds: Double
}

public struct MultilayerReport: Codable, Sendable {
    public var rows: [MultilayerRow]
    public var steps: Int
    public var seed: UInt64
    public var zeroLoss: Double
    public var text: String = ""

    enum CodingKeys: String, CodingKey { case rows, steps, seed, zeroLoss }
}

public enum MultilayerRun {
    /// K-step GD++ fitted on `batch` from two starts, the better kept: the fitted K-step GD
    /// (`gamma = 0`), and the fitted (K-1)-step GD++ `previous` with an identity layer appended
    /// (`eta = gamma = 0`). Both are exact members of the K-step family and BFGS only descends,
    /// so GD++ <= GD and GD++ is monotone in K on the fitting tasks.
    static func fitGDPlusPlus(layers K: Int, batch: TaskBatch, fittedGD gd: TunedSteps, previous: TunedSteps?,
                              maxIterations: Int) throws -> TunedSteps {
        var best = try Baselines.tune(plusPlus: true, layers: K, batch: batch, initialEtas: gd.etas, maxIterations: maxIterations)
        if let p = previous, p.etas.count == K - 1 {
            let extended = try Baselines.tune(plusPlus: true, layers: K, batch: batch, initialEtas: p.etas + [0],
                                              initialGammas: p.gammas + [0], maxIterations: maxIterations)
            if extended.loss < best.loss { best = extended }
        }
        return best
    }

    /// The files of `--out` besides the models (`model*.safetensors`).
    static let outputNames: Set<String> = ["losses.csv", "losses.svg", "summary.json"]

    public static func run(_ request: MultilayerRequest, progress: (ProgressEvent) -> Void = { _ in }) throws -> MultilayerReport {
        let d = 10, n = 10
        let tasks = TaskDistribution(inputDimension: d, contextCount: n, inputs: .uniform(width: 1))
        try Reproduction.checkOutput(request.directory, fixedNames: outputNames)
        let validation = tasks.batch(seed: request.seed, purpose: .validation, step: 0, tasks: request.validationTasks)
        let test = tasks.batch(seed: request.seed, purpose: .test, step: 0, tasks: request.testTasks)
        var rows: [MultilayerRow] = []
        var models: [(Int, LSAModel)] = []
        var previous: TunedSteps?
        for K in request.layers.sorted() {
            let model = LSAModelConfig(inputDimension: d, contextCount: n, layers: K)
            let config = LSATrainingConfig(model: model, tasks: tasks, optimizer: Reproduction.optimizer(peak: request.learningRate, steps: request.steps),
                                        batchSize: request.batchSize, steps: request.steps, seed: request.seed)
            let (trained, seconds) = try Reproduction.train(config, every: request.steps, label: "K = \(K)", progress: progress)
            let gd = try Baselines.tune(plusPlus: false, layers: K, batch: validation, maxIterations: request.maxIterations)
            let gdpp = try fitGDPlusPlus(layers: K, batch: validation, fittedGD: gd, previous: previous, maxIterations: request.maxIterations)
            previous = gdpp
            let kernel = LSAKernel(shape: model.shape)
            let trainedLoss = kernel.loss(trained.folded(), test), gdLoss = kernel.loss(gd.model, test), ppLoss = kernel.loss(gdpp.model, test)
            rows.append(MultilayerRow(layers: K, trainedLoss: trainedLoss, gdLoss: gdLoss, gdPlusPlusLoss: ppLoss, gdEtas: gd.etas,
                                      gdPlusPlusEtas: gdpp.etas, gdPlusPlusGammas: gdpp.gammas,
                                      gdIterations: gd.iterations, gdGradientNorm: gd.gradientNorm,
                                      gdPlusPlusIterations: gdpp.iterations, gdPlusPlusGradientNorm: gdpp.gradientNorm,
                                      ordered: trainedLoss <= ppLoss && ppLoss <= gdLoss, seconds: seconds))
            models.append((K, trained))
        }
        let zero = test.zeroPredictorLoss
        var report = MultilayerReport(rows: rows, steps: request.steps, seed: request.seed, zeroLoss: zero)
        var table = [["K", "trained", "GD++ (tuned)", "GD (tuned)", "trained <= GD++ <= GD"]]
        for r in rows {
            table.append(["\(r.layers)", formatCell(r.trainedLoss), formatCell(r.gdPlusPlusLoss), formatCell(r.gdLoss),
                          r.ordered ? "yes" : "NO (" + [r.trainedLoss > r.gdPlusPlusLoss ? "trained > GD++" : nil,
                                                        r.gdPlusPlusLoss > r.gdLoss ? "GD++ > GD" : nil].compactMap { $0 }.joined(separator: ", ") + ")"])
        }
        var lines = ["K trained layers vs K steps of GD and GD++ (step sizes fitted on \(request.validationTasks) validation tasks); test loss (half MSE) on \(request.testTasks) tasks; d = N = 10, \(request.steps) training steps of \(request.batchSize) tasks, seed \(request.seed); zero predictor \(formatCell(zero))",
                     TextTable(table, alignment: .left).rendered]
        if let dir = request.directory {
            let csv = CSVTable.numeric(header: ["layers", "trainedLoss", "gdPlusPlusLoss", "gdLoss"], count: rows.count) { i in
                [Double(rows[i].layers), rows[i].trainedLoss, rows[i].gdPlusPlusLoss, rows[i].gdLoss]
            }
            func series(_ name: String, _ color: String, _ f: (MultilayerRow) -> Double, dash: String? = nil) -> LineChart.Series {
                LineChart.Series(name: name, color: color, points: rows.map { (Double($0.layers), f($0)) }, dash: dash)
            }
            let chart = LineChart(title: "Test loss of K trained LSA layers, K steps of GD++ and of GD (tuned)", xLabel: "layers / steps K", panels: [
                LineChart.Panel(yLabel: "loss (half MSE)", series: [series("trained", "#1f4e9c", \.trainedLoss),
                                                                     series("GD++", "#2ca02c", \.gdPlusPlusLoss, dash: "6 4"),
                                                                     series("GD", "#c02020", \.gdLoss, dash: "2 3")]),
            ])
            var files: [(name: String, bytes: Data)] = [("losses.csv", Data(csv.utf8)), ("losses.svg", Data(chart.svg.utf8)),
                                                         ("summary.json", Data((try jsonText(report) + "\n").utf8))]
            for (K, m) in models {
                files.append(("model-K\(K).safetensors", RunDirectory.weightsFile(m, step: request.steps)))
            }
            try Reproduction.publish(dir, fixedNames: outputNames, files: files)
            lines.append("wrote \(dir)/summary.json, losses.csv, losses.svg, model-K*.safetensors")
        }
        report.text = lines.joined(separator: "\n")
        return report
    }
}
