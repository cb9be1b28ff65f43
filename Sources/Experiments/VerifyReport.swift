import Constructions
import Figures
import Foundation

/// The output of `icl verify` and `icl merge`: one `TheoremSummary` per theorem.
public struct VerifyReport: Codable, Sendable {
    public var passed: Bool
    public var exact: Bool
    public var seed: UInt64
    public var shard: String
    public var results: [TheoremSummary]

    /// Checks each theorem on the instances of `shard` (see `Verifier.run`); `starting(theorem)`
    /// is called before each one (for progress).
    public static func run(theorems: [TheoremID], instances: Int, seed: UInt64, exact: Bool, shard: Shard,
                           starting: (TheoremID) -> Void = { _ in }) -> VerifyReport {
        let verifier = Verifier()
        let summaries = theorems.map { theorem in
            starting(theorem)
            return verifier.run(theorem, instances: instances, masterSeed: seed, exact: exact, shard: shard)
        }
        return VerifyReport(passed: summaries.allSatisfy(\.passed), exact: exact, seed: seed, shard: shard.description, results: summaries)
    }

    /// Merges the reports of the shards of one run: instance counts add up, maxima are maxima.
    public static func merge(_ reports: [VerifyReport]) throws(MergeError) -> VerifyReport {
        guard let first = reports.first else { throw .nothingToMerge }
        guard reports.allSatisfy({ $0.exact == first.exact && $0.seed == first.seed }) else { throw .mixedRuns }
        var byTheorem: [String: [TheoremSummary]] = [:]
        var order: [String] = []
        for summary in reports.flatMap(\.results) {
            if byTheorem[summary.theorem] == nil { order.append(summary.theorem) }
            byTheorem[summary.theorem, default: []].append(summary)
        }
        let merged = order.map { TheoremSummary.merge(byTheorem[$0]!) }
        return VerifyReport(passed: merged.allSatisfy(\.passed), exact: first.exact, seed: first.seed,
                            shard: reports.map(\.shard).joined(separator: "+"), results: merged)
    }

    /// Reads a report written by `icl verify --json`.
    public init(contentsOf path: String) throws(MergeError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        do { self = try JSONDecoder().decode(VerifyReport.self, from: data) } catch { throw .notAReport(path, detail: "\(error)") }
    }

    public init(passed: Bool, exact: Bool, seed: UInt64, shard: String, results: [TheoremSummary]) {
        self.passed = passed
        self.exact = exact
        self.seed = seed
        self.shard = shard
        self.results = results
    }

    /// The table printed by `icl verify`.
    public var table: String {
        func sci(_ v: Double) -> String { v == 0 ? "0" : String(format: "%.2e", v) }
        var rows = [["theorem", "instances", "max error", "max bound", "bound/signal", "verdict"]]
        for r in results {
            let verdict = r.passed ? "holds" : "FAILS (seeds: \(r.failingSeeds.prefix(3).map(String.init).joined(separator: ", ")))"
            rows.append([r.theorem, "\(r.instances)", sci(r.maxError), exact ? "exact" : sci(r.maxBound),
                         exact ? "-" : sci(r.maxBoundToSignal), verdict])
        }
        let footer = passed ? "all checks held (\(exact ? "exact rational" : "floating point"), seed \(seed), shard \(shard))"
                            : "some checks FAILED: replay a seed with Verifier.check(_:seed:exact:)"
        return TextTable(rows, alignment: .left).rendered + "\n" + footer
    }
}

/// Shard reports that cannot be merged.
public enum MergeError: Error, Equatable, CustomStringConvertible {
    case nothingToMerge
    case unreadable(String)
    case notAReport(String, detail: String)
    case mixedRuns

    public var description: String {
        switch self {
        case .nothingToMerge: return "no reports to merge"
        case let .unreadable(path): return "cannot read '\(path)'"
        case let .notAReport(path, detail): return "'\(path)' is not the JSON of `icl verify --json`: \(detail)"
        case .mixedRuns: return "the files mix seeds or exact/floating-point runs; merge shards of one run"
        }
    }
}
