import Constructions
import Figures
import Foundation

/// The output of `icl verify` and `icl merge`: one `TheoremSummary` per theorem.
public struct VerifyReport: Codable, Sendable {
    public var passed: Bool
    public var exact: Bool
    public var seed: UInt64
    /// The shard (`i/n`) or, after a merge, the shards (`0/4+1/4+...`) this report covers.
    public var shard: String
    /// `--instances` of the run this report is a part of (the whole run, not the shard's part).
    public var requestedInstances: Int?
    /// How instances were drawn from their seeds (`Verifier.instanceDraws`; absent in reports of
    /// earlier versions, which drew scheme 1): reports of different schemes checked different
    /// instances under the same seeds and are not merged.
    public var instanceDraws: Int?
    public var results: [TheoremSummary]

    /// The draw scheme of this report, 1 when it predates the field.
    public var drawScheme: Int { instanceDraws ?? 1 }

    /// Checks each theorem on the instances of `shard` (see `Verifier.run`).
    /// `progress(done, total)` counts instances over all theorems.
    public static func run(theorems: [TheoremID], instances: Int, seed: UInt64, exact: Bool, shard: Shard,
                           progress: @escaping (Int, Int) -> Void = { _, _ in }) -> VerifyReport {
        let verifier = Verifier()
        let perTheorem = shard.size(of: instances)
        let (total, overflow) = perTheorem.multipliedReportingOverflow(by: theorems.count)
        var summaries: [TheoremSummary] = []
        for (t, theorem) in theorems.enumerated() {
            summaries.append(verifier.run(theorem, instances: instances, masterSeed: seed, exact: exact, shard: shard,
                                          progress: { if !overflow { progress(t * perTheorem + $0, total) } }))
        }
        return VerifyReport(passed: summaries.allSatisfy(\.passed), exact: exact, seed: seed, shard: shard.description,
                            requestedInstances: instances, instanceDraws: Verifier.instanceDraws, results: summaries)
    }

    /// The time a run would take, from timing a few instances of each theorem (at most 16 or
    /// 0.5 s each) and assuming the cores are shared as `Verifier.run` shares them.
    public static func estimate(theorems: [TheoremID], instances: Int, seed: UInt64, exact: Bool, shard: Shard) -> ResourceEstimate {
        let verifier = Verifier()
        let count = Double(shard.size(of: instances))
        var seconds = 0.0
        for theorem in theorems {
            let start = Date()
            var timed = 0
            while timed < min(16, shard.size(of: instances)) && Date().timeIntervalSince(start) < 0.5 {
                let seed = Verifier.instanceSeed(masterSeed: seed, theorem: theorem, index: shard.instance(timed))
                _ = try? verifier.check(theorem, seed: seed, exact: exact)
                timed += 1
            }
            if timed > 0 { seconds += Date().timeIntervalSince(start) / Double(timed) * count }
        }
        let cores = Double(max(ProcessInfo.processInfo.activeProcessorCount, 1))
        return ResourceEstimate(bytes: 0, seconds: seconds / cores)
    }

    /// Merges the reports of the shards of one run: instance counts add up, maxima are maxima.
    /// Refused: reports of different runs (seed, arithmetic, instance draws, `--instances`, theorems), a shard
    /// given twice or overlapping another, a set that does not cover every shard `0/n ... (n-1)/n`,
    /// and counts that do not match the shard's size.
    public static func merge(_ reports: [VerifyReport], names: [String]? = nil) throws(MergeError) -> VerifyReport {
        guard let first = reports.first else { throw .nothingToMerge }
        let names = names ?? reports.indices.map { "report \($0 + 1)" }
        guard reports.allSatisfy({ $0.exact == first.exact && $0.seed == first.seed }) else { throw .mixedRuns }
        if let other = reports.first(where: { $0.drawScheme != first.drawScheme }) {
            throw .mixedDraws(first.drawScheme, other.drawScheme)
        }
        guard let requested = first.requestedInstances, reports.allSatisfy({ $0.requestedInstances == requested }) else {
            throw .mixedInstanceCounts
        }
        let theorems = first.results.map(\.theorem)
        guard reports.allSatisfy({ $0.results.map(\.theorem) == theorems }) else { throw .mixedTheorems }
        // Each report covers one or more shards i/n of the same n, each exactly once overall.
        var owner: [Int: String] = [:]
        var split: (count: Int, example: String)?
        for (report, name) in zip(reports, names) {
            for part in report.shard.split(separator: "+") {
                guard let shard = Shard(String(part)) else { throw .notAReport(name, detail: "shard '\(report.shard)' is not i/n") }
                if let split, split.count != shard.count { throw .mixedSplits(split.example, shard.description) }
                split = split ?? (shard.count, shard.description)
                if let other = owner[shard.index] { throw .duplicateShard(shard.description, other, name) }
                owner[shard.index] = name
            }
            for summary in report.results {
                let shards = report.shard.split(separator: "+").compactMap { Shard(String($0)) }
                let expected = shards.reduce(0) { $0 + $1.size(of: requested) }
                guard summary.instances == expected else {
                    throw .wrongCount(name, theorem: summary.theorem, got: summary.instances, expected: expected)
                }
            }
        }
        let n = split?.count ?? 1
        let missing = (0..<n).filter { owner[$0] == nil }
        guard missing.isEmpty else { throw .incomplete(missing: missing.map { "\($0)/\(n)" }) }
        var merged: [TheoremSummary] = []
        for (k, theorem) in theorems.enumerated() {
            guard let summary = TheoremSummary.merge(reports.map { $0.results[k] }) else { throw .wrongCount(names[0], theorem: theorem, got: -1, expected: requested) }
            merged.append(summary)
        }
        return VerifyReport(passed: merged.allSatisfy(\.passed), exact: first.exact, seed: first.seed,
                            shard: (0..<n).map { "\($0)/\(n)" }.joined(separator: "+"), requestedInstances: requested,
                            instanceDraws: first.instanceDraws, results: merged)
    }

    /// Reads a report written by `icl verify --json`.
    public init(contentsOf path: String) throws(MergeError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        do { self = try JSONDecoder().decode(VerifyReport.self, from: data) } catch { throw .notAReport(path, detail: decodingMessage(error)) }
    }

    public init(passed: Bool, exact: Bool, seed: UInt64, shard: String, requestedInstances: Int?,
                instanceDraws: Int? = Verifier.instanceDraws, results: [TheoremSummary]) {
        self.passed = passed
        self.exact = exact
        self.seed = seed
        self.shard = shard
        self.requestedInstances = requestedInstances
        self.instanceDraws = instanceDraws
        self.results = results
    }

    /// The table printed by `icl verify`.
    public var table: String {
        func sci(_ v: Double) -> String { v == 0 ? "0" : String(format: "%.2e", v) }
        var rows = [["theorem", "instances", "max error", "max bound", "bound/signal", "bound/error", "verdict"]]
        for r in results {
            let verdict = r.instances == 0 ? "NO INSTANCES" : r.passed ? "holds"
                : "FAILS (seeds: \(r.failingSeeds.prefix(3).map(String.init).joined(separator: ", ")))"
            rows.append([r.theorem, "\(r.instances)", sci(r.maxError), exact ? "exact" : sci(r.maxBound),
                         exact ? "-" : sci(r.maxBoundToSignal),
                         r.typicalBoundToError.map { String(format: "%.3g", $0) } ?? "-", verdict])
        }
        let footer = passed ? "all checks held (\(exact ? "exact rational" : "floating point"), seed \(seed), shard \(shard))"
            : results.contains { $0.instances == 0 } ? "NOT verified: a theorem was checked on no instance"
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
    case mixedDraws(Int, Int)
    case mixedInstanceCounts
    case mixedTheorems
    case mixedSplits(String, String)
    case duplicateShard(String, String, String)
    case incomplete(missing: [String])
    case wrongCount(String, theorem: String, got: Int, expected: Int)

    public var description: String {
        switch self {
        case .nothingToMerge: return "no reports to merge"
        case let .unreadable(path): return "cannot read '\(path)'"
        case let .notAReport(path, detail): return "'\(path)' is not a verify report in JSON: \(detail)"
        case .mixedRuns: return "the files mix seeds or exact/floating-point runs; merge shards of one run"
        case let .mixedDraws(a, b):
            return "the files drew their instances by different schemes (\(a) and \(b): made by different versions of icl, the same seeds gave different instances); rerun the shards with one version"
        case .mixedInstanceCounts:
            return "the files come from runs of different requestedInstances (or from an icl without that field); merge shards of one run"
        case .mixedTheorems: return "the files check different theorems; merge shards of one run"
        case let .mixedSplits(a, b): return "shards of different splits: \(a) and \(b)"
        case let .duplicateShard(shard, first, second): return "shard \(shard) is given twice (\(first) and \(second)); each shard counts once"
        case let .incomplete(missing): return "incomplete set of shards: missing \(missing.joined(separator: ", "))"
        case let .wrongCount(name, theorem, got, expected):
            return "\(name): \(theorem) reports \(got) instances, but its shards hold \(expected)"
        }
    }
}
