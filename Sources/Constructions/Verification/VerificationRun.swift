import Dispatch
import Glibc
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
    /// `sum log(bound / error)` over the floating-point instances with a non-zero error, and
    /// their number (nil in reports of earlier versions): how tight the bounds are.
    public var boundToErrorLogSum: Double?
    public var boundToErrorCount: Int?
    /// The geometric mean of `bound / error` over the instances where the sides differ (nil
    /// when exact, or when no instance had a rounding difference).
    public var typicalBoundToError: Double? {
        guard let sum = boundToErrorLogSum, let count = boundToErrorCount, count > 0 else { return nil }
        return exp(sum / Double(count))
    }
    /// Seeds of the instances that failed (replay with `Verifier.check(_:seed:exact:)`), at most 20.
    public var failingSeeds: [UInt64]

    /// Combines summaries of disjoint instance sets of the same theorem (shards); nil when the
    /// parts are of different theorems or their instance counts overflow `Int`.
    public static func merge(_ parts: [TheoremSummary]) -> TheoremSummary? {
        guard let first = parts.first, parts.allSatisfy({ $0.theorem == first.theorem }) else { return nil }
        var instances = 0
        for part in parts {
            let (sum, overflow) = instances.addingReportingOverflow(part.instances)
            guard !overflow, part.instances >= 0 else { return nil }
            instances = sum
        }
        return TheoremSummary(theorem: parts[0].theorem,
                              instances: instances,
                              maxError: parts.map(\.maxError).max()!, maxBound: parts.map(\.maxBound).max()!,
                              maxBoundToSignal: parts.map(\.maxBoundToSignal).max()!,
                              passed: instances > 0 && parts.allSatisfy(\.passed),
                              boundToErrorLogSum: parts.allSatisfy { $0.boundToErrorLogSum != nil }
                                  ? parts.reduce(0) { $0 + $1.boundToErrorLogSum! } : nil,
                              boundToErrorCount: parts.allSatisfy { $0.boundToErrorCount != nil }
                                  ? parts.reduce(0) { $0 + $1.boundToErrorCount! } : nil,
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

    /// How many of the instances `0..<total` belong to this shard: those `i` with `i mod count == index`.
    public func size(of total: Int) -> Int {
        total <= index ? 0 : (total - index - 1) / count + 1
    }

    /// The `k`-th instance index of this shard.
    public func instance(_ k: Int) -> Int { index + k * count }
}

extension Verifier {
    /// Checks `theorem` on the instances of `shard` among `instances`, spread over the cores in
    /// blocks (memory stays bounded however many instances are asked for). `progress(done)` is
    /// called after each block with the number of this shard's instances checked so far;
    /// `shouldStop()` is asked between blocks (a caller's time limit), and a stopped run
    /// reports only what it checked.
    public func run(_ theorem: TheoremID, instances: Int, masterSeed: UInt64, exact: Bool, shard: Shard = .whole,
                    progress: (Int) -> Void = { _ in }, shouldStop: () -> Bool = { false }) -> TheoremSummary {
        let total = shard.size(of: instances)
        var summary = TheoremSummary(theorem: theorem.rawValue, instances: 0, maxError: 0, maxBound: 0,
                                     maxBoundToSignal: 0, passed: true,
                                     boundToErrorLogSum: exact ? nil : 0, boundToErrorCount: exact ? nil : 0, failingSeeds: [])
        let blockSize = 4096
        let results = UnsafeMutableBufferPointer<(seed: UInt64, result: CheckResult?)>.allocate(capacity: blockSize)
        defer { results.deallocate() }
        nonisolated(unsafe) let slots = results
        let verifier = self
        var start = 0
        while start < total && !shouldStop() {
            let count = min(blockSize, total - start)
            let first = start
            DispatchQueue.concurrentPerform(iterations: count) { k in
                let seed = Verifier.instanceSeed(masterSeed: masterSeed, theorem: theorem, index: shard.instance(first + k))
                slots.initializeElement(at: k, to: (seed, try? verifier.check(theorem, seed: seed, exact: exact)))
            }
            for (seed, result) in results.prefix(count) {
                guard let result, result.holds else {
                    summary.passed = false
                    if summary.failingSeeds.count < 20 { summary.failingSeeds.append(seed) }
                    if let result { summary.maxError = max(summary.maxError, result.error) }
                    continue
                }
                summary.maxError = max(summary.maxError, result.error)
                summary.maxBound = max(summary.maxBound, result.bound)
                if !exact { summary.maxBoundToSignal = max(summary.maxBoundToSignal, result.bound / result.signal) }
                if !exact && result.error > 0 {
                    summary.boundToErrorLogSum! += log(result.bound / result.error)
                    summary.boundToErrorCount! += 1
                }
            }
            _ = UnsafeMutableBufferPointer(rebasing: results[0..<count]).deinitialize()
            start += count
            summary.instances = start
            progress(start)
        }
        // No instance checked is no evidence: it is not "held".
        if summary.instances == 0 { summary.passed = false }
        return summary
    }
}
