import ArgumentParser
import Experiments
import Phenomenology

extension Phen {
    struct Loss: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The loss, its exact gradient and Hessian, and y at one point.",
            discussion: """
            Examples:
              icl phen loss --N 8 --L 32                  (the origin: log L, chance)
              icl phen loss --N 8 --L 32 --beta 1 --alpha 2 --xi 3 --json
              icl phen loss --N 8 --L 32 --y 0.4 --alpha 2 --xi 3   (y, alpha, xi)
            JSON: {"loss", "y", "gradient": {"beta" (or "y"), "alpha", "xi"}, "hessian": [[..]], "N", "L", "yMap"}.
            """)

        @OptionGroup var model: ModelOptions

        @Option(parsing: .unconditional, help: "beta, the layer-1 position-position strength (a finite number).")
        var beta: Real?

        @Option(parsing: .unconditional, help: "y itself (a finite number; 0 < y <= 1 is an attention weight), instead of --beta: selects the direct map.")
        var y: Real?

        @Option(parsing: .unconditional, help: "alpha, the layer-2 content-buffer strength (a finite number).")
        var alpha = Real(0)

        @Option(parsing: .unconditional, help: "xi, the classifier overlap (a finite number).")
        var xi = Real(0)

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            if beta != nil && y != nil { throw ValidationError("give --beta or --y, not both") }
        }

        func run() throws {
            let point = ReddyPoint(beta: (y ?? beta ?? Real(0)).value, alpha: alpha.value, xi: xi.value)
            let report = try LossReport(try model.setup(namesY: y != nil), at: point)
            try emit(report, json: json, text: report.text)
        }
    }
}
