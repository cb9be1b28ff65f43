import ArgumentParser
import Constructions
import Foundation
import Linalg

struct Construct: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the LSA weights that run GD on your instance, and both predictions.",
        discussion: """
        The instance file is JSON: {"x": [[..]] (N x d_x), "y": [[..]] (N x d_y), "xQuery": [..],
        "W0": [[..]] (d_y x d_x, default 0), "preconditioner": [[..]] (d_x x d_x, optional)}.
        Numbers may be strings "p/q" for exact values.

        Weights per layer: W_K = [[I,0],[0,0]], W_Q = [[Gamma,0],[0,0]], W_V = [[0,0],[W_0,-I]],
        P = (eta/N) I (Proposition 1; GD++ with --gamma). The query token starts at (x_q, -W_0 x_q);
        the LSA prediction is minus its y-part after the last layer.

        Examples:
          icl construct --instance task.json --eta 0.5
          icl construct --instance task.json --layers 3 --json
          icl construct --instance task.json --gamma 1/10 --exact --json   (GD++ weights, exact)
          icl construct --instance task.json --no-preconditioner            (plain GD even if the file has Gamma)
        """)

    @Option(help: "Path of the instance JSON file.")
    var instance: String

    @Option(help: "Learning rate eta (a number or p/q; nonzero). Default: the file's \"eta\", else 0.1.")
    var eta: String?

    @Option(help: "Number of layers K = GD steps (1...1000).")
    var layers: Int = 1

    @Flag(name: .customLong("gd-plus-plus"), help: "Build the GD++ layer (von Oswald A.10) instead: one layer, curvature step from --gamma or the file's \"gamma\".")
    var plusPlus = false

    @Option(help: "The GD++ curvature step gamma (a number or p/q); implies --gd-plus-plus.")
    var gamma: String?

    @Flag(help: "Ignore the file's preconditioner (plain GD weights).")
    var noPreconditioner = false

    @Flag(help: "Compute in exact rationals and print entries as \"p/q\" strings.")
    var exact = false

    @Flag(help: "Print {\"weights\": [{\"WK\", \"WQ\", \"WV\", \"P\"}...], \"prediction\": {\"lsa\", \"gd\"}}.")
    var json = false

    func validate() throws {
        guard (1...1000).contains(layers) else { throw ValidationError("--layers must be in 1...1000, got \(layers)") }
        if let eta {
            guard let e = Rational(parsing: eta), e != .zero else { throw ValidationError("--eta must be a nonzero number or p/q, got '\(eta)'") }
        }
        if let gamma {
            guard Rational(parsing: gamma) != nil else { throw ValidationError("--gamma must be a number or p/q, got '\(gamma)'") }
        }
        if plusPlus || gamma != nil {
            guard layers == 1 else { throw ValidationError("--gd-plus-plus builds one layer; drop --layers") }
        }
    }

    func run() throws {
        var file = try InstanceFile(path: instance)
        if let eta { file.eta = Rational(parsing: eta)! }
        if let gamma { file.gamma = Rational(parsing: gamma)! }
        if noPreconditioner { file.preconditioner = nil }
        guard file.eta != .zero else { throw InputError("eta in '\(instance)' must be nonzero") }
        if (plusPlus || gamma != nil) && file.gamma == nil {
            throw InputError("--gd-plus-plus needs gamma: give --gamma or a \"gamma\" key in '\(instance)'")
        }
        if exact {
            print(render(file, scalar: { $0 }, format: { $0.description }, jsonValue: { $0.description }))
        } else {
            print(render(file, scalar: { $0.doubleValue }, format: { "\($0)" }, jsonValue: { $0 }))
        }
    }

    /// Builds the construction in scalar type `S` and renders it as text (entries through `format`)
    /// or JSON (entries through `jsonValue`: strings "p/q" when exact, numbers otherwise).
    func render<S: FieldScalar>(_ file: InstanceFile, scalar: (Rational) -> S, format: (S) -> String,
                                jsonValue: (S) -> Any) -> String {
        let task = file.task.map(scalar)
        let w0 = file.initialWeights.map(scalar)
        let etaValue = scalar(file.eta ?? Rational(1, 10))
        let n = task.contextCount
        let stack: LSAStack<S>
        let gd: Matrix<S>
        if plusPlus || gamma != nil, let gammaValue = file.gamma {
            let g = scalar(gammaValue)
            stack = LSAStack(layers: [LSAConstruction.plusPlus(weights: w0, eta: etaValue, gamma: g, contextCount: n)])
            gd = GradientDescent.step(w0, x: task.x, y: task.y, eta: etaValue) * task.xQuery
        } else {
            let gammas = Array(repeating: file.preconditioner?.map(scalar), count: layers)
            let etas = Array(repeating: etaValue, count: layers)
            stack = LSAConstruction.multistep(initialWeights: w0, etas: etas, contextCount: n, preconditioners: gammas)
            gd = GradientDescent.iterates(from: w0, x: task.x, y: task.y, etas: etas, preconditioners: gammas).last! * task.xQuery
        }
        let lsa = readout(stack(task.tokens(initialWeights: w0), contextCount: n), inputDimension: task.inputDimension)
        let heads = stack.layers.map { $0.heads[0] }
        if json {
            func rows(_ m: Matrix<S>) -> [[Any]] { m.rowArrays.map { $0.map(jsonValue) } }
            let weights = heads.map { ["WK": rows($0.key), "WQ": rows($0.query), "WV": rows($0.value), "P": rows($0.projection)] }
            let object: [String: Any] = [
                "weights": weights,
                "prediction": ["lsa": lsa.elements.map(jsonValue), "gd": gd.elements.map(jsonValue)],
            ]
            let data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self)
        }
        var lines: [String] = []
        for (k, head) in heads.enumerated() {
            lines.append("layer \(k + 1)")
            for (name, m) in [("W_K", head.key), ("W_Q", head.query), ("W_V", head.value), ("P", head.projection)] {
                lines.append("  \(name) =")
                lines.append(contentsOf: m.rowArrays.map { "    [" + $0.map(format).joined(separator: ", ") + "]" })
            }
        }
        lines.append("prediction (LSA readout): [" + lsa.elements.map(format).joined(separator: ", ") + "]")
        lines.append("prediction (GD):          [" + gd.elements.map(format).joined(separator: ", ") + "]")
        return lines.joined(separator: "\n")
    }
}
