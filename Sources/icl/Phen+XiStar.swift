import ArgumentParser
import Experiments
import Phenomenology

extension Phen {
    struct XiStar: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "xi-star",
            abstract: "The minimizer of the loss over xi at fixed (beta, alpha), by GSL's Brent method, where it exists.",
            discussion: """
            The loss is convex in xi; a finite minimizer exists only when a = alpha y(beta) < 0, N >= 2 and L > N. The closed form xi* = log((L-N) p / ((N-1)(q-p))) / q (p = e^a/(e^a+2N), q = 1/(e^a+2N)) is printed beside Brent's answer as a check.

            Examples:
              icl phen xi-star --N 8 --L 32 --beta 0 --alpha -3
              icl phen xi-star --N 8 --L 32 --alpha 2 --json   (none: says why)
            """)

        @OptionGroup var model: ModelOptions

        @Option(parsing: .unconditional, help: "beta (or y under --y-map direct; a finite number).")
        var beta = Real(0)

        @Option(parsing: .unconditional, help: "alpha (a finite number).")
        var alpha: Real

        @Flag(help: "Print JSON: {\"exists\", \"xi\", \"loss\", \"closedForm\", \"iterations\", \"evaluations\", \"bracket\", \"reason\"}.")
        var json = false

        func run() throws {
            let report: XiStarReport
            do { report = try XiStarReport(try model.setup(), beta: beta.value, alpha: alpha.value) } catch let error as InputError {
                throw error
            } catch let error as NonFiniteResult {
                throw error
            } catch {
                throw InputError("\(error)")
            }
            try emit(report, json: json, text: report.text)
        }
    }
}
