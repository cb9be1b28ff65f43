import ArgumentParser
import Foundation
import Phenomenology

struct PhenFlow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Gradient flow (GSL odeiv2) or gradient descent from an initialization; plateau and cliff.",
        discussion: """
        Integrates dtheta/dt = -grad Loss (rk8pd adaptive by default, msbdf with the exact Hessian as Jacobian), or with --lr runs gradient descent (time = step x lr), until the loss falls to --stop-loss (default 1% of log L) and then 20% longer, or until --t-max.

        Measurements: cliff time t_c = time of the steepest loss drop; plateau length t_on = where the tangent at the cliff crosses the initial loss; t_off = where it reaches 0; lossBefore = Loss(t_on), lossAfter = Loss(t_off); firstExceeds = first time |parameter| > --threshold.

        With --out DIR: DIR/trajectory.csv, DIR/flow.svg (loss and parameters over time, cliff marked) and DIR/summary.json, written atomically.

        Examples:
          icl phen flow --N 8 --L 32 --out out/flow
          icl phen flow --N 8 --L 32 --ode msbdf --json
          icl phen flow --N 8 --L 32 --lr 0.5 --init xi=0.1
          icl phen flow --N 8 --L 8 --init alpha=0.01,xi=0.01   (L = N: saddle)
        """)

    @OptionGroup var model: PhenModelOptions

    @Option(name: .customLong("init"), help: "Initialization, e.g. alpha=0.1,xi=0.1 (default: the origin).")
    var initial: String = "beta=0,alpha=0,xi=0"

    @Option(help: "ODE stepper: rk8pd or msbdf.")
    var ode: ODEMethod = .rk8pd

    @Option(parsing: .unconditional, help: "Run gradient descent with this learning rate instead of the flow.")
    var lr: Double?

    @Option(parsing: .unconditional, help: "Threshold for the first-exceed times.")
    var threshold: Double = CliffSummary.defaultThreshold

    @Option(name: .customLong("t-max"), parsing: .unconditional, help: "Time limit.")
    var timeLimit: Double = 1e7

    @Option(name: .customLong("stop-loss"), parsing: .unconditional, help: "Stop level of the loss (default 0.01 log L).")
    var stopLoss: Double?

    @Option(help: "Relative tolerance of the ODE step control.")
    var rtol: Double = 1e-10

    @Option(help: "Absolute tolerance of the ODE step control.")
    var atol: Double = 1e-10

    @Option(help: "Output directory for trajectory.csv, flow.svg, summary.json.")
    var out: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        guard PointSpec(initial) != nil else { throw ValidationError("--init must look like alpha=0.1,xi=0.1, got '\(initial)'") }
        if let lr { guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be positive, got \(lr)") } }
        guard threshold > 0, threshold.isFinite else { throw ValidationError("--threshold must be positive") }
        guard timeLimit > 0, timeLimit.isFinite else { throw ValidationError("--t-max must be positive") }
        if let stopLoss { guard stopLoss >= 0, stopLoss.isFinite else { throw ValidationError("--stop-loss must be >= 0") } }
        guard rtol >= 0, atol >= 0, rtol + atol > 0 else { throw ValidationError("--rtol and --atol must be >= 0, not both 0") }
    }

    func run() throws {
        try model.withModel(direct: PointSpec(initial)!.usesY, self)
    }
}

extension PhenFlow: ModelVisitor {
    func visit<A: LayerOneAttention>(_ m: ReddyModel<A>) throws {
        let start = PointSpec(initial)!.point
        let trajectory: Trajectory
        do {
            if let lr {
                trajectory = try m.gradientDescent(learningRate: lr, initial: start, timeLimit: timeLimit, stopLoss: stopLoss)
            } else {
                var options = FlowOptions()
                options.method = ode
                options.initial = start
                options.timeLimit = timeLimit
                options.stopLoss = stopLoss
                options.relativeTolerance = rtol
                options.absoluteTolerance = atol
                trajectory = try m.gradientFlow(options)
            }
        } catch let e as DynamicsError { throw InputError(e.description) }
        let summary = trajectory.cliffSummary(threshold: threshold)
        let names = coordinateNames(m.attention)
        let dynamics = lr.map { "gradient descent, lr = \(formatNumber($0))" } ?? "gradient flow, \(ode.rawValue)"
        let object = summaryJSON(summary, trajectory: trajectory, names: names, model: m, dynamics: dynamics)
        if let out {
            let title = "Reddy loss, N = \(m.contextPairs), L = \(m.labels): \(dynamics) from (\((0..<3).map { formatNumber(start[$0]) }.joined(separator: ", ")))"
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            try writeAtomically(directory: out, files: [
                ("trajectory.csv", trajectory.csv()),
                ("flow.svg", trajectory.svg(title: title, summary: summary)),
                ("summary.json", String(decoding: data, as: UTF8.self) + "\n"),
            ])
        }
        if json { try printJSON(object); return }
        print("N = \(m.contextPairs), L = \(m.labels), \(dynamics), \(trajectory.steps) steps, \(trajectory.evaluations) gradient evaluations, stopped: \(trajectory.stop.rawValue)")
        print(keyValues([
            ("initial loss", fmt(summary.initialLoss)),
            ("plateau length (t_on)", fmt(summary.plateauLength)),
            ("cliff time (t_c)", fmt(summary.cliffTime)),
            ("cliff end (t_off)", fmt(summary.cliffEnd)),
            ("loss before cliff", fmt(summary.lossBefore)),
            ("loss after cliff", fmt(summary.lossAfter)),
            ("steepest slope", fmt(summary.maxSlope)),
            ("mean plateau slope", fmt(summary.meanPlateauSlope)),
            ("final time", fmt(summary.finalTime)),
            ("final loss", fmt(summary.finalLoss)),
        ] + (0..<3).reversed().map { ("first |\(names[$0])| > \(fmt(threshold))", fmt(summary.firstExceeds[$0])) }))
        if let out { print("wrote \(out)/trajectory.csv, \(out)/flow.svg, \(out)/summary.json") }
    }
}

extension ODEMethod: ExpressibleByArgument {}

/// The summary object of `icl phen flow` (and one row of `icl phen sweep`).
func summaryJSON<A>(_ s: CliffSummary, trajectory: Trajectory?, names: [String], model: ReddyModel<A>, dynamics: String) -> [String: Any] {
    var object: [String: Any] = [
        "N": model.contextPairs, "L": model.labels, "yMap": model.attention.name, "dynamics": dynamics,
        "cliffTime": jsonNumber(s.cliffTime), "plateauLength": jsonNumber(s.plateauLength), "cliffEnd": jsonNumber(s.cliffEnd),
        "lossBefore": jsonNumber(s.lossBefore), "lossAfter": jsonNumber(s.lossAfter), "initialLoss": jsonNumber(s.initialLoss),
        "maxSlope": jsonNumber(s.maxSlope), "meanPlateauSlope": jsonNumber(s.meanPlateauSlope),
        "cliffSharpness": jsonNumber(s.cliffSharpness),
        "threshold": s.threshold,
        "firstExceeds": [names[0]: jsonNumber(s.firstExceeds[0]), names[1]: jsonNumber(s.firstExceeds[1]), names[2]: jsonNumber(s.firstExceeds[2])],
        "finalTime": jsonNumber(s.finalTime), "finalLoss": jsonNumber(s.finalLoss), "finalPoint": jsonPoint(s.finalPoint, names: names),
    ]
    if let trajectory {
        object["steps"] = trajectory.steps
        object["evaluations"] = trajectory.evaluations
        object["stop"] = trajectory.stop.rawValue
    }
    return object
}
