import ArgumentParser
import Experiments
import Phenomenology

extension Phen {
    struct Flow: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Gradient flow (GSL odeiv2) or gradient descent from an initialization; plateau and cliff.",
            discussion: """
            Integrates dtheta/dt = -grad Loss (GSL odeiv2: Cash-Karp rkck at rtol = atol = 1e-7 by default, chosen by `icl phen steppers`; msbdf, rk4imp and bsimp use the exact Hessian as Jacobian), the two steps around the steepest point integrated again with 16 sub-steps, or with --lr runs gradient descent (time = step x lr), until the loss falls to --stop-loss (default 1% of log L) and then 20% longer, or until --t-max.

            Measurements: cliff time t_c = time of the steepest loss drop; plateau length t_on = where the tangent at the cliff crosses the initial loss; t_off = where it reaches 0; lossBefore = Loss(t_on), lossAfter = Loss(t_off); firstExceeds = first time |parameter| > --threshold.

            With --out DIR: DIR/trajectory.csv, DIR/flow.svg (loss and parameters over time, cliff marked) and DIR/summary.json, written atomically.

            Examples:
              icl phen flow --N 8 --L 32 --out out/flow
              icl phen flow --N 8 --L 32 --ode msbdf --json
              icl phen flow --N 8 --L 32 --lr 0.5 --init xi=0.1
              icl phen flow --N 8 --L 8 --init alpha=0.01,xi=0.01   (L = N: saddle)
            """)

        @OptionGroup var model: ModelOptions

        @Option(name: .customLong("init"), parsing: .unconditional, help: ArgumentHelp("Initialization: name=value pairs over beta (or y), alpha, xi, each finite (default: the origin).", valueName: "alpha=0.1,xi=0.1"))
        var initial: PointArgument?

        @Option(parsing: .unconditional, help: "ODE stepper.")
        var ode = GradientFlow.Options().method

        @Option(parsing: .unconditional, help: "Run gradient descent with this learning rate (> 0) instead of the flow.")
        var lr: Real?

        @Option(parsing: .unconditional, help: "Threshold (> 0) for the first-exceed times.")
        var threshold = Real(CliffSummary.defaultThreshold)

        @Option(name: .customLong("t-max"), parsing: .unconditional, help: "Time limit (> 0).")
        var timeLimit = Real(1e7)

        @Option(name: .customLong("stop-loss"), parsing: .unconditional, help: "Stop level of the loss (>= 0; default 0.01 log L).")
        var stopLoss: Real?

        @Option(parsing: .unconditional, help: "Relative tolerance of the ODE step control (>= 0).")
        var rtol = Real(GradientFlow.Options().relativeTolerance)

        @Option(parsing: .unconditional, help: "Absolute tolerance of the ODE step control (>= 0; not both 0).")
        var atol = Real(GradientFlow.Options().absoluteTolerance)

        @Option(parsing: .unconditional, help: "Output directory for trajectory.csv, flow.svg, summary.json.")
        var out: String?

        @Flag(help: "Print the summary as JSON.")
        var json = false

        func validate() throws {
            if let lr {
                guard lr.value > 0 else { throw ValidationError("--lr must be positive, got \(lr.value)") }
                // Time = step x lr: a step longer than the time limit ends the descent before it starts.
                guard lr.value <= timeLimit.value else {
                    throw ValidationError("--lr \(lr.value) is longer than --t-max \(timeLimit.value): gradient descent (time = step x lr) would stop before its first step; give --lr <= --t-max")
                }
            }
            guard threshold.value > 0 else { throw ValidationError("--threshold must be positive") }
            guard timeLimit.value > 0 else { throw ValidationError("--t-max must be positive") }
            if let stopLoss { guard stopLoss.value >= 0 else { throw ValidationError("--stop-loss must be >= 0") } }
            guard rtol.value >= 0, atol.value >= 0, rtol.value + atol.value > 0 else {
                throw ValidationError("--rtol and --atol must be >= 0, not both 0")
            }
        }

        func run() throws {
            var request = FlowRequest()
            request.initial = initial?.point ?? .origin
            request.method = ode
            request.learningRate = lr?.value
            request.threshold = threshold.value
            request.timeLimit = timeLimit.value
            request.stopLoss = stopLoss?.value
            request.relativeTolerance = rtol.value
            request.absoluteTolerance = atol.value
            request.directory = out
            let flow: FlowRun
            do { flow = try FlowRun(try model.setup(namesY: initial?.usesY ?? false), request) }
            catch let error as GradientFlow.Error { throw InputError("\(error)") }
            catch let error as OutputError { throw outputFailure("--out", error) }
            try emit(flow.summary, json: json, text: flow.text)
        }
    }
}
