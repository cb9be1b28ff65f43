import Constructions
import Figures
import Foundation
import Linalg
import Training
import Weights

/// `icl validate`: a model trained anywhere, read from its weights file, judged against the
/// construction it should have learned, on the metrics of von Oswald et al. that `icl reproduce`
/// reports for the models it trains itself.
public struct ValidateRequest: Sendable {
    public enum Against: String, Sendable, CaseIterable {
        /// K steps of GD, one per layer: `eta*` in closed form for one layer, fitted steps otherwise.
        case gd
        /// K steps of GD++ (fitted).
        case gdPlusPlus = "gd-plus-plus"
        /// Both fitted; the one with the lower validation loss.
        case multistep
    }

    public enum Inputs: String, Sendable, CaseIterable { case uniform, gaussian }

    public var weightsPath: String
    public var layout = LayoutOptions()
    /// `d`, `N`, `d_y`: from the flags, else the file's metadata (`icl train` writes its model
    /// config there), else `D - 1`, 10 and 1.
    public var inputDimension: Int?
    public var contextCount: Int?
    public var queryInContext: Bool?
    public var tokenClip: Double?
    public var inputs = Inputs.uniform
    public var against = Against.gd
    public var tasks = 10_000
    public var seed: UInt64 = 1
    public var requirements: [Requirement] = []
    public var directory: String?
    public init(weightsPath: String) { self.weightsPath = weightsPath }
}

/// A validation's inputs that cannot make a model or tasks (a usage error: exit 2).
public struct ValidateInputError: Error, Equatable, CustomStringConvertible {
    public var flag: String
    public var message: String
    public var description: String { "\(flag): \(message)" }
}

/// The JSON of `icl validate`; the first ten keys are the contract.
public struct ValidateReport: Codable, Sendable {
    public var layers: Int
    public var heads: Int
    public var trainedLoss: Double
    public var constructionLoss: Double
    public var zeroLoss: Double
    public var etaStar: Double
    public var predsDiff: Double
    public var modelCos: Double
    public var modelDiff: Double
    public var verdict: String
    /// Whether the model implements the construction (model cos >= 0.99 and a loss within 2%).
    public var matches: Bool
    /// `trainedLoss / constructionLoss - 1`.
    public var relativeGap: Double
    public var construction: String
    public var constructionEtas: [Double]
    public var constructionGammas: [Double]
    /// One layer, `d_y = 1`: `Gamma_eff = -N sum_h v_yy M_xx^T` read off the weights, the reference
    /// (`eta* I` for uniform inputs, `Gamma_0` for Gaussian ones), their relative Frobenius
    /// distance, and the size of the terms outside that reading (`residualTerms`).
    public var preconditioner: [[Double]]?
    public var preconditionerReference: [[Double]]?
    public var preconditionerError: Double?
    public var residualTerms: Double?
    /// Several layers: the GD++ steps read off each layer (`eta_k`, `gamma_k`).
    public var readOffEtas: [Double]?
    public var readOffGammas: [Double]?
    public var requirements: [RequirementResult]
    public var file: String
    public var format: String
    public var layout: String
    public var unusedTensors: [String]
    public var d: Int
    public var N: Int
    public var dy: Int
    public var queryInContext: Bool
    public var tokenClip: Double?
    public var inputs: String
    public var tasks: Int
    public var seed: UInt64
    public var text: String = ""

    enum CodingKeys: String, CodingKey {
        case layers, heads, trainedLoss, constructionLoss, zeroLoss, etaStar, predsDiff, modelCos, modelDiff, verdict, matches, relativeGap,
             construction, constructionEtas, constructionGammas, preconditioner, preconditionerReference, preconditionerError, residualTerms,
             readOffEtas, readOffGammas, requirements, file, format, layout, unusedTensors, d, N, dy, queryInContext, tokenClip, inputs, tasks, seed
    }

    /// The numbers a requirement may name.
    public var values: [String: Double] {
        ["trainedLoss": trainedLoss, "constructionLoss": constructionLoss, "zeroLoss": zeroLoss, "etaStar": etaStar, "predsDiff": predsDiff,
         "modelCos": modelCos, "modelDiff": modelDiff, "relativeGap": relativeGap]
    }

    /// Every requirement held.
    public var passed: Bool { requirements.allSatisfy(\.holds) }
}

public enum ValidateRun {
    /// The thresholds of the verdict: model cos at least 0.99, trained loss at most 2% above the construction's.
    public static let cosThreshold = 0.99, lossTolerance = 0.02
    static let outputNames: Set<String> = ["report.html", "summary.json", "weights.svg"]

    /// The model of the file, its shape resolved from the flags, the metadata and the defaults.
    public static func load(_ request: ValidateRequest) throws -> (model: FoldedLSA, file: TensorFile, factors: LSAFactors) {
        let file: TensorFile
        do { file = try TensorFile(path: request.weightsPath) } catch { throw ValidateInputError(flag: "--weights", message: error.description) }
        let factors: LSAFactors
        do { factors = try LSAFactors(tensors: file.tensors, options: request.layout) } catch {
            throw ValidateInputError(flag: "--weights", message: "'\(request.weightsPath.escapingControlCharacters)': \(error.description)")
        }
        let saved = file.metadata["model"].flatMap { try? JSONStyle.decode(LSAModelConfig.self, from: Data($0.utf8)) }
        if let saved {
            // The metadata is the file's word, checked as the flags are.
            guard (1...1_000_000).contains(saved.contextCount), saved.tokenClip.map({ $0 > 0 && $0.isFinite }) ?? true else {
                throw ValidateInputError(flag: "--weights", message: "'\(request.weightsPath.escapingControlCharacters)': the metadata's model config has N = \(saved.contextCount) and token clip \(saved.tokenClip.map { "\($0)" } ?? "none"); N must be in 1...1000000 and the clip positive (give --N and --token-clip to override)")
            }
        }
        let D = factors.tokenDimension
        let d = request.inputDimension ?? saved?.inputDimension ?? D - 1
        guard d >= 1, d < D else { throw ValidateInputError(flag: "--d", message: "must be in 1...\(D - 1) for tokens of size D = \(D) (d_y = D - d), got \(d)") }
        let n = request.contextCount ?? saved?.contextCount ?? 10
        // Two batches of tasks x (N + 1) x D doubles; refused beyond 2^27 entries each (1 GiB).
        let (perTask, o1) = (n + 1).multipliedReportingOverflow(by: D)
        let (entries, o2) = perTask.multipliedReportingOverflow(by: request.tasks)
        guard !o1, !o2, entries <= 1 << 27 else {
            throw ValidateInputError(flag: "--tasks", message: "\(request.tasks) tasks of N + 1 = \(n + 1) tokens of size D = \(D) need more than 1 GiB per batch (2^27 numbers); lower --tasks or --N\(request.contextCount == nil && saved != nil ? " (N is from the file's metadata)" : "")")
        }
        let model = FoldedLSA(factors, outputDimension: D - d, contextCount: n,
                              queryInContext: request.queryInContext ?? saved?.queryInContext ?? false,
                              tokenClip: request.tokenClip ?? saved?.tokenClip)
        return (model, file, factors)
    }

    public static func run(_ request: ValidateRequest, progress: (ProgressEvent) -> Void = { _ in }) throws -> ValidateReport {
        try Reproduction.checkOutput(request.directory, fixedNames: outputNames)
        let (trained, file, factors) = try load(request)
        let shape = trained.shape, d = shape.inputDimension, n = shape.contextCount, K = shape.layers
        let tasks = TaskDistribution(inputDimension: d, outputDimension: shape.outputDimension, contextCount: n,
                                     inputs: request.inputs == .uniform ? .uniform(width: 1) : .gaussian(covariance: Matrix<Double>.identity(d).elements))
        let validation = tasks.batch(seed: request.seed, purpose: .validation, step: 0, tasks: request.tasks)
        let test = tasks.batch(seed: request.seed, purpose: .test, step: 0, tasks: request.tasks)
        let eta = Baselines.leastSquaresLearningRate(validation)
        let label = "fitting \(request.against.rawValue) on \(request.tasks) tasks"
        progress(ProgressEvent(label: label, done: 0, total: 1, unit: "fits"))
        let fit = construction(request.against, trained: trained, validation: validation, eta: eta, seed: request.seed)
        progress(ProgressEvent(label: label, done: 1, total: 1, unit: "fits"))
        let a = Alignment(trained: trained, reference: fit.model, batch: test)
        for (quantity, value) in [("the model's test loss", a.trainedLoss), ("the construction's test loss", a.referenceLoss),
                                  ("preds diff", a.predsDiff), ("model cos", a.modelCos), ("model diff", a.modelDiff)] where !value.isFinite {
            throw NonFiniteResult(quantity: quantity, context: "the \(request.tasks) test tasks of '\(request.weightsPath.escapingControlCharacters)' (weights too large for these inputs?)")
        }
        let zero = test.zeroPredictorLoss
        let gap = a.trainedLoss / a.referenceLoss - 1
        let matches = a.modelCos >= cosThreshold && gap <= lossTolerance
        var report = ValidateReport(
            layers: K, heads: shape.heads, trainedLoss: a.trainedLoss, constructionLoss: a.referenceLoss, zeroLoss: zero, etaStar: eta,
            predsDiff: a.predsDiff, modelCos: a.modelCos, modelDiff: a.modelDiff,
            verdict: verdict(cos: a.modelCos, gap: gap, trained: a.trainedLoss, zero: zero, name: fit.name), matches: matches, relativeGap: gap,
            construction: fit.name, constructionEtas: fit.etas, constructionGammas: fit.gammas, requirements: [],
            file: request.weightsPath, format: file.format.rawValue, layout: factors.layout.rawValue, unusedTensors: factors.unused,
            d: d, N: n, dy: shape.outputDimension, queryInContext: shape.queryInContext, tokenClip: shape.tokenClip,
            inputs: request.inputs.rawValue, tasks: request.tasks, seed: request.seed)
        if K == 1 && shape.outputDimension == 1 {
            let (gamma, residual) = trained.effectivePreconditioner()
            let reference = request.inputs == .uniform ? eta * Matrix<Double>.identity(d)
                : try GaussianOptimum(covariance: Matrix<Double>.identity(d), contextCount: n).optimumDouble()
            report.preconditioner = gamma.rowArrays
            report.preconditionerReference = reference.rowArrays
            report.preconditionerError = GaussianOptimumRun.relativeError(gamma, to: reference)
            guard report.preconditionerError!.isFinite else {
                throw NonFiniteResult(quantity: "||Gamma_eff - reference||", context: "the weights of '\(request.weightsPath.escapingControlCharacters)'")
            }
            report.residualTerms = residual
        } else if K > 1 {
            let readOff = MultilayerRun.readOff(trained)
            (report.readOffEtas, report.readOffGammas) = (readOff.etas, readOff.gammas)
        }
        report.requirements = request.requirements.map { $0.check(report.values) }
        for q in report.requirements where !q.bound.isFinite {
            throw ValidateInputError(flag: "--require", message: "'\(q.requirement)': the bound overflows the double range")
        }
        report.text = text(report)
        if let dir = request.directory {
            let page = ValidatePage(report: report, trained: trained, construction: fit.model)
            try Reproduction.publish(dir, fixedNames: outputNames, files: [
                ("report.html", Data(page.html.utf8)), ("weights.svg", Data(page.weightsFigure.utf8)),
                ("summary.json", Data((try jsonText(report) + "\n").utf8)),
            ])
            report.text += "\nwrote \(dir)/report.html, weights.svg, summary.json"
        }
        return report
    }

    /// The construction fitted on the validation tasks: its name, steps and folded stack.
    static func construction(_ against: ValidateRequest.Against, trained: FoldedLSA, validation: TaskBatch, eta: Double, seed: UInt64)
        -> (name: String, etas: [Double], gammas: [Double], model: FoldedLSA) {
        let K = trained.shape.layers
        let shape = LSAShape(inputDimension: trained.shape.inputDimension, outputDimension: trained.shape.outputDimension,
                             contextCount: trained.shape.contextCount, layers: K, heads: 1, tokenClip: trained.shape.tokenClip)
        let defaults = MultilayerRequest()
        func gd() -> (name: String, etas: [Double], gammas: [Double], model: FoldedLSA, loss: Double) {
            if K == 1 {
                let model = Baselines.gradientDescent(shape, etas: [eta])
                return ("one GD step at eta*", [eta], [0], model, LSAKernel(shape: shape).loss(model, validation))
            }
            let fit = Baselines.tune(plusPlus: false, layers: K, batch: validation, starts: MultilayerRun.gdStarts(layers: K, batch: validation, seed: seed),
                                     maxIterations: defaults.maxIterations, gradientTolerance: defaults.gradientTolerance).best
            return ("\(K) GD steps (fitted)", fit.etas, fit.gammas, Baselines.gdPlusPlus(shape, etas: fit.etas, gammas: fit.gammas), fit.loss)
        }
        func plusPlus(_ gdEtas: [Double]) -> (name: String, etas: [Double], gammas: [Double], model: FoldedLSA, loss: Double) {
            let starts = MultilayerRun.gdPlusPlusStarts(layers: K, batch: validation, fittedGD: gdEtas, trained: trained, seed: seed)
            let fit = Baselines.tune(plusPlus: true, layers: K, batch: validation, starts: starts,
                                     maxIterations: defaults.maxIterations, gradientTolerance: defaults.gradientTolerance).best
            return ("\(K) GD++ step\(K == 1 ? "" : "s") (fitted)", fit.etas, fit.gammas, Baselines.gdPlusPlus(shape, etas: fit.etas, gammas: fit.gammas), fit.loss)
        }
        switch against {
        case .gd:
            let g = gd()
            return (g.name, g.etas, g.gammas, g.model)
        case .gdPlusPlus:
            let p = plusPlus(gd().etas)
            return (p.name, p.etas, p.gammas, p.model)
        case .multistep:
            let g = gd(), p = plusPlus(g.etas)
            let best = p.loss < g.loss ? p : g
            return (best.name, best.etas, best.gammas, best.model)
        }
    }

    /// `gap = loss / reference - 1` in words: a signed percentage, or a factor when it is large.
    static func gapText(_ gap: Double) -> String {
        abs(gap) < 100 ? String(format: "%+.2f%%", 100 * gap) : "\(formatNumber(1 + gap, significant: 3)) times"
    }

    /// A sentence a reader can act on.
    static func verdict(cos: Double, gap: Double, trained: Double, zero: Double, name: String) -> String {
        let c = formatNumber(cos, significant: 4), g = gapText(gap)
        if cos >= cosThreshold && gap <= lossTolerance {
            return "implements \(name): model cos \(c) >= \(cosThreshold) and its loss is \(g) from the construction's"
        }
        if cos >= cosThreshold {
            return "aligned with \(name) (model cos \(c)) but its loss is \(g) from the construction's: undertrained or scaled differently"
        }
        if trained >= 0.9 * zero {
            return "has not learned the task: its loss is \(formatNumber(trained / zero, significant: 3)) of the zero predictor's (model cos \(c))"
        }
        if gap <= lossTolerance {
            return "reaches the loss of \(name) (\(g)) by another algorithm: model cos \(c) < \(cosThreshold)"
        }
        return "does not implement \(name): model cos \(c) < \(cosThreshold) and its loss is \(g) from the construction's"
    }

    static func text(_ r: ValidateReport) -> String {
        var rows: [(String, String)] = [
            ("file", "\(r.file) (\(r.format), \(r.layout) layout)"),
            ("model", "\(r.layers) layer\(r.layers == 1 ? "" : "s"), \(r.heads) head\(r.heads == 1 ? "" : "s"), d = \(r.d), N = \(r.N)"
                + (r.queryInContext ? ", query in context" : "") + (r.tokenClip.map { ", token clip \(formatNumber($0))" } ?? "")),
            ("tasks", "\(r.tasks) validation + \(r.tasks) test, x ~ \(r.inputs == "uniform" ? "U(-1/2, 1/2)^d" : "N(0, I)"), seed \(r.seed)"),
            ("construction", r.construction),
            ("eta* (least squares)", formatCell(r.etaStar)),
            ("trained loss", formatCell(r.trainedLoss) + "  (\(gapText(r.relativeGap)) vs construction)"),
            ("construction loss", formatCell(r.constructionLoss)),
            ("zero predictor", formatCell(r.zeroLoss)),
            ("preds diff", formatCell(r.predsDiff)),
            ("model cos", formatCell(r.modelCos)),
            ("model diff", formatCell(r.modelDiff)),
        ]
        if let e = r.preconditionerError {
            rows.append(("||Gamma_eff - \(r.inputs == "uniform" ? "eta* I" : "Gamma_0")|| / ||ref||", formatCell(e)))
        }
        if let etas = r.readOffEtas, let gammas = r.readOffGammas {
            rows.append(("read-off eta_k", etas.map { formatNumber($0, significant: 4) }.joined(separator: ", ")))
            rows.append(("read-off gamma_k", gammas.map { formatNumber($0, significant: 4) }.joined(separator: ", ")))
        }
        if !r.unusedTensors.isEmpty { rows.append(("tensors not read", r.unusedTensors.map(\.escapingControlCharacters).joined(separator: ", "))) }
        var lines = [TextTable.keyValues(rows), "verdict: \(r.verdict)"]
        for q in r.requirements {
            lines.append("\(q.holds ? "ok  " : "FAIL") \(q.requirement)  (\(formatNumber(q.value, significant: 6)) vs \(formatNumber(q.bound, significant: 6)))")
        }
        return lines.joined(separator: "\n")
    }

    /// The JUnit report of a validation: one case per requirement, or one for the verdict when none was given.
    public static func junit(_ r: ValidateReport, seconds: Double) -> JUnitReport {
        let measured = "trainedLoss \(r.trainedLoss), constructionLoss \(r.constructionLoss), modelCos \(r.modelCos), predsDiff \(r.predsDiff)"
        let cases = r.requirements.isEmpty
            ? [JUnitReport.Case(name: "implements \(r.construction)", failure: r.matches ? nil : r.verdict, output: measured)]
            : r.requirements.map { q in
                JUnitReport.Case(name: q.requirement, failure: q.holds ? nil : "\(q.requirement) failed: \(q.value) vs \(q.bound)",
                                 output: "\(q.value) vs \(q.bound); \(r.verdict)")
            }
        return JUnitReport(suite: "icl validate \(r.file)", cases: cases, seconds: seconds)
    }
}
