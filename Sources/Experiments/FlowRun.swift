import Figures
import Phenomenology

/// `icl phen flow`: gradient flow (or gradient descent) from an initialization, measured
/// for plateau and cliff; with an output directory, `trajectory.csv`, `flow.svg` and
/// `summary.json`, written atomically.
public struct FlowRequest: Sendable {
    public var initial: ReddyPoint = .origin
    /// Integrate the flow with this stepper, unless `learningRate` asks for gradient descent.
    public var method = GradientFlow.Options().method
    public var learningRate: Double?
    public var threshold = CliffSummary.defaultThreshold
    public var timeLimit = 1e7
    public var stopLoss: Double?
    public var relativeTolerance = GradientFlow.Options().relativeTolerance
    public var absoluteTolerance = GradientFlow.Options().absoluteTolerance
    /// Where to write the three files (nothing is written when nil).
    public var directory: String?

    public init() {}
}

public struct FlowRun: Sendable {
    public var trajectory: GradientFlow.Trajectory
    public var summary: CliffReport
    /// The report for a terminal.
    public var text: String

    public init(_ setup: ReddySetup, _ request: FlowRequest) throws {
        self = try setup.visit(Run(request: request))
    }

    init(trajectory: GradientFlow.Trajectory, summary: CliffReport, text: String) {
        (self.trajectory, self.summary, self.text) = (trajectory, summary, text)
    }

    struct Run: ReddyVisitor {
        let request: FlowRequest

        func visit<A: LayerOneAttention>(_ m: ReddyModel<A>) throws -> FlowRun {
            let r = request
            let trajectory: GradientFlow.Trajectory
            if let lr = r.learningRate {
                trajectory = try m.gradientDescent(learningRate: lr, initial: r.initial, timeLimit: r.timeLimit, stopLoss: r.stopLoss)
            } else {
                var options = GradientFlow.Options()
                options.method = r.method
                options.initial = r.initial
                options.timeLimit = r.timeLimit
                options.stopLoss = r.stopLoss
                options.relativeTolerance = r.relativeTolerance
                options.absoluteTolerance = r.absoluteTolerance
                trajectory = try m.gradientFlow(options)
            }
            if let k = trajectory.losses.indices.first(where: { k in
                !trajectory.losses[k].isFinite || !(0..<3).allSatisfy { trajectory.points[k][$0].isFinite }
            }) {
                throw NonFiniteResult(quantity: "the loss or a parameter", context: "t = \(trajectory.times[k]) of the \(r.learningRate == nil ? "flow" : "descent") from \(r.initial) (N = \(m.contextPairs), L = \(m.labels))")
            }
            let s = trajectory.cliffSummary(threshold: r.threshold)
            let names = trajectory.coordinateNames
            let dynamics = r.learningRate.map { "gradient descent, lr = \(formatNumber($0))" } ?? "gradient flow, \(r.method.rawValue)"
            let report = CliffReport(s, N: m.contextPairs, L: m.labels, yMap: m.attention.name, names: names,
                                     dynamics: dynamics, trajectory: trajectory)
            if let directory = r.directory {
                let start = (0..<3).map { formatNumber(r.initial[$0]) }.joined(separator: ", ")
                let title = "Reddy loss, N = \(m.contextPairs), L = \(m.labels): \(dynamics) from (\(start))"
                try writeAtomically(directory: directory, files: [
                    ("trajectory.csv", trajectory.csvText),
                    ("flow.svg", flowFigure(trajectory, title: title, summary: s)),
                    ("summary.json", try jsonText(report) + "\n"),
                ])
            }
            var lines = ["N = \(m.contextPairs), L = \(m.labels), \(dynamics), \(trajectory.steps) steps, \(trajectory.evaluations) gradient evaluations, stopped: \(trajectory.stop.rawValue)"]
            lines.append(TextTable.keyValues([
                ("initial loss", formatCell(s.initialLoss)),
                ("plateau length (t_on)", formatCell(s.plateauLength)),
                ("cliff time (t_c)", formatCell(s.cliffTime)),
                ("cliff end (t_off)", formatCell(s.cliffEnd)),
                ("loss before cliff", formatCell(s.lossBefore)),
                ("loss after cliff", formatCell(s.lossAfter)),
                ("steepest slope", formatCell(s.maxSlope)),
                ("mean plateau slope", formatCell(s.meanPlateauSlope)),
                ("final time", formatCell(s.finalTime)),
                ("final loss", formatCell(s.finalLoss)),
            ] + (0..<3).reversed().map { ("first |\(names[$0])| > \(formatCell(r.threshold))", formatCell(s.firstExceeds[$0])) }))
            if let reason = s.noCliffReason { lines.append("no cliff: \(reason)") }
            if let directory = r.directory { lines.append("wrote \(directory)/trajectory.csv, \(directory)/flow.svg, \(directory)/summary.json") }
            return FlowRun(trajectory: trajectory, summary: report, text: lines.joined(separator: "\n"))
        }
    }
}

extension GradientFlow.Trajectory {
    /// CSV of the samples: t, the three coordinates (by name), loss, the gradient and the slope |g|^2.
    public var csvText: String {
        let names = coordinateNames
        return CSVTable.numeric(header: ["t"] + names + ["loss"] + names.map { "d" + $0 } + ["slope"], count: count) { i in
            let p = points[i], g = gradients[i]
            return [times[i], p[0], p[1], p[2], losses[i], g[0], g[1], g[2], slopes[i]]
        }
    }
}
