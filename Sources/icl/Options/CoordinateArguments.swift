import ArgumentParser
import Foundation
import Phenomenology

/// A closed range `lo:hi` of finite numbers with `lo < hi` (`--box -5:5`, `beta=-2:8`).
struct Interval: ExpressibleByArgument, Sendable, Equatable {
    var lower: Double
    var upper: Double

    init(_ lower: Double, _ upper: Double) { (self.lower, self.upper) = (lower, upper) }

    init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let lo = Real.parse(String(parts[0])), let hi = Real.parse(String(parts[1])), lo < hi else { return nil }
        (lower, upper) = (lo, hi)
    }

    var defaultValueDescription: String { "\(lower):\(upper)" }
}

/// `name=value` pairs over the Reddy coordinates, e.g. `beta=0,alpha=1,xi=1` (any subset,
/// each at most once; `y=` in place of `beta=` selects the direct map). Names are those of
/// `ReddyCoordinates`.
struct PointArgument: ExpressibleByArgument, Sendable {
    var values: [Int: Double] = [:]
    /// Whether `y` named the first coordinate.
    var usesY = false

    init?(argument: String) {
        for part in argument.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, let k = ReddyCoordinates.index(of: kv[0]), values[k] == nil, let v = Real.parse(kv[1]) else { return nil }
            values[k] = v
            usesY = usesY || kv[0] == "y"
        }
        guard !values.isEmpty else { return nil }
    }

    /// The point, missing coordinates 0.
    var point: ReddyPoint { ReddyPoint(beta: values[0] ?? 0, alpha: values[1] ?? 0, xi: values[2] ?? 0) }

    var defaultValueDescription: String {
        (0..<3).compactMap { k in values[k].map { "\(k == 0 && usesY ? "y" : ReddyCoordinates.standard[k])=\($0)" } }.joined(separator: ",")
    }
}

/// `name=lo:hi` pairs, e.g. `alpha=-2:10,xi=-2:16` (`--range`) or one `beta=-2:8` (`--minimize`).
struct CoordinateRanges: ExpressibleByArgument, Sendable {
    var ranges: [Int: Interval] = [:]
    var usesY = false

    init?(argument: String) {
        for part in argument.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, let k = ReddyCoordinates.index(of: kv[0]), ranges[k] == nil,
                  let interval = Interval(argument: kv[1]) else { return nil }
            ranges[k] = interval
            usesY = usesY || kv[0] == "y"
        }
        guard !ranges.isEmpty else { return nil }
    }
}

/// Two different coordinates, x first: `alpha,xi`.
struct AxisPair: ExpressibleByArgument, Sendable {
    var x: Int
    var y: Int
    var usesY = false

    init?(argument: String) {
        let names = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard names.count == 2, let x = ReddyCoordinates.index(of: names[0]), let y = ReddyCoordinates.index(of: names[1]), x != y else { return nil }
        (self.x, self.y, usesY) = (x, y, names.contains("y"))
    }

    /// The coordinate that is not an axis.
    var third: Int { 3 - x - y }

    var defaultValueDescription: String { "\(ReddyCoordinates.standard[x]),\(ReddyCoordinates.standard[y])" }
}

/// A comma-separated list of positive integers, e.g. `2,4,8,16`.
struct PositiveIntegers: ExpressibleByArgument, Sendable {
    var values: [Int]

    init?(argument: String) {
        let parsed = argument.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parsed.isEmpty, parsed.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
        values = parsed.map { $0! }
    }

    var defaultValueDescription: String { values.map(String.init).joined(separator: ",") }
}
