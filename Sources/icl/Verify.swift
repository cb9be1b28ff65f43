import ArgumentParser
import Constructions
import Experiments
import Foundation

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the theorems on seeded random instances.",
        discussion: """
        Each instance draws sizes (d_x 1..16, d_y 1..4, N 1..64, K 1..6), data, W_0, learning rates and preconditioners (identity, Gaussian, SPD, ill-conditioned) from its own seed. In floating point an instance passes when every entry of |LSA - algorithm| is within its running error bound (each operation's rounding, propagated through this instance's values: for most theorems 1.01 times the sum of the two sides' bounds) and that bound is below 1e-4 of the signal; lsa-multistep is checked layer by layer, by its induction step. With --exact both sides are computed in exact rationals and must be equal (lsa-multistep over the whole trajectory).

        Examples:
          icl verify                                 all theorems, 1000 instances each
          icl verify --theorem lsa-gd --exact        exact arithmetic
          icl verify --shard 0/4 --json > s0.json    one of four disjoint slices
          parallel 'icl verify --shard {}/4 --json > s{}.json' ::: 0 1 2 3
          icl verify merge s*.json
          Slurm: sbatch --array=0-3 -o s%a.json -e s%a.log \\
            --wrap 'icl verify --shard $SLURM_ARRAY_TASK_ID/4 --json'
        """,
        subcommands: [Merge.self])

    @Option(name: .customLong("theorem"), parsing: .singleValue, help: "A theorem id to check (repeatable; default: all).")
    var theorems: [TheoremID] = []

    @Option(parsing: .unconditional, help: "Random instances per theorem (at least 1).")
    var instances: Int = 1000

    @Option(parsing: .unconditional, help: "Master seed; instance i of a theorem uses a seed derived from (seed, theorem, i).")
    var seed: UInt64 = 1

    @Flag(help: "Check in exact rational arithmetic instead of floating point.")
    var exact = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Run only the slice i/n (0 <= i < n) of the instances: those with index = i mod n.", valueName: "i/n"))
    var shard: Shard = .whole

    @Option(name: .customLong("max-time"), parsing: .unconditional, help: "Refuse a run whose estimated time exceeds this many seconds (> 0).")
    var maxTime = Real(86_400)

    @Option(help: "Write a JUnit XML report (one test case per theorem) to this file.") var junit: String?

    @Flag(help: "Print JSON: {\"passed\", \"results\": [{\"theorem\", \"instances\", \"maxError\", \"maxBound\", \"passed\", ...}]}.")
    var json = false

    func validate() throws {
        guard instances >= 1 else { throw ValidationError("--instances must be at least 1, got \(instances)") }
        guard shard.size(of: instances) >= 1 else {
            throw ValidationError("--shard \(shard) selects no instance of --instances \(instances): the shard index must be below the instance count")
        }
        guard maxTime.value > 0 else { throw ValidationError("--max-time must be positive") }
    }

    func run() throws {
        let selected = theorems.isEmpty ? TheoremID.allCases : theorems
        do {
            try VerifyReport.estimate(theorems: selected, instances: instances, seed: seed, exact: exact, shard: shard)
                .check(maxSeconds: maxTime.value)
        } catch {
            throw InputError("--instances \(instances)\(exact ? " --exact" : ""): \(error); split it with --shard i/n or raise --max-time")
        }
        if let junit { try Validate.checkWritable(junit, flag: "--junit") }
        let bar = ProgressBar("verify", total: 1, unit: "instances")
        let report = VerifyReport.run(theorems: selected, instances: instances, seed: seed, exact: exact, shard: shard) { done, total in
            bar.update(done: done, of: total)
        }
        bar.finish()
        if let junit {
            let url = URL(fileURLWithPath: junit)
            do { try writeAtomically(directory: url.deletingLastPathComponent().path, files: [(url.lastPathComponent, report.junit.xml)]) }
            catch { throw outputFailure("--junit", error) }
        }
        try emit(report, json: json, text: report.table)
        if !report.passed { throw ExitCode(1) }
    }
}
