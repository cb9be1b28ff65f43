import ArgumentParser
import Constructions
import Foundation

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the theorems on seeded random instances.",
        discussion: """
        Each instance draws sizes (d_x 1..16, d_y 1..4, N 1..64, K 1..6), data, W_0, learning
        rates and preconditioners (identity, Gaussian, SPD, ill-conditioned) from its own seed.
        In floating point an instance passes when every entry of |LSA - algorithm| is within its
        forward-error bound (unit roundoff x rounding count x the computation's magnitudes) and
        that bound is below 1e-4 of the signal; with --exact both sides are computed in exact
        rationals and must be equal.

        Examples:
          icl verify                                 all theorems, 1000 instances each
          icl verify --theorem lsa-gd --exact        exact arithmetic
          icl verify --shard 0/4 --json > s0.json    one of four disjoint slices
          parallel 'icl verify --shard {}/4 --json > s{}.json' ::: 0 1 2 3 && icl merge s*.json
          (Slurm: sbatch --array=0-3 --wrap 'icl verify --shard $SLURM_ARRAY_TASK_ID/4 --json > s$SLURM_ARRAY_TASK_ID.json')
        """)

    @Option(name: .customLong("theorem"), help: "A theorem id to check (repeatable; default: all). One of: \(TheoremID.allCases.map(\.rawValue).joined(separator: ", ")).")
    var theorems: [String] = []

    @Option(help: "Random instances per theorem (at least 1).")
    var instances: Int = 1000

    @Option(help: "Master seed; instance i of a theorem uses a seed derived from (seed, theorem, i).")
    var seed: UInt64 = 1

    @Flag(help: "Check in exact rational arithmetic instead of floating point.")
    var exact = false

    @Option(help: "Run only the slice i/n (0 <= i < n) of the instances: those with index = i mod n.")
    var shard: String = "0/1"

    @Flag(help: "Print JSON: {\"passed\", \"results\": [{\"theorem\", \"instances\", \"maxError\", \"maxBound\", \"passed\", ...}]}.")
    var json = false

    func validate() throws {
        guard instances >= 1 else { throw ValidationError("--instances must be at least 1, got \(instances)") }
        guard Shard(shard) != nil else { throw ValidationError("--shard must be i/n with integers 0 <= i < n, got '\(shard)'") }
        for id in theorems where TheoremID(rawValue: id) == nil {
            throw ValidationError("--theorem '\(id)' is not a theorem id; use one of: \(TheoremID.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let selected = theorems.isEmpty ? TheoremID.allCases : theorems.compactMap(TheoremID.init(rawValue:))
        let slice = Shard(shard)!
        let verifier = Verifier()
        var summaries: [TheoremSummary] = []
        for theorem in selected {
            if isatty(2) != 0 { FileHandle.standardError.write(Data("checking \(theorem.rawValue) ...\r".utf8)) }
            summaries.append(verifier.run(theorem, instances: instances, masterSeed: seed, exact: exact, shard: slice))
        }
        let report = VerifyReport(passed: summaries.allSatisfy(\.passed), exact: exact, seed: seed,
                                  shard: slice.description, results: summaries)
        print(json ? report.jsonText : report.table)
        if !report.passed { throw ExitCode(1) }
    }
}

/// The output of `icl verify` and `icl merge`.
struct VerifyReport: Codable {
    var passed: Bool
    var exact: Bool
    var seed: UInt64
    var shard: String
    var results: [TheoremSummary]

    var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    var table: String {
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
        func sci(_ v: Double) -> String { v == 0 ? "0" : String(format: "%.2e", v) }
        var lines = [pad("theorem", 18) + pad("instances", 11) + pad("max error", 11) + pad("max bound", 11)
                     + pad("bound/signal", 14) + "verdict"]
        for r in results {
            lines.append(pad(r.theorem, 18) + pad("\(r.instances)", 11) + pad(sci(r.maxError), 11) + pad(exact ? "exact" : sci(r.maxBound), 11)
                         + pad(exact ? "-" : sci(r.maxBoundToSignal), 14) + (r.passed ? "holds" : "FAILS (seeds: \(r.failingSeeds.prefix(3).map(String.init).joined(separator: ", ")))"))
        }
        lines.append(passed ? "all checks held (\(exact ? "exact rational" : "floating point"), seed \(seed), shard \(shard))"
                            : "some checks FAILED: replay a seed with Verifier.check(_:seed:exact:)")
        return lines.joined(separator: "\n")
    }
}
