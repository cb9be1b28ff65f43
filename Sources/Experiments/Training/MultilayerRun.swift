import Figures
import Foundation
import Linalg
import Random
import Training

/// `icl reproduce multilayer`: K trained LSA layers against K steps of GD and of GD++ with
/// fitted step sizes (von Oswald et al. section 4 and A.10-A.12), in the setting of
/// `von-oswald` (d = N = 10, `x ~ U(-1/2, 1/2)^10`, `w ~ N(0, I)`, no noise).
///
/// As the paper ran it: untied layers trained by AdamW after global-norm gradient clipping at
/// 10, batch 2048, peak rate 1e-3 (5e-4 for K > 3, as its notebook switches), token values
/// clipped to [-10, 10] after every layer for K > 2, for the trained model and for GD and GD++
/// alike (one kernel evaluates all three). Where this differs: the rate decays by a cosine to
/// 1% of its peak (the paper's stairs); the step count is ours (see `steps`).
///
/// GD's `eta_k` and GD++'s `(eta_k, gamma_k)` are fitted on validation tasks by GSL's
/// Levenberg-Marquardt with exact gradients (`Baselines.tune`) from a fixed, seeded set of starts
/// (`fitStarts`), each run until the gradient norm is below `gradientTolerance` or no damped step
/// lowers the loss; the result
/// depends only on K, the seed and the tasks, never on the other K of the invocation. Every loss
/// is reported on separate test tasks with its standard error, median and tail share.
public struct MultilayerRequest: Sendable {
    public var layers = [2, 3, 4, 5]
    /// Training steps per model.
    public var steps = 20_000
    public var seed: UInt64 = 1
    public var batchSize = 2048
    /// The peak rate; `nil` takes the paper's: 1e-3, 5e-4 for K > 3.
    public var learningRate: Double?
    /// Token values clipped to `[-tokenClip, tokenClip]` after every layer for K > 2 (`nil`: never).
    public var tokenClip: Double? = 10
    public var validationTasks = 4096
    public var testTasks = 10_000
    /// A task is in the tail when its loss exceeds this multiple of the zero predictor's mean loss.
    public var tailMultiple = 10.0
    /// A fit stops when its gradient norm is below this (or the line search makes no progress).
    /// The losses are about 0.1 and the step sizes of order 1 to 40: a gradient of 1e-6 leaves
    /// the loss within about 1e-10 of the minimum, far below the test loss's standard error.
    public var gradientTolerance = 1e-6
    /// Fit GD's and GD++'s step sizes under the token clip too (default: fitted without it and run
    /// under it on the test tasks). Under the clip the fit can use step sizes whose tokens leave
    /// `[-c, c]` on many tasks, and the clipped loss is not smooth there.
    public var fitUnderClip = false
    /// Levenberg-Marquardt steps per start, a safety cap (the fits stop on their gradient norm first).
    public var maxIterations = 5000
    public var directory: String?
    public init() {}

    /// The peak rate for `K` layers.
    public func learningRate(layers K: Int) -> Double { learningRate ?? (K > 3 ? 5e-4 : 1e-3) }
    /// The token clip for `K` layers (the paper clips for K > 2).
    public func tokenClip(layers K: Int) -> Double? { K > 2 ? tokenClip : nil }
}

/// A fit's result and how it was reached.
public struct FitDiagnostics: Codable, Sendable {
    public var etas: [Double]
    public var gammas: [Double]
    /// The loss on the validation tasks it was fitted on.
    public var validationLoss: Double
    public var gradientNorm: Double
    public var iterations: Int
    /// The final validation loss of every start, in the documented order.
    public var startLosses: [Double]
    /// The Levenberg-Marquardt steps of every start, and the gradient norm it stopped at.
    public var startIterations: [Int]
    public var startGradientNorms: [Double]
    /// Starts that ended within a relative 1e-6 of the best.
    public var startsAtBest: Int
}

/// One K of the comparison; `layers`, `trainedLoss`, `gdLoss`, `gdPlusPlusLoss` (test means) are the contract.
public struct MultilayerRow: Codable, Sendable {
    public var layers: Int
    public var trainedLoss: Double
    public var gdLoss: Double
    public var gdPlusPlusLoss: Double
    public var trained: LossStatistics
    public var gd: LossStatistics
    public var gdPlusPlus: LossStatistics
    public var gdEtas: [Double]
    public var gdPlusPlusEtas: [Double]
    public var gdPlusPlusGammas: [Double]
    public var gdFit: FitDiagnostics
    public var gdPlusPlusFit: FitDiagnostics
    /// Paired per-task differences on the test tasks: trained - GD++, GD++ - GD.
    public var trainedMinusGDPlusPlus: PairedDifference
    public var gdPlusPlusMinusGD: PairedDifference
    /// The paper's claim trained <= GD++ < GD on the test means, at 2 paired standard errors:
    /// trained not above GD++, and GD++ below GD.
    public var ordered: Bool
    public var learningRate: Double
    public var tokenClip: Double?
    /// The mean training loss over the last tenth of the run.
    public var meanTrainingLossLastTenth: Double
}

/// The JSON of `icl reproduce multilayer`; `rows` (by K) is the contract.
public struct MultilayerReport: Codable, Sendable {
    public var experiment = "multilayer"
    public var setting: RunSetting
    public var seed: UInt64
    public var steps: Int
    public var validationTasks: Int
    public var testTasks: Int
    public var zeroLoss: Double
    public var tailThreshold: Double
    public var rows: [MultilayerRow]
    /// The wall-clock seconds of each row's training, in the order of `rows` (kept out of the
    /// rows, so that two runs' rows compare byte for byte).
    public var trainingSeconds: [Double]
    public var text: String = ""

    enum CodingKeys: String, CodingKey {
        case experiment, setting, seed, steps, validationTasks, testTasks, zeroLoss, tailThreshold, rows, trainingSeconds
    }
}

public enum MultilayerRun {
    /// The starts of the K-step fits, in this order. GD: the default unequal steps
    /// (`Baselines.defaultEtas`), then `seededStarts - 1` with `eta_k = (eta*/K) 2^u_k`,
    /// `u_k ~ U(-1, 3)` (the fitted steps range over about 0.5 to 10 times `eta*/K`). GD++: the
    /// fitted GD steps with `gamma = 0` (so GD++ <= GD on the validation tasks), the trained
    /// model's read-off (`readOff`), then `seededStarts` with `eta_k` drawn as GD's and
    /// `gamma_k ~ U(0, 0.5)` (`gamma lambda_max` stays below about 1.5 for these inputs). The
    /// draws come from the Philox stream of (seed, fitStarts, step K, item = start).
    static let seededStarts = 16

    static func seededStart(layers K: Int, rate: Double, seed: UInt64, item: Int, gammas: Bool) -> Baselines.Start {
        var stream = PhiloxStream(seed: seed, purpose: .fitStarts, step: UInt32(K), item: UInt32(item))
        let etas = (0..<K).map { _ in rate * pow(2, stream.uniform(-1, 3)) }
        return Baselines.Start(etas: etas, gammas: gammas ? (0..<K).map { _ in stream.uniform(0, 0.5) } : nil)
    }

    static func gdStarts(layers K: Int, batch: TaskBatch, seed: UInt64) -> [Baselines.Start] {
        let rate = Baselines.leastSquaresLearningRate(batch) / Double(K)
        return [Baselines.Start(etas: Baselines.defaultEtas(layers: K, batch: batch))]
            + (1..<seededStarts).map { seededStart(layers: K, rate: rate, seed: seed, item: $0, gammas: false) }
    }

    static func gdPlusPlusStarts(layers K: Int, batch: TaskBatch, fittedGD gd: [Double], trained: FoldedLSA, seed: UInt64) -> [Baselines.Start] {
        let readOff = readOff(trained), rate = Baselines.leastSquaresLearningRate(batch) / Double(K)
        return [Baselines.Start(etas: gd, gammas: Array(repeating: 0, count: K)), Baselines.Start(etas: readOff.etas, gammas: readOff.gammas)]
            + (0..<seededStarts).map { seededStart(layers: K, rate: rate, seed: seed, item: seededStarts + $0, gammas: true) }
    }

    /// GD++ parameters read off a trained stack: per layer, with `a` the mean diagonal of
    /// `M_xx` and `v_x`, `v_y` the mean diagonals of `V_xx`, `V_yy`, the GD++ layer with the same
    /// products `V M` on those blocks has `gamma = -a v_x`, `eta = -N a v_y`.
    static func readOff(_ model: FoldedLSA) -> (etas: [Double], gammas: [Double]) {
        let d = model.shape.inputDimension, D = model.shape.tokenDimension, n = Double(model.shape.contextCount)
        var etas: [Double] = [], gammas: [Double] = []
        for k in 0..<model.shape.layers {
            let m = model.keyQueryMatrix(layer: k, head: 0), v = model.projectionValueMatrix(layer: k, head: 0)
            let a = (0..<d).reduce(0) { $0 + m[$1, $1] } / Double(d)
            let vx = (0..<d).reduce(0) { $0 + v[$1, $1] } / Double(d)
            let vy = (d..<D).reduce(0) { $0 + v[$1, $1] } / Double(D - d)
            etas.append(-n * a * vy)
            gammas.append(-a * vx)
        }
        return (etas, gammas)
    }

    static func diagnostics(_ fit: MultiStartFit) -> FitDiagnostics {
        FitDiagnostics(etas: fit.best.etas, gammas: fit.best.gammas, validationLoss: fit.best.loss, gradientNorm: fit.best.gradientNorm,
                       iterations: fit.best.iterations, startLosses: fit.startLosses, startIterations: fit.startIterations,
                       startGradientNorms: fit.startGradientNorms, startsAtBest: fit.reachedBest)
    }

    /// One K: train, fit, evaluate.
    static func row(layers K: Int, _ request: MultilayerRequest, tasks: TaskDistribution, validation: TaskBatch, test: TaskBatch,
                    tailThreshold: Double, progress: (ProgressEvent) -> Void) throws -> (MultilayerRow, LSAModel, LSATrainingConfig, [(step: Int, loss: Double)], Double) {
        let d = tasks.inputDimension, n = tasks.contextCount
        let clip = request.tokenClip(layers: K), rate = request.learningRate(layers: K)
        let model = LSAModelConfig(inputDimension: d, contextCount: n, layers: K, tokenClip: clip)
        let config = LSATrainingConfig(model: model, tasks: tasks, optimizer: Reproduction.optimizer(peak: rate, steps: request.steps),
                                       batchSize: request.batchSize, steps: request.steps, seed: request.seed)
        var losses: [Double] = []
        let (trained, seconds) = try Reproduction.train(config, every: request.steps, label: "K = \(K)", progress: progress,
                                                        onStep: { losses.append($0) })
        let shape = model.shape
        let fitClip = request.fitUnderClip ? clip : nil
        let gd = Baselines.tune(plusPlus: false, layers: K, batch: validation, starts: gdStarts(layers: K, batch: validation, seed: request.seed),
                                maxIterations: request.maxIterations, tokenClip: fitClip, gradientTolerance: request.gradientTolerance)
        let folded = trained.folded()
        let pp = Baselines.tune(plusPlus: true, layers: K, batch: validation,
                                starts: gdPlusPlusStarts(layers: K, batch: validation, fittedGD: gd.best.etas, trained: folded, seed: request.seed),
                                maxIterations: request.maxIterations, tokenClip: fitClip, gradientTolerance: request.gradientTolerance)
        // GD and GD++ run under the model's clip on the test tasks, however they were fitted.
        let kernel = LSAKernel(shape: shape)
        let trainedLosses = kernel.taskLosses(folded, test)
        let gdLosses = kernel.taskLosses(Baselines.gdPlusPlus(shape, etas: gd.best.etas, gammas: gd.best.gammas), test)
        let ppLosses = kernel.taskLosses(Baselines.gdPlusPlus(shape, etas: pp.best.etas, gammas: pp.best.gammas), test)
        let trainedVsPP = PairedDifference(trainedLosses, ppLosses), ppVsGD = PairedDifference(ppLosses, gdLosses)
        let stats = [trainedLosses, gdLosses, ppLosses].map { LossStatistics($0, tailThreshold: tailThreshold) }
        let tail = losses.suffix(max(1, losses.count / 10))
        let row = MultilayerRow(layers: K, trainedLoss: stats[0].mean, gdLoss: stats[1].mean, gdPlusPlusLoss: stats[2].mean,
                                trained: stats[0], gd: stats[1], gdPlusPlus: stats[2],
                                gdEtas: gd.best.etas, gdPlusPlusEtas: pp.best.etas, gdPlusPlusGammas: pp.best.gammas,
                                gdFit: diagnostics(gd), gdPlusPlusFit: diagnostics(pp),
                                trainedMinusGDPlusPlus: trainedVsPP, gdPlusPlusMinusGD: ppVsGD,
                                ordered: trainedVsPP.verdict() != .higher && ppVsGD.verdict() == .lower,
                                learningRate: rate, tokenClip: clip,
                                meanTrainingLossLastTenth: tail.reduce(0, +) / Double(tail.count))
        return (row, trained, config, trainingCurve(losses), seconds)
    }

    /// The training loss averaged over windows of `max(1, steps / 200)` steps, each at its last step.
    static func trainingCurve(_ losses: [Double]) -> [(step: Int, loss: Double)] {
        let window = max(1, losses.count / 200)
        return stride(from: 0, to: losses.count, by: window).map { start in
            let slice = losses[start..<min(start + window, losses.count)]
            return (start + slice.count, slice.reduce(0, +) / Double(slice.count))
        }
    }

    /// The files of `--out` besides the models (`model*.safetensors`).
    static let outputNames: Set<String> = ["losses.csv", "losses.svg", "training.csv", "summary.json"]

    public static func run(_ request: MultilayerRequest, progress: (ProgressEvent) -> Void = { _ in }) throws -> MultilayerReport {
        let tasks = TaskDistribution(inputDimension: 10, contextCount: 10, inputs: .uniform(width: 1))
        try Reproduction.checkOutput(request.directory, fixedNames: outputNames)
        let validation = tasks.batch(seed: request.seed, purpose: .validation, step: 0, tasks: request.validationTasks)
        let test = tasks.batch(seed: request.seed, purpose: .test, step: 0, tasks: request.testTasks)
        let zero = test.zeroPredictorLoss, threshold = request.tailMultiple * zero
        var rows: [MultilayerRow] = []
        var models: [(Int, LSAModel, LSATrainingConfig)] = []
        var curves: [(layers: Int, step: Int, loss: Double)] = []
        var trainingSeconds: [Double] = []
        for K in Array(Set(request.layers)).sorted() {
            let (row, model, config, curve, seconds) = try row(layers: K, request, tasks: tasks, validation: validation, test: test, tailThreshold: threshold,
                                       progress: progress)
            rows.append(row)
            trainingSeconds.append(seconds)
            models.append((K, model, config))
            curves += curve.map { (K, $0.step, $0.loss) }
        }
        var report = MultilayerReport(setting: RunSetting(experiment: "multilayer", tasks: tasks, seed: request.seed, steps: request.steps,
                                                          batchSize: request.batchSize),
                                      seed: request.seed, steps: request.steps, validationTasks: request.validationTasks, testTasks: request.testTasks, zeroLoss: zero,
                                      tailThreshold: threshold, rows: rows, trainingSeconds: trainingSeconds)
        var lines = [summaryLine(report), TextTable(table(rows), alignment: .left).rendered,
                     "mean +- standard error (median) of the test loss; tail: share of tasks above \(formatCell(threshold)) (\(formatCell(request.tailMultiple)) x the zero predictor); ordered: trained not above GD++ and GD++ below GD, by 2 paired standard errors"]
        if let dir = request.directory {
            var files: [(name: String, bytes: Data)] = [("losses.csv", Data(csv(rows).utf8)), ("losses.svg", Data(chart(rows).svg.utf8)),
                                                         ("training.csv", Data(CSVTable.numeric(header: ["layers", "step", "meanTrainingLoss"], count: curves.count) {
                                                             [Double(curves[$0].layers), Double(curves[$0].step), curves[$0].loss] }.utf8)),
                                                         ("summary.json", Data((try jsonText(report) + "\n").utf8))]
            for (K, m, config) in models { files += try Reproduction.modelFiles(m, config: config, suffix: "-K\(K)") }
            try Reproduction.publish(dir, fixedNames: outputNames, files: files)
            lines.append("wrote \(dir)/summary.json, losses.csv, losses.svg, training.csv, model-K*.safetensors, config-K*.json")
        }
        report.text = lines.joined(separator: "\n")
        return report
    }

    static func summaryLine(_ r: MultilayerReport) -> String {
        "K trained layers vs K steps of GD and GD++ (step sizes fitted on \(r.validationTasks) validation tasks); test loss (half MSE) on \(r.testTasks) tasks; d = N = 10, \(r.steps) training steps of \(r.setting.batchSize) tasks, seed \(r.seed); zero predictor \(formatCell(r.zeroLoss))"
    }

    static func table(_ rows: [MultilayerRow]) -> [[String]] {
        func cell(_ s: LossStatistics) -> String {
            "\(formatCell(s.mean)) +- \(formatCell(s.standardError)) (\(formatCell(s.median)))" + (s.tailFraction > 0 ? " tail \(formatCell(s.tailFraction))" : "")
        }
        var table = [["K", "clip", "trained", "GD++ (fitted)", "GD (fitted)", "ordered"]]
        for r in rows {
            let why = [r.trainedMinusGDPlusPlus.verdict() == .higher ? "trained > GD++" : nil,
                       r.gdPlusPlusMinusGD.verdict() != .lower ? "GD++ not below GD" : nil].compactMap { $0 }.joined(separator: ", ")
            table.append(["\(r.layers)", r.tokenClip.map { formatCell($0) } ?? "-", cell(r.trained), cell(r.gdPlusPlus), cell(r.gd),
                          r.ordered ? "yes" : "NO (\(why))"])
        }
        return table
    }

    static func csv(_ rows: [MultilayerRow]) -> String {
        CSVTable.numeric(header: ["layers", "trainedLoss", "trainedStandardError", "gdPlusPlusLoss", "gdPlusPlusStandardError", "gdLoss", "gdStandardError"],
                         count: rows.count) { i in
            let r = rows[i]
            return [Double(r.layers), r.trained.mean, r.trained.standardError, r.gdPlusPlus.mean, r.gdPlusPlus.standardError, r.gd.mean, r.gd.standardError]
        }
    }

    static func chart(_ rows: [MultilayerRow]) -> LineChart {
        func series(_ name: String, _ color: String, _ f: (MultilayerRow) -> Double, dash: String? = nil) -> LineChart.Series {
            LineChart.Series(name: name, color: color, points: rows.map { (Double($0.layers), f($0)) }, dash: dash)
        }
        return LineChart(title: "Test loss of K trained LSA layers, K steps of GD++ and of GD (fitted)", xLabel: "layers / steps K", panels: [
            LineChart.Panel(yLabel: "loss (half MSE)", series: [series("trained", "#1f4e9c", \.trainedLoss),
                                                                 series("GD++", "#2ca02c", \.gdPlusPlusLoss, dash: "6 4"),
                                                                 series("GD", "#c02020", \.gdLoss, dash: "2 3")]),
        ])
    }
}
