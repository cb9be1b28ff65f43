import Dispatch
import Foundation

/// One benchmark scenario: `prepare` builds the inputs once (not timed) and returns the
/// work to time, run `repeats` times after one warm-up; the median is reported. Each
/// scenario has a peer (NumPy, SciPy, ...) in `Benchmarks/` doing the same work.
public struct BenchScenario: Sendable {
    public let name: String
    /// What is computed, for the report.
    public let summary: String
    /// Floating-point operations of one run (0 when not meaningful), for the GFLOP/s column.
    public let flops: Double
    let prepare: @Sendable () -> () -> Void

    init(name: String, summary: String, flops: Double, prepare: @escaping @Sendable () -> () -> Void) {
        (self.name, self.summary, self.flops, self.prepare) = (name, summary, flops, prepare)
    }

    /// Every scenario, in the order `make bench` runs them.
    public static var all: [BenchScenario] {
        constructionBenchScenarios + trainingBenchScenarios + phenomenologyBenchScenarios + languageBenchScenarios + weightsBenchScenarios
    }

    /// The median wall time of `repeats` runs after one warm-up run.
    public func time(repeats: Int) -> BenchTiming { time(repeats: repeats, afterWarmUp: { _ in }, progress: { _ in }) }

    /// The median wall time of `repeats` runs after one warm-up run, whose time (seconds) is
    /// given to `afterWarmUp` before the timed runs start (it may refuse them by throwing:
    /// `repeats` runs take about `repeats` times as long); `progress` is told the number of
    /// timed runs finished after each.
    public func time<E: Error>(repeats: Int, afterWarmUp: (Double) throws(E) -> Void, progress: (Int) -> Void) throws(E) -> BenchTiming {
        let work = prepare()
        let warmUp = DispatchTime.now().uptimeNanoseconds
        work()
        try afterWarmUp(Double(DispatchTime.now().uptimeNanoseconds - warmUp) / 1e9)
        var times: [Double] = []
        for k in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            work()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            progress(k + 1)
        }
        times.sort()
        let median = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        return BenchTiming(name: name, seconds: median, flops: flops, gflops: flops > 0 ? flops / median / 1e9 : 0, repeats: repeats)
    }
}

/// The result of timing a scenario (`icl bench --json`).
public struct BenchTiming: Encodable, Sendable {
    public var name: String
    public var seconds: Double
    public var flops: Double
    public var gflops: Double
    var repeats: Int

    enum CodingKeys: String, CodingKey { case name, seconds, flops, gflops }

    public var text: String {
        "\(name): median \(String(format: "%.6f", seconds)) s over \(repeats) runs" + (gflops > 0 ? String(format: ", %.2f GFLOP/s", gflops) : "")
    }
}
