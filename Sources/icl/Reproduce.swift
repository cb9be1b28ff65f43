import ArgumentParser
import Experiments

/// `icl reproduce`: the published linear-regression results, trained and validated here.
struct Reproduce: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reproduce published results: von Oswald et al. (one layer = one GD step), Ahn et al. (Gaussian optimum), multi-layer GD / GD++.",
        discussion: """
        Each reproduction trains LSA models (Philox tasks, the paper's initialisation, clipped AdamW with a cosine decay), fits the reference algorithms' hyper-parameters on validation tasks, compares on separate test tasks, and with --out writes its figures, CSV, weights (safetensors) and summary.json as one directory: staged beside --out and put in its place in one rename, replacing a previous result of a reproduction there (a directory holding other files is refused, exit 2). A write that fails (a full disk) exits 1 with the path and the OS's reason.

        Examples:
          icl reproduce von-oswald --out out/vo
          icl reproduce gaussian-optimum --out out/go --json
          icl reproduce multilayer --layers 2,3 --steps 3000 --out out/ml
        Seeds (then `icl reproduce aggregate out/vo-*/summary.json`):
          parallel 'icl reproduce von-oswald --seed {} --out out/vo-{}' ::: 1 2 3 4 5
          sbatch --array=1-5 --wrap 'icl reproduce von-oswald \\
            --seed $SLURM_ARRAY_TASK_ID --out out/vo-$SLURM_ARRAY_TASK_ID'
        """,
        subcommands: [VonOswald.self, GaussianOptimum.self, Multilayer.self, Aggregate.self])

    /// `--steps`, `--seed`, `--out`, `--json`, shared by the reproductions.
    struct RunOptions: ParsableArguments {
        @Option(parsing: .unconditional, help: "Training steps per model (>= 1).") var steps: Int?
        @Option(parsing: .unconditional, help: "Seed of the initialisation, the training batches and the validation and test tasks.") var seed: UInt64 = 1
        @Option(help: "Output directory (figures, CSV, weights, summary.json).") var out: String?
        @Flag(help: "Print the summary as JSON.") var json = false

        func validate() throws {
            if let steps { guard steps >= 1 && steps < 1 << 31 else { throw ValidationError("--steps must be in 1...2^31-1, got \(steps)") } }
        }
    }
}
