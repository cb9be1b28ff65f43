import ArgumentParser
import Foundation

@main
struct ICL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "icl",
        abstract: "Check the theory of in-context learning: LSA constructions, dual forms, optima.",
        discussion: """
        Every theorem has an id (lsa-gd, lsa-pgd, lsa-multistep, gd-plus-plus, lsa-features,
        dual-form, gaussian-optimum). `icl verify` checks them on random instances; `icl construct`
        prints the weights for your own instance.

        Exit codes: 0 all checks held, 1 a check failed, 2 bad input.
        """,
        subcommands: [Verify.self, Construct.self, Merge.self, Bench.self, Phen.self, Lang.self]
    )

    /// Parses and runs a subcommand; every usage or input error exits with code 2 (not
    /// ArgumentParser's 64), after one message on stderr.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure || error is InputError {
                let message = error is InputError ? "error: \(error)" : fullMessage(for: error)
                writeToStandardError(message)
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Bad input: printed as `error: <message>` with exit code 2.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Writes one line to standard error.
func writeToStandardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
