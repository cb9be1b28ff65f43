import Dispatch
import Linalg

/// The verdict on one theorem over a set of instances (the rows of `icl verify`).
public struct TheoremSummary: Codable, Sendable, Equatable {
    public var theorem: String
    public var instances: Int
    public var maxError: Double
    public var maxBound: Double
    /// The largest `bound / signal` ratio seen (floating point only; 0 when exact). Below `CheckResult.discrimination`.
    public var maxBoundToSignal: Double
    public var passed: Bool
    /// Seeds of the instances that failed (replay with `Verifier.check(_:seed:exact:)`), at most 20.
    public var failingSeeds: [UInt64]

    /// Combines summaries of disjoint instance sets of the same theorem (shards).
    public static func merge(_ parts: [TheoremSummary]) -> TheoremSummary {
        precondition(!parts.isEmpty && parts.allSatisfy { $0.theorem == parts[0].theorem }, "merge needs one theorem")
        return TheoremSummary(theorem: parts[0].theorem,
                              instances: parts.reduce(0) { $0 + $1.instances },
                              maxError: parts.map(\.maxError).max()!, maxBound: parts.map(\.maxBound).max()!,
                              maxBoundToSignal: parts.map(\.maxBoundToSignal).max()!,
                              passed: parts.allSatisfy(\.passed),
                              failingSeeds: Array(parts.flatMap(\.failingSeeds).prefix(20)))
    }
}

/// A slice `index/count` of the instances: instance `i` belongs to shard `i mod count`.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// Parses `"i/n"` with `0 <= i < n`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else { return nil }
        index = i
        count = n
    }

    public init(index: Int, count: Int) {
        precondition(count >= 1 && (0..<count).contains(index), "shard \(index)/\(count)")
        self.index = index
        self.count = count
    }

    public static let whole = Shard(index: 0, count: 1)
    public var description: String { "\(index)/\(count)" }

    /// The instance indices of this shard among `0..<total`.
    public func indices(of total: Int) -> [Int] { Array(stride(from: index, to: total, by: count)) }
}

extension Verifier {
    /// Checks `theorem` on the instances of `shard` among `instances`, spread over the cores.
    public func run(_ theorem: TheoremID, instances: Int, masterSeed: UInt64, exact: Bool, shard: Shard = .whole) -> TheoremSummary {
        let indices = shard.indices(of: instances)
        let results = UnsafeMutableBufferPointer<(seed: UInt64, result: CheckResult?)>.allocate(capacity: indices.count)
        defer { results.deallocate() }
        nonisolated(unsafe) let slots = results
        let verifier = self
        DispatchQueue.concurrentPerform(iterations: indices.count) { k in
            let seed = Verifier.instanceSeed(masterSeed: masterSeed, theorem: theorem, index: indices[k])
            slots.initializeElement(at: k, to: (seed, try? verifier.check(theorem, seed: seed, exact: exact)))
        }
        var summary = TheoremSummary(theorem: theorem.rawValue, instances: indices.count, maxError: 0, maxBound: 0,
                                     maxBoundToSignal: 0, passed: true, failingSeeds: [])
        for (seed, result) in results {
            guard let result, result.holds else {
                summary.passed = false
                if summary.failingSeeds.count < 20 { summary.failingSeeds.append(seed) }
                if let result { summary.maxError = max(summary.maxError, result.error) }
                continue
            }
            summary.maxError = max(summary.maxError, result.error)
            summary.maxBound = max(summary.maxBound, result.bound)
            if !exact { summary.maxBoundToSignal = max(summary.maxBoundToSignal, result.bound / result.signal) }
        }
        return summary
    }
}
