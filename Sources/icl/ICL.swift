import ArgumentParser
import Experiments
import Foundation

@main
struct ICL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "icl",
        abstract: "Check the theory of in-context learning: LSA constructions, dual forms, optima.",
        discussion: """
        Every theorem has an id (lsa-gd, lsa-pgd, lsa-multistep, gd-plus-plus, lsa-features, dual-form, gaussian-optimum). `icl verify` checks them on random instances; `icl construct` prints the weights for your own instance; `icl phen` explores Reddy's induction-head loss; `icl validate` judges a model trained in PyTorch or JAX against the constructions. `icl verify merge` joins the shards of a run, `icl reproduce aggregate` the seeds of a reproduction (`icl merge` and `icl aggregate`, their former names, still work).

        Exit codes: 0 all checks held, 1 a check failed or a result could not be computed, 2 bad input.
        """,
        version: toolVersion,
        subcommands: [
            Verify.self, Construct.self, Phen.self, Lang.self, Train.self, Reproduce.self, Validate.self, Bench.self,
            // Former names, hidden from the help: `icl verify merge`, `icl reproduce aggregate`.
            MergeAlias.self, AggregateAlias.self,
        ]
    )

    /// Parses and runs a subcommand; every usage or input error exits with code 2 (not
    /// ArgumentParser's 64), after one line `error: ...` on stderr (`CommandLineMessage`).
    static func main() {
        Interrupts.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            writeToStandardError("error: \(error)")
            Foundation.exit(2)
        } catch where error is RunFailure || error is NonFiniteResult || error is OutputFailure {
            writeToStandardError("error: \(error)")
            Foundation.exit(1)
        } catch {
            switch exitCode(for: error) {
            case .success:
                exit(withError: error)  // --help, --version
            case .validationFailure:
                writeToStandardError("error: " + CommandLineMessage.line(for: error, of: self))
                Foundation.exit(2)
            default:
                writeToStandardError("error: " + message(for: error))
                Foundation.exit(1)
            }
        }
    }
}

/// A run that could not produce its result (a value overflowed, a write failed): printed as
/// `error: <message>` with exit code 1.
struct RunFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Bad input: printed as `error: <message>` with exit code 2. The CLI builds it from a
/// library error and the flag or file the value came from.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
    /// `flag: what the library said`.
    init(_ flag: String, _ error: any Error) { description = "\(flag): \(error)" }
}
