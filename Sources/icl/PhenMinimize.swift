import ArgumentParser
import Foundation
import Phenomenology

struct PhenMinimize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minimize",
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

    @OptionGroup var model: PhenModelOptions

    @Option(help: "bfgs2, cg-fr, cg-pr, steepest or simplex.")
    var method: MinimizerMethod = .bfgs2

    @Option(name: .customLong("init"), help: "Starting point, e.g. beta=0,alpha=1,xi=1 (missing coordinates are 0; y= selects the direct map).")
    var initial: String = "beta=0,alpha=0,xi=0"

    @Option(parsing: .unconditional, help: "Box lo:hi for every coordinate; the run stops when an iterate leaves it.")
    var box: String?

    @Option(name: .customLong("loss-tol"), help: "Stop when the loss is at or below this.")
    var lossTolerance: Double = 1e-4

    @Option(name: .customLong("grad-tol"), help: "Stop when the gradient norm is at or below this.")
    var gradientTolerance: Double = 1e-10

    @Option(name: .customLong("size-tol"), help: "Simplex: stop when the simplex size is at or below this.")
    var sizeTolerance: Double = 1e-10

    @Option(name: .customLong("max-iter"), help: "Iteration limit.")
    var maxIterations: Int = 10_000

    @Option(help: "First trial step (fdf methods) or initial simplex edge.")
    var step: Double = 0.1

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard PointSpec(initial) != nil else { throw ValidationError("--init must look like beta=0,alpha=1,xi=1, got '\(initial)'") }
        if let box { guard parseBox(box) != nil else { throw ValidationError("--box must be lo:hi with finite lo < hi, got '\(box)'") } }
        guard maxIterations >= 0 else { throw ValidationError("--max-iter must be >= 0") }
        guard step > 0, step.isFinite else { throw ValidationError("--step must be positive") }
        for (name, v) in [("--loss-tol", lossTolerance), ("--grad-tol", gradientTolerance), ("--size-tol", sizeTolerance)] {
            guard v >= 0, v.isFinite else { throw ValidationError("\(name) must be a non-negative number") }
        }
        if let box, let (lo, hi) = parseBox(box), let p = PointSpec(initial)?.point {
            guard (0..<3).allSatisfy({ lo <= p[$0] && p[$0] <= hi }) else { throw ValidationError("--init lies outside --box \(box)") }
        }
    }

    func run() throws {
        try model.withModel(direct: PointSpec(initial)!.usesY, self)
    }
}

extension PhenMinimize: ModelVisitor {
    func visit<A: LayerOneAttention>(_ m: ReddyModel<A>) throws {
        let start = PointSpec(initial)!.point
        var options = MinimizerOptions()
        options.method = method
        options.initial = start
        options.stepSize = step
        options.lossTolerance = lossTolerance
        options.gradientTolerance = gradientTolerance
        options.simplexTolerance = sizeTolerance
        options.maxIterations = maxIterations
        if let box, let (lo, hi) = parseBox(box) { options.box = (Parameters(repeating: lo), Parameters(repeating: hi)) }
        let r: MinimizationResult
        do { r = try m.minimize(options) } catch let e as MinimizerError { throw InputError(e.description) }
        let names = coordinateNames(m.attention)
        if json {
            try printJSON([
                "N": m.contextPairs, "L": m.labels, "yMap": m.attention.name,
                "method": r.method.rawValue, "gslMethod": r.method.gslName, "iterations": r.iterations,
                "lossEvaluations": r.lossEvaluations, "gradientEvaluations": r.gradientEvaluations,
                "initial": jsonPoint(start, names: names), "point": jsonPoint(r.point, names: names),
                "loss": jsonNumber(r.loss), "gradient": jsonPoint(r.gradient, names: names),
                "gradientNorm": jsonNumber(r.gradientNorm), "stop": r.stop.rawValue,
                "gslStatus": Int(r.gslStatus), "gslMessage": r.gslMessage,
            ] as [String: Any])
            return
        }
        print(keyValues([
            ("method", "\(r.method.rawValue) (gsl \(r.method.gslName))"),
            ("stopped by", r.stop.rawValue),
            ("gsl status", "\(r.gslStatus) (\(r.gslMessage))"),
            ("iterations", "\(r.iterations)"),
            ("evaluations", "\(r.lossEvaluations) loss, \(r.gradientEvaluations) gradient"),
            ("point", (0..<3).map { "\(names[$0]) = \(fmt(r.point[$0], 8))" }.joined(separator: ", ")),
            ("loss", fmt(r.loss, 10)),
            ("gradient norm", fmt(r.gradientNorm, 6)),
        ]))
    }
}

extension MinimizerMethod: ExpressibleByArgument {}

/// "lo:hi" with finite lo < hi.
func parseBox(_ text: String) -> (Double, Double)? {
    let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2, let lo = Double(parts[0]), let hi = Double(parts[1]), lo.isFinite, hi.isFinite, lo < hi else { return nil }
    return (lo, hi)
}

struct PhenXiStar: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xi-star",
        abstract: "The minimizer of the loss over xi at fixed (beta, alpha), by GSL's Brent method, where it exists.",
        discussion: """
        The loss is convex in xi; a finite minimizer exists only when a = alpha y(beta) < 0, N >= 2 and L > N. The closed form xi* = log((L-N) p / ((N-1)(q-p))) / q (p = e^a/(e^a+2N), q = 1/(e^a+2N)) is printed beside Brent's answer as a check.

        Examples:
          icl phen xi-star --N 8 --L 32 --beta 0 --alpha -3
          icl phen xi-star --N 8 --L 32 --alpha 2 --json   (none: says why)
        """)

    @OptionGroup var model: PhenModelOptions

    @Option(parsing: .unconditional, help: "beta (or y under --y-map direct).")
    var beta: Double = 0

    @Option(parsing: .unconditional, help: "alpha.")
    var alpha: Double

    @Flag(help: "Print JSON: {\"exists\", \"xi\", \"loss\", \"closedForm\", \"iterations\", \"evaluations\", \"reason\"}.")
    var json = false

    func validate() throws {
        guard beta.isFinite, alpha.isFinite else { throw ValidationError("--beta and --alpha must be finite") }
    }

    func run() throws { try model.withModel(self) }
}

extension PhenXiStar: ModelVisitor {
    func visit<A: LayerOneAttention>(_ m: ReddyModel<A>) throws {
        let result: Result<XiMinimum, XiMinimumAbsence>
        do { result = try m.minimizeXi(beta: beta, alpha: alpha) } catch { throw InputError("\(error)") }
        switch result {
        case .success(let r):
            if json {
                try printJSON(["exists": true, "xi": jsonNumber(r.xi), "loss": jsonNumber(r.loss), "closedForm": jsonNumber(r.closedForm),
                               "iterations": r.iterations, "evaluations": r.evaluations,
                               "bracket": [jsonNumber(r.lower), jsonNumber(r.upper)]] as [String: Any])
            } else {
                print("xi* = \(fmt(r.xi, 12)) (Brent, \(r.iterations) iterations, \(r.evaluations) evaluations; closed form \(fmt(r.closedForm, 12)))")
                print("loss at xi* = \(fmt(r.loss, 12))")
            }
        case .failure(let why):
            if json { try printJSON(["exists": false, "reason": why.description] as [String: Any]) } else { print(why.description) }
        }
    }
}
