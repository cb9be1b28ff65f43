import Foundation
import Figures

/// What a run will need, estimated before it starts, so that work which cannot fit the
/// machine is refused up front with the numbers instead of exhausting memory or running for
/// days without a word.
public struct ResourceEstimate: Sendable, Equatable {
    /// Peak memory, bytes.
    public var bytes: Double
    /// Wall time on this machine, seconds.
    public var seconds: Double

    public init(bytes: Double, seconds: Double) {
        (self.bytes, self.seconds) = (bytes, seconds)
    }

    /// The machine's physical memory, bytes.
    public static var physicalMemory: Double {
        Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Throws when the estimate exceeds 80% of the physical memory or `maxSeconds`.
    public func check(maxSeconds: Double) throws(ResourceError) {
        let memory = 0.8 * Self.physicalMemory
        if bytes > memory { throw .memory(estimate: bytes, limit: memory) }
        if seconds > maxSeconds { throw .time(estimate: seconds, limit: maxSeconds) }
    }
}

/// A run refused up front.
public enum ResourceError: Error, Equatable, CustomStringConvertible {
    case memory(estimate: Double, limit: Double)
    case time(estimate: Double, limit: Double)

    public var description: String {
        switch self {
        case let .memory(estimate, limit):
            return "needs about \(Self.bytes(estimate)) of memory (estimate), more than the \(Self.bytes(limit)) this machine can give (80% of its memory)"
        case let .time(estimate, limit):
            return "would take about \(formatDuration(estimate)) (estimate), more than the limit of \(formatDuration(limit))"
        }
    }

    static func bytes(_ b: Double) -> String {
        b >= 1e12 ? String(format: "%.3g TB", b / 1e12) : b >= 1e9 ? String(format: "%.3g GB", b / 1e9) : String(format: "%.3g MB", b / 1e6)
    }
}

extension ConstructRequest {
    /// Memory and time of building and running `layers` layers on a `d_x + d_y = D` token,
    /// `N`-example instance: the stack's weights (4 D^2 per layer), a few token matrices
    /// `D x (N+1)` and the `N x (N+1)` scores, each entry 8 bytes in `Double` and at least 64
    /// in exact arithmetic (a `Rational` with its BigInt words); work `layers (4 D^2 (N+1) +
    /// 2 D N (N+1))` multiply-adds at about 1 ns each (`Double`, generic loops) or 0.3 us each
    /// (exact, small fractions: a lower bound, since the fractions grow with the layers).
    public func estimate(for file: InstanceFile) -> ResourceEstimate {
        let d = Double(file.task.inputDimension + file.task.outputDimension)
        let n = Double(file.task.contextCount)
        let k = Double(layers)
        let entry = exact ? 64.0 : 8.0
        let entries = k * 4 * d * d + 6 * d * (n + 1) + 2 * n * (n + 1) + d * d
        let operations = k * (4 * d * d * (n + 1) + 2 * d * n * (n + 1))
        return ResourceEstimate(bytes: entries * entry, seconds: operations * (exact ? 3e-7 : 1e-9))
    }
}
