import ArgumentParser
import Experiments

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time a benchmark scenario (used by `make bench`, which runs the peers too).",
        discussion: """
        Prints the median wall time of --repeats runs after one warm-up run. `make bench` runs every scenario here and its NumPy/SciPy peer in the same invocation and writes bench.json.

        Examples:
          icl bench --list
          icl bench --scenario lsa-forward-batched --repeats 20 --json
        """)

    @Option(parsing: .unconditional, help: "The scenario to time (see --list).")
    var scenario: String?

    @Option(parsing: .unconditional, help: "Timed runs (1...10000); the median is reported.")
    var repeats: Int = 10

    @Flag(help: "List the scenarios.")
    var list = false

    @Flag(help: "Print {\"name\", \"seconds\", \"flops\", \"gflops\"} as JSON.")
    var json = false

    func validate() throws {
        guard (1...10000).contains(repeats) else { throw ValidationError("--repeats must be in 1...10000, got \(repeats)") }
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
        let timing = BenchScenario.all.first { $0.name == scenario }!.time(repeats: repeats)
        try emit(timing, json: json, text: timing.text)
    }
}
