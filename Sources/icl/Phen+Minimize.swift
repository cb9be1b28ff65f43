import ArgumentParser
import Experiments
import Linalg
import Phenomenology

extension Phen {
    struct Minimize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Minimize the loss with a GSL multimin method; reports why it stopped.",
            discussion: """
            The loss has no finite minimizer: it tends to 0 as the parameters grow along the induction-head direction. A run stops when the loss reaches --loss-tol, the gradient norm --grad-tol, the simplex size --size-tol (simplex), when an iterate leaves the --box, at --max-iter, or when GSL reports no progress; the report says which.

            Methods: bfgs2 (vector_bfgs2), cg-fr (conjugate_fr), cg-pr (conjugate_pr), steepest (steepest_descent), all with the exact gradient; simplex (nmsimplex2, no gradient).

            Examples:
              icl phen minimize --N 8 --L 32
              icl phen minimize --method cg-pr --init beta=1,alpha=1,xi=1 --json
              icl phen minimize --N 8 --L 32 --method simplex --box -5:5 --loss-tol 1e-8
            JSON: {"method", "gslMethod", "iterations", "lossEvaluations", "gradientEvaluations", "point", "loss", "gradient", "gradientNorm", "stop", "gslStatus", "gslMessage"}.
            """)

        @OptionGroup var model: ModelOptions

        @Option(parsing: .unconditional, help: "The GSL method.")
        var method: Multimin.Method = .bfgs2

        @Option(name: .customLong("init"), parsing: .unconditional, help: ArgumentHelp("Starting point; missing coordinates are 0, y= selects the direct map.", valueName: "beta=0,alpha=1,xi=1"))
        var initial: PointArgument?

        @Option(parsing: .unconditional, help: ArgumentHelp("Box for every coordinate; the run stops when an iterate leaves it.", valueName: "lo:hi"))
        var box: Interval?

        @Option(name: .customLong("loss-tol"), parsing: .unconditional, help: "Stop when the loss is at or below this (>= 0).")
        var lossTolerance = Real(1e-4)

        @Option(name: .customLong("grad-tol"), parsing: .unconditional, help: "Stop when the gradient norm is at or below this (>= 0).")
        var gradientTolerance = Real(1e-10)

        @Option(name: .customLong("size-tol"), parsing: .unconditional, help: "Simplex: stop when the simplex size is at or below this (>= 0).")
        var sizeTolerance = Real(1e-10)

        @Option(name: .customLong("max-iter"), parsing: .unconditional, help: "Iteration limit (>= 0).")
        var maxIterations: Int = 10_000

        @Option(parsing: .unconditional, help: "First trial step (fdf methods) or initial simplex edge (> 0).")
        var step = Real(0.1)

        @Flag(help: "Print JSON.")
        var json = false

        var start: ReddyPoint { initial?.point ?? .origin }

        func validate() throws {
            guard maxIterations >= 0 else { throw ValidationError("--max-iter must be >= 0") }
            guard step.value > 0 else { throw ValidationError("--step must be positive") }
            for (name, v) in [("--loss-tol", lossTolerance), ("--grad-tol", gradientTolerance), ("--size-tol", sizeTolerance)] {
                guard v.value >= 0 else { throw ValidationError("\(name) must be a non-negative number") }
            }
            if let box {
                guard (0..<3).allSatisfy({ box.lower <= start[$0] && start[$0] <= box.upper }) else {
                    throw ValidationError("--init lies outside --box \(box.lower):\(box.upper)")
                }
            }
        }

        func run() throws {
            var options = MinimizerOptions()
            options.method = method
            options.initial = start
            options.stepSize = step.value
            options.lossTolerance = lossTolerance.value
            options.gradientTolerance = gradientTolerance.value
            options.simplexTolerance = sizeTolerance.value
            options.maxIterations = maxIterations
            if let box { options.box = (ReddyPoint(SIMD3(repeating: box.lower)), ReddyPoint(SIMD3(repeating: box.upper))) }
            let report: MinimizeReport
            do { report = try MinimizeReport(try model.setup(namesY: initial?.usesY ?? false), options: options) }
            catch let error as MinimizerError { throw InputError("\(error)") }
            try emit(report, json: json, text: report.text)
        }
    }
}
