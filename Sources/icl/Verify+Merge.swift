import ArgumentParser
import Experiments

extension Verify {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge the JSON outputs of `icl verify --shard ... --json` into one report.",
            discussion: """
            The files must be the shards 0/n ... (n-1)/n of one run (same seed, --instances, theorems and arithmetic), each exactly once; a duplicate, overlapping or missing shard is refused. (`icl merge` is the former name of this command and still works.)

            Example: icl verify merge s0.json s1.json s2.json s3.json --json
            """)

        /// ArgumentParser reads a parent's options first, from the whole command line, so
        /// `icl verify`'s own `--json` takes the flag wherever it is typed: it is read from there.
        @ParentCommand var verify: Verify

        @OptionGroup var arguments: MergeArguments

        func validate() throws {
            try arguments.validate()
            guard verify.hasOnlyDefaultRunOptions else {
                throw ValidationError("`icl verify merge` takes JSON files and --json; --theorem, --instances, --seed, --exact, --shard and --max-time were given to the run that wrote them")
            }
        }

        func run() throws { try Merge.merge(arguments.files, json: arguments.json || verify.json) }

        /// Merges the shard reports in `files` and prints the report; exit code 1 when a check failed.
        static func merge(_ files: [String], json: Bool) throws {
            let report: VerifyReport
            do { report = try VerifyReport.merge(try files.map(VerifyReport.init(contentsOf:)), names: files) } catch { throw InputError("\(error)") }
            try emit(report, json: json, text: report.table)
            if !report.passed { throw ExitCode(1) }
        }
    }
}

extension Verify {
    /// Whether no option of the run itself was typed (the ones of `icl verify merge` are read
    /// after the parent's, see `Merge.verify`).
    var hasOnlyDefaultRunOptions: Bool {
        guard let defaults = try? Verify.parse([]) else { return false }
        return theorems == defaults.theorems && instances == defaults.instances && seed == defaults.seed
            && exact == defaults.exact && shard == defaults.shard && maxTime == defaults.maxTime
    }
}

/// `icl merge`: the former name of `icl verify merge`, kept so that scripts keep working;
/// hidden from `icl --help`. The same arguments, checks and output.
struct MergeAlias: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "The former name of `icl verify merge` (same arguments and output).",
        discussion: Verify.Merge.configuration.discussion,
        shouldDisplay: false)

    @OptionGroup var arguments: MergeArguments

    func validate() throws { try arguments.validate() }

    func run() throws { try Verify.Merge.merge(arguments.files, json: arguments.json) }
}

/// The arguments of `icl verify merge` and of its former name `icl merge`.
struct MergeArguments: ParsableArguments {
    @Argument(help: "JSON files written by `icl verify --json`.")
    var files: [String]

    @Flag(help: "Print the merged report as JSON.")
    var json = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one JSON file to merge") }
    }
}
