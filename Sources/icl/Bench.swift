import ArgumentParser
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time a benchmark scenario (used by `make bench`, which runs the peers too).",
        discussion: """
        Prints the median wall time of --repeats runs after one warm-up run. `make bench` runs
        every scenario here and its NumPy/SciPy peer in the same invocation and writes bench.json.

        Examples:
          icl bench --list
          icl bench --scenario lsa-forward-batched --repeats 20 --json
        """)

    @Option(help: "The scenario to time (see --list).")
    var scenario: String?

    @Option(help: "Timed runs (1...10000); the median is reported.")
    var repeats: Int = 10

    @Flag(help: "List the scenarios.")
    var list = false

    @Flag(help: "Print {\"name\", \"seconds\", \"flops\", \"gflops\"} as JSON.")
    var json = false

    static var scenarios: [BenchScenario] { constructionBenchScenarios + phenomenologyBenchScenarios + languageBenchScenarios }

    func validate() throws {
        guard (1...10000).contains(repeats) else { throw ValidationError("--repeats must be in 1...10000, got \(repeats)") }
        if !list {
            guard let scenario else { throw ValidationError("give --scenario NAME or --list") }
            guard Self.scenarios.contains(where: { $0.name == scenario }) else {
                throw ValidationError("--scenario '\(scenario)' is unknown; use one of: \(Self.scenarios.map(\.name).joined(separator: ", "))")
            }
        }
    }

    func run() throws {
        if list {
            for s in Self.scenarios { print("\(s.name)\t\(s.summary)") }
            return
        }
        let chosen = Self.scenarios.first { $0.name == scenario }!
        let work = chosen.prepare()
        work()
        var times: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            work()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        let median = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        let gflops = chosen.flops > 0 ? chosen.flops / median / 1e9 : 0
        if json {
            print("{\"name\": \"\(chosen.name)\", \"seconds\": \(median), \"flops\": \(chosen.flops), \"gflops\": \(gflops)}")
        } else {
            print("\(chosen.name): median \(String(format: "%.6f", median)) s over \(repeats) runs"
                  + (gflops > 0 ? String(format: ", %.2f GFLOP/s", gflops) : ""))
        }
    }
}
