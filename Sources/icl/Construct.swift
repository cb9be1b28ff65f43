import ArgumentParser
import Experiments

struct Construct: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the LSA weights that run GD on your instance, and both predictions.",
        discussion: """
        The instance file is JSON: {"x": [[..]] (N x d_x), "y": [[..]] (N x d_y), "xQuery": [..], "W0": [[..]] (d_y x d_x, default 0), "preconditioner": [[..]] (d_x x d_x, optional)}. Numbers may be strings "p/q" for exact values.

        Weights per layer: W_K = [[I,0],[0,0]], W_Q = [[Gamma,0],[0,0]], W_V = [[0,0],[W_0,-I]], P = (eta/N) I (Proposition 1; GD++ with --gamma). The query token starts at (x_q, -W_0 x_q); the LSA prediction is minus its y-part after the last layer.

        Examples:
          icl construct --instance task.json --eta 0.5
          icl construct --instance task.json --layers 3 --json
          icl construct --instance task.json --gamma 1/10 --exact --json  (GD++, exact)
          icl construct --instance task.json --no-preconditioner  (plain GD)
        """)

    @Option(parsing: .unconditional, help: "Path of the instance JSON file.")
    var instance: String

    @Option(parsing: .unconditional, help: ArgumentHelp("Learning rate eta (nonzero). Default: the file's \"eta\", else 0.1.", valueName: "number or p/q"))
    var eta: ExactArgument?

    @Option(parsing: .unconditional, help: "Number of layers K = GD steps (1...1000).")
    var layers: Int = 1

    @Flag(name: .customLong("gd-plus-plus"), help: "Build the GD++ layer (von Oswald A.10) instead: one layer, curvature step from --gamma or the file's \"gamma\".")
    var plusPlus = false

    @Option(parsing: .unconditional, help: ArgumentHelp("The GD++ curvature step gamma; implies --gd-plus-plus.", valueName: "number or p/q"))
    var gamma: ExactArgument?

    @Flag(help: "Ignore the file's preconditioner (plain GD weights).")
    var noPreconditioner = false

    @Flag(help: "Compute in exact rationals and print entries as \"p/q\" strings.")
    var exact = false

    @Flag(help: "Run even when the memory or time estimate exceeds the machine or --max-time.")
    var force = false

    @Option(name: .customLong("max-time"), parsing: .unconditional, help: "Refuse a run whose estimated time exceeds this many seconds (> 0).")
    var maxTime = Real(86_400)

    @Flag(help: "Print {\"weights\": [{\"WK\", \"WQ\", \"WV\", \"P\"}...], \"prediction\": {\"lsa\", \"gd\"}}.")
    var json = false

    func validate() throws {
        guard (1...1000).contains(layers) else { throw ValidationError("--layers must be in 1...1000, got \(layers)") }
        if let eta, eta.value == .zero { throw ValidationError("--eta must be a nonzero number or p/q, got 0") }
        guard maxTime.value > 0 else { throw ValidationError("--max-time must be positive") }
        if plusPlus || gamma != nil {
            guard layers == 1 else { throw ValidationError("--gd-plus-plus builds one layer; drop --layers") }
        }
    }

    func run() throws {
        let file: InstanceFile
        do { file = try InstanceFile(path: instance) } catch { throw InputError("--instance", error) }
        var request = ConstructRequest()
        request.eta = eta?.value
        request.gamma = gamma?.value
        request.layers = layers
        request.plusPlus = plusPlus || gamma != nil
        request.ignorePreconditioner = noPreconditioner
        request.exact = exact
        if !force {
            do { try request.estimate(for: file).check(maxSeconds: maxTime.value) } catch {
                throw InputError("--instance \(instance) with --layers \(layers)\(exact ? " --exact" : ""): \(error); pass --force to run anyway")
            }
        }
        let bar = ProgressBar("construct", total: layers + 1, unit: "layers")
        let report: ConstructReport
        defer { bar.finish() }
        do { report = try ConstructReport(file, request) { done, _ in bar.update(done: done) } } catch {
            switch error {
            case .notFinite: throw RunFailure("\(error)")
            case .zeroLearningRate: throw InputError("eta in '\(instance)' must be nonzero")
            case .plusPlusNeedsGamma: throw InputError("--gd-plus-plus needs gamma: give --gamma or a \"gamma\" key in '\(instance)'")
            default: throw InputError("\(error)")
            }
        }
        try emit(report, json: json, text: report.text)
    }
}
