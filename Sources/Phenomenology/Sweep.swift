import Dispatch
import Synchronization

/// One row of a plateau sweep: the gradient flow from the origin for `(N, L)` and its
/// measurements (default `y(beta)`).
public struct SweepRow: Sendable {
    public var N: Int
    public var L: Int
    public var summary: CliffSummary
    public var steps: Int
}

/// Runs the gradient flow from the origin for every `(N, L)` pair (on all cores) and
/// measures plateau and cliff. Pairs with `L < N` are rejected by the model.
public func plateauSweep(pairs: [(N: Int, L: Int)], options: GradientFlow.Options = GradientFlow.Options(),
                         threshold: Double = CliffSummary.defaultThreshold) throws -> [SweepRow] {
    let results = Mutex<[Int: Result<SweepRow, any Error>]>([:])
    DispatchQueue.concurrentPerform(iterations: pairs.count) { k in
        let (n, l) = pairs[k]
        let outcome = Result<SweepRow, any Error> {
            let model = try ReddyModel(N: n, L: l)
            let trajectory = try model.gradientFlow(options)
            return SweepRow(N: n, L: l, summary: trajectory.cliffSummary(threshold: threshold), steps: trajectory.steps)
        }
        results.withLock { $0[k] = outcome }
    }
    return try results.withLock { r in try pairs.indices.map { try r[$0]!.get() } }
}
