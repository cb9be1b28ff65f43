import ArgumentParser
import Experiments

extension Reproduce {
    struct Aggregate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mean and 95% interval per metric over per-seed JSON results.",
            discussion: """
            Reads summary.json files (or saved --json output) of `icl train` or `icl reproduce`, one per seed, and prints for every numeric field the number of files, the mean and the Student-t 95% interval of the mean. (`icl aggregate` is the former name of this command and still works.)

            The files must be summaries of one experiment (one command, the same settings: the training config but its seed, or the steps and layers of a reproduction), each seed once: a file given twice, two runs of one seed, a `verify` report or another command's JSON are refused. Lists of numbers (a matrix such as gamma0) are not metrics; with --elements each element is one (at most 100000 metrics).

            Example:
              parallel 'icl reproduce von-oswald --seed {} --out out/vo-{}' ::: 1 2 3 4 5
              icl reproduce aggregate out/vo-*/summary.json
              (Slurm: sbatch --array=1-5 --wrap 'icl reproduce von-oswald \\
                 --seed $SLURM_ARRAY_TASK_ID --out out/vo-$SLURM_ARRAY_TASK_ID',
               then the same aggregate)
            JSON: {"files", "metrics": {"name": {"count", "mean", "standardDeviation", "lower", "upper"}}}.
            """)

        @Argument(help: "JSON files, one per seed.") var files: [String]
        @Flag(help: "Print JSON.") var json = false
        @Flag(help: "Also aggregate each element of a list of numbers (a matrix, a curve) as a metric.") var elements = false

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("give at least one JSON file") }
        }

        func run() throws {
            let aggregate: SeedAggregate
            do { aggregate = try SeedAggregate(paths: files, elements: elements) } catch {
                if case .overflow = error { throw RunFailure("\(error)") }
                throw InputError("\(error)")
            }
            try emit(aggregate, json: json, text: aggregate.text)
        }
    }
}

/// `icl aggregate`: the former name of `icl reproduce aggregate`, kept so that scripts keep
/// working; hidden from `icl --help`. The same arguments, checks and output.
struct AggregateAlias: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "The former name of `icl reproduce aggregate` (same arguments and output).",
        discussion: Reproduce.Aggregate.configuration.discussion,
        shouldDisplay: false)

    @OptionGroup var aggregate: Reproduce.Aggregate

    func run() throws { try aggregate.run() }
}
