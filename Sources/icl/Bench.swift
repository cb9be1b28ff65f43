import ArgumentParser
import Experiments
import Figures

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time a benchmark scenario (used by `make bench`, which runs the peers too).",
        discussion: """
        Prints the median wall time of --repeats runs after one warm-up run. `make bench` runs every scenario here and its NumPy/SciPy peer in the same invocation and writes bench.json.

        The warm-up run gives the estimate (--repeats times its time): past --max-time (default 600 s) the timed runs are refused before they start unless --force; an estimate over a second is printed on stderr, and the runs show the progress display.

        Examples:
          icl bench --list
          icl bench --scenario lsa-forward-batched --repeats 20 --json
        """)

    @Option(parsing: .unconditional, help: "The scenario to time (see --list).")
    var scenario: String?

    @Option(parsing: .unconditional, help: "Timed runs (1...10000); the median is reported.")
    var repeats: Int = 10

    @Option(name: .customLong("max-time"), parsing: .unconditional, help: "Refuse timed runs estimated (from the warm-up run) to take longer than this many seconds (> 0).")
    var maxTime = Real(600)

    @Flag(help: "Run however long the estimate.")
    var force = false

    @Flag(help: "List the scenarios.")
    var list = false

    @Flag(help: "Print {\"name\", \"seconds\", \"flops\", \"gflops\"} as JSON.")
    var json = false

    func validate() throws {
        guard (1...10000).contains(repeats) else { throw ValidationError("--repeats must be in 1...10000, got \(repeats)") }
        guard maxTime.value > 0 else { throw ValidationError("--max-time must be positive, got \(maxTime.value)") }
        if !list {
            guard let scenario else { throw ValidationError("give --scenario NAME or --list") }
            guard BenchScenario.all.contains(where: { $0.name == scenario }) else {
                throw ValidationError("--scenario '\(scenario)' is unknown; use one of: \(BenchScenario.all.map(\.name).joined(separator: ", "))")
            }
        }
    }

    func run() throws {
        if list {
            try writeStandardOutput(BenchScenario.all.map { "\($0.name)\t\($0.summary)" }.joined(separator: "\n"))
            return
        }
        let chosen = BenchScenario.all.first { $0.name == scenario }!
        let bar = ProgressBar("bench \(chosen.name)", total: repeats, unit: "runs")
        let timing = try chosen.time(repeats: repeats, afterWarmUp: { (oneRun: Double) throws(InputError) in
            let estimate = oneRun * Double(repeats)
            if estimate > maxTime.value && !force {
                throw InputError("--repeats \(repeats) of \(chosen.name) would take about \(formatDuration(estimate)) (one run: \(formatDuration(oneRun))), more than --max-time \(formatDuration(maxTime.value)); lower --repeats, raise --max-time or pass --force")
            }
            if estimate > 1 { writeToStandardError("bench: \(repeats) runs of \(chosen.name), about \(formatDuration(estimate))") }
        }, progress: { bar.update(done: $0) })
        bar.finish()
        try emit(timing, json: json, text: timing.text)
    }
}
