import ArgumentParser
import Experiments

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge the JSON outputs of `icl verify --shard ... --json` into one report.",
        discussion: """
        The files must be the shards 0/n ... (n-1)/n of one run (same seed, --instances, theorems and arithmetic), each exactly once; a duplicate, overlapping or missing shard is refused.

        Example: icl merge s0.json s1.json s2.json s3.json --json
        """)

    @Argument(help: "JSON files written by `icl verify --json`.")
    var files: [String]

    @Flag(help: "Print the merged report as JSON.")
    var json = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one JSON file to merge") }
    }

    func run() throws {
        let report: VerifyReport
        do { report = try VerifyReport.merge(try files.map(VerifyReport.init(contentsOf:)), names: files) } catch { throw InputError("\(error)") }
        try emit(report, json: json, text: report.table)
        if !report.passed { throw ExitCode(1) }
    }
}
