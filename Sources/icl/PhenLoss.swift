import ArgumentParser
import Foundation
import Phenomenology

struct PhenLoss: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loss",
        abstract: "The loss, its exact gradient and Hessian, and y at one point.",
        discussion: """
        Examples:
          icl phen loss --N 8 --L 32                  (the origin: log L, chance)
          icl phen loss --N 8 --L 32 --beta 1 --alpha 2 --xi 3 --json
          icl phen loss --N 8 --L 32 --y 0.4 --alpha 2 --xi 3   (y, alpha, xi)
        JSON: {"loss", "y", "gradient": {"beta" (or "y"), "alpha", "xi"}, "hessian": [[..]], "N", "L", "yMap"}.
        """)

    @OptionGroup var model: PhenModelOptions

    @Option(parsing: .unconditional, help: "beta, the layer-1 position-position strength.")
    var beta: Double?

    @Option(parsing: .unconditional, help: "y itself (0 < y <= 1 is an attention weight), instead of --beta: selects the direct map.")
    var y: Double?

    @Option(parsing: .unconditional, help: "alpha, the layer-2 content-buffer strength.")
    var alpha: Double = 0

    @Option(parsing: .unconditional, help: "xi, the classifier overlap.")
    var xi: Double = 0

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if beta != nil && y != nil { throw ValidationError("give --beta or --y, not both") }
        for (name, v) in [("--beta", beta), ("--y", y), ("--alpha", alpha), ("--xi", xi)] {
            if let v, !v.isFinite { throw ValidationError("\(name) must be a finite number") }
        }
    }

    func run() throws {
        try model.withModel(direct: y != nil, self)
    }
}

extension PhenLoss: ModelVisitor {
    func visit<A: LayerOneAttention>(_ m: ReddyModel<A>) throws {
        let point = Parameters(y ?? beta ?? 0, alpha, xi)
        let e = m.evaluate(at: point)
        let names = coordinateNames(m.attention)
        if json {
            try printJSON([
                "N": m.contextPairs, "L": m.labels, "yMap": m.attention.name,
                "point": jsonPoint(point, names: names),
                "loss": jsonNumber(e.loss), "y": jsonNumber(e.y),
                "gradient": jsonPoint(e.gradient, names: names),
                "hessian": e.hessian.rows.map { $0.map(jsonNumber) },
            ] as [String: Any])
            return
        }
        print("N = \(m.contextPairs), L = \(m.labels), y-map \(m.attention.name)")
        print("point      (\(names.joined(separator: ", "))) = (\(fmt(point[0], 17)), \(fmt(point[1], 17)), \(fmt(point[2], 17)))")
        print("y          \(fmt(e.y, 17))")
        print("loss       \(fmt(e.loss, 17))   (chance: log L = \(fmt(log(Double(m.labels)), 17)))")
        print("gradient   " + (0..<3).map { "d/d\(names[$0]) = \(fmt(e.gradient[$0], 10))" }.joined(separator: ", "))
        print("hessian")
        print(table(e.hessian.rows.map { $0.map { fmt($0, 10) } }).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    }
}
