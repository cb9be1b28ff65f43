import ArgumentParser
import Experiments
import Phenomenology

extension Phen {
    struct Steppers: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Which ODE stepper and tolerance time the cliff best: accuracy, evaluations and time per combination.",
            discussion: """
            Integrates the gradient flow from the origin with every GSL stepper offered by `phen flow --ode` (rk8pd, rkf45, rkck, msadams, rk4imp, bsimp, msbdf), at each tolerance (rtol = atol) and with the cliff refinement off (0) and on (16 sub-steps around the steepest sample), and compares the cliff time and plateau length with a reference run (msbdf, 1e-13, refined with 64 sub-steps). Time is the median of --repeats runs in this process.

            Examples:
              icl phen steppers --N 8 --L 32
              icl phen steppers --N 64 --L 256 --tolerances 1e-10,1e-7 --json
            JSON: {"N", "L", "referenceCliffTime", "referencePlateauLength", "target", "cheapest", "rows": [{"method", "tolerance", "refinement", "steps", "evaluations", "seconds", "cliffTime", "cliffTimeError", "plateauLengthError"}]}.
            """)

        @OptionGroup var model: ModelOptions

        @Option(parsing: .unconditional, help: ArgumentHelp("Tolerances (rtol = atol), comma-separated, each in [1e-14, 1e-2].", valueName: "1e-12,1e-10,..."))
        var tolerances: String?

        @Option(parsing: .unconditional, help: "Timed runs per combination (1...1000).")
        var repeats = 11

        @Option(parsing: .unconditional, help: "The cliff-time accuracy (relative, in (0, 1)) the cheapest combination must reach.")
        var target = Real(1e-6)

        @Flag(help: "Print JSON.")
        var json = false

        func parsedTolerances() throws -> [Double] {
            guard let tolerances else { return StepperStudy.defaultTolerances }
            let values = tolerances.split(separator: ",", omittingEmptySubsequences: false).map { Real(argument: String($0))?.value }
            guard !values.isEmpty, values.allSatisfy({ $0 != nil && (1e-14...1e-2).contains($0!) }) else {
                throw ValidationError("--tolerances must be a comma-separated list of numbers in [1e-14, 1e-2], got '\(tolerances)'")
            }
            return values.map { $0! }
        }

        func validate() throws {
            _ = try parsedTolerances()
            guard (1...1000).contains(repeats) else { throw ValidationError("--repeats must be in 1...1000, got \(repeats)") }
            guard target.value > 0 && target.value < 1 else { throw ValidationError("--target must be in (0, 1), got \(target.value)") }
        }

        func run() throws {
            let bar = ProgressBar("steppers", total: 1, unit: "combinations")
            let study: StepperStudy
            do {
                study = try StepperStudy(try model.setup(namesY: false), tolerances: try parsedTolerances(), repeats: repeats,
                                         target: target.value) { done, total in bar.update(done: done, of: total) }
            } catch let error as NoCliff { throw InputError("--N \(model.contextPairs) --L \(model.labels): \(error)") }
            catch let error as GradientFlow.Error { throw InputError("\(error)") }
            bar.finish()
            try emit(study, json: json, text: study.text)
        }
    }
}
