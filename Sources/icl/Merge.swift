import ArgumentParser
import Constructions
import Foundation

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge the JSON outputs of `icl verify --shard ... --json` into one report.",
        discussion: "Example: icl merge s0.json s1.json s2.json s3.json --json")

    @Argument(help: "JSON files written by `icl verify --json`.")
    var files: [String]

    @Flag(help: "Print the merged report as JSON.")
    var json = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one JSON file to merge") }
    }

    func run() throws {
        var reports: [VerifyReport] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { throw InputError("cannot read '\(file)'") }
            do { reports.append(try JSONDecoder().decode(VerifyReport.self, from: data)) }
            catch { throw InputError("'\(file)' is not the JSON of `icl verify --json`: \(error)") }
        }
        guard Set(reports.map(\.exact)).count == 1, Set(reports.map(\.seed)).count == 1 else {
            throw InputError("the files mix seeds or exact/floating-point runs; merge shards of one run")
        }
        var byTheorem: [String: [TheoremSummary]] = [:]
        var order: [String] = []
        for summary in reports.flatMap(\.results) {
            if byTheorem[summary.theorem] == nil { order.append(summary.theorem) }
            byTheorem[summary.theorem, default: []].append(summary)
        }
        let merged = order.map { TheoremSummary.merge(byTheorem[$0]!) }
        let report = VerifyReport(passed: merged.allSatisfy(\.passed), exact: reports[0].exact, seed: reports[0].seed,
                                  shard: reports.map(\.shard).joined(separator: "+"), results: merged)
        print(json ? report.jsonText : report.table)
        if !report.passed { throw ExitCode(1) }
    }
}
