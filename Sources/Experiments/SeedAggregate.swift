import Figures
import Foundation
import Training

/// `icl aggregate`: per-seed summaries of one experiment (`icl train`'s summary.json,
/// `icl reproduce ... --json` or their summary.json) turned into the mean and a 95% Student-t
/// interval per metric.
///
/// What it accepts: every file is a summary of the same experiment (`SummaryKind`, recognised
/// by the keys its command writes) with the same metrics (so the same settings: layers,
/// steps, the training config but its seed), no two files with the same bytes and no seed
/// twice. A metric is a numeric leaf named by its path (`cases.random.gammaRelativeError`,
/// `rows.layers=3.trainedLoss`: an object in an array is a record named by its `name` or
/// `layers` field, else by its index); seeds and settings that do not vary are metrics too.
/// A list of numbers (a matrix, a curve) is not a metric: with `elements` each element is
/// (`cases.random.gamma0.0.1`), up to `maximumMetrics`.
public struct SeedAggregate: Codable, Sendable {
    public var files: Int
    public var metrics: [String: MeanInterval]
    public var text: String = ""

    enum CodingKeys: String, CodingKey { case files, metrics }

    /// More metrics than this (from `elements` on long lists) are refused.
    public static let maximumMetrics = 100_000

    public init(paths: [String], elements: Bool = false) throws(AggregateError) {
        guard !paths.isEmpty else { throw .noFiles }
        var values: [String: [Double]] = [:]
        var order: [String] = []
        var contents: [Data: String] = [:]
        var seeds: [UInt64: String] = [:]
        var first: (path: String, kind: SummaryKind, settings: JSONValue?, names: Set<String>)?
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
            if let earlier = contents[data] { throw .duplicate(path, of: earlier) }
            contents[data] = path
            guard let value = JSONValue(parsing: data), case .object(let object) = value else { throw .notJSON(path) }
            guard let kind = SummaryKind(object) else { throw .notASummary(path) }
            guard let seed = kind.seed(object) else { throw .noSeed(path, kind) }
            if let earlier = seeds[seed] { throw .repeatedSeed(seed, path, of: earlier) }
            seeds[seed] = path
            var leaves: [(String, Double)] = []
            Self.flatten(value, prefix: "", elements: elements, into: &leaves)
            guard leaves.count <= Self.maximumMetrics else { throw .tooManyMetrics(path, leaves.count) }
            let names = Set(leaves.map(\.0))
            if let first {
                guard kind == first.kind else { throw .mixed(path, kind, first.path, first.kind) }
                guard kind.settings(object) == first.settings else { throw .differentSettings(path, first.path, kind.settingsName(object)) }
                if let name = names.symmetricDifference(first.names).sorted().first {
                    throw .differentMetrics(path, first.path, name: name)
                }
            } else {
                first = (path, kind, kind.settings(object), names)
            }
            for (key, value) in leaves {
                if values[key] == nil { order.append(key) }
                values[key, default: []].append(value)
            }
        }
        files = paths.count
        var metrics: [String: MeanInterval] = [:]
        for key in order {
            let m = MeanInterval(values[key]!)
            guard [m.mean, m.standardDeviation ?? 0, m.lower ?? 0, m.upper ?? 0].allSatisfy(\.isFinite) else { throw .overflow(metric: key) }
            metrics[key] = m
        }
        self.metrics = metrics
        var rows = [["metric", "n", "mean", "95% interval"]]
        for key in order {
            let m = metrics[key]!
            let interval = m.lower.map { "[\(formatNumber($0, significant: 6)), \(formatNumber(m.upper!, significant: 6))]" } ?? "-"
            rows.append([key, "\(m.count)", formatNumber(m.mean, significant: 6), interval])
        }
        text = "\(files) files\n" + TextTable(rows, alignment: .left).rendered
    }

    static func flatten(_ value: JSONValue, prefix: String, elements: Bool, into leaves: inout [(String, Double)]) {
        switch value {
        case .number(let x, _):
            if x.isFinite { leaves.append((prefix, x)) }
        case .object(let object):
            for key in object.keys.sorted() {
                flatten(object[key]!, prefix: prefix.isEmpty ? key : prefix + "." + key, elements: elements, into: &leaves)
            }
        case .numbers(let xs):
            guard elements else { return }
            // Past the bound the count is all that matters: stop naming elements.
            for (i, x) in xs.enumerated() where x.isFinite {
                guard leaves.count <= maximumMetrics else { return }
                leaves.append((prefix + ".\(i)", x))
            }
        case .array(let array):
            for (i, element) in array.enumerated() {
                var label = "\(i)"
                if case .object(let o) = element {
                    if case .string(let name)? = o["name"] { label = name } else if case .number(let k, _)? = o["layers"] { label = "layers=\(Int(k))" }
                } else if !elements {
                    continue  // an element of a list of numbers or lists: only with `elements`
                }
                flatten(element, prefix: prefix + "." + label, elements: elements, into: &leaves)
            }
        case .bool, .string, .null:
            break
        }
    }
}

/// The experiment a summary belongs to, recognised by the keys its command writes (every
/// summary of one command has them; no other command's report has them all).
public enum SummaryKind: String, Sendable, CustomStringConvertible {
    case train = "icl train"
    case vonOswald = "icl reproduce von-oswald"
    case gaussianOptimum = "icl reproduce gaussian-optimum"
    case multilayer = "icl reproduce multilayer"

    /// The keys that identify each kind.
    static let keys: [(SummaryKind, Set<String>)] = [
        (.train, ["config", "meanTrainingLossLastTenth", "validationLoss"]),
        (.vonOswald, ["etaStar", "gdLoss", "trainedLoss", "seed", "steps"]),
        (.gaussianOptimum, ["cases", "gammaRelativeError", "seed", "steps"]),
        (.multilayer, ["rows", "zeroLoss", "seed", "steps"]),
    ]

    /// The `experiment` field of each kind's summary.
    static let experiments: [String: SummaryKind] = ["train": .train, "von-oswald": .vonOswald, "gaussian-optimum": .gaussianOptimum,
                                                     "multilayer": .multilayer]

    /// By the summary's `experiment` field, or for a summary without one (written before it
    /// existed) by its keys.
    init?(_ object: [String: JSONValue]) {
        if case .string(let name)? = object["experiment"] {
            guard let kind = Self.experiments[name], Self.keys.first(where: { $0.0 == kind })!.1.isSubset(of: object.keys) else { return nil }
            self = kind
            return
        }
        guard let kind = Self.keys.first(where: { $0.1.isSubset(of: object.keys) })?.0 else { return nil }
        self = kind
    }

    /// The seed of the run: `config.seed` for `icl train`, `seed` for a reproduction.
    func seed(_ object: [String: JSONValue]) -> UInt64? {
        var holder = object
        if self == .train { guard case .object(let config)? = object["config"] else { return nil }; holder = config }
        guard case .number(_, let exact?)? = holder["seed"] else { return nil }
        return exact
    }

    /// What must be equal in every run of one experiment: the training config but its seed
    /// (`icl train`), a reproduction's `setting` but its seed and version (or, in a summary
    /// without one, its steps; its layers are in its metric names).
    func settings(_ object: [String: JSONValue]) -> JSONValue? {
        guard self == .train else {
            guard case .object(var setting)? = object["setting"] else { return object["steps"] }
            setting["seed"] = nil
            setting["version"] = nil
            return .object(setting)
        }
        guard case .object(var config)? = object["config"] else { return nil }
        config["seed"] = nil
        return .object(config)
    }

    func settingsName(_ object: [String: JSONValue]) -> String {
        self == .train ? "config (all but the seed)" : object["setting"] == nil ? "steps" : "setting (all but the seed and version)"
    }

    public var description: String { rawValue }
}

public enum AggregateError: Error, Equatable, CustomStringConvertible {
    case noFiles
    case unreadable(String)
    case notJSON(String)
    case notASummary(String)
    case noSeed(String, SummaryKind)
    case duplicate(String, of: String)
    case repeatedSeed(UInt64, String, of: String)
    case mixed(String, SummaryKind, String, SummaryKind)
    case differentMetrics(String, String, name: String)
    case differentSettings(String, String, String)
    case tooManyMetrics(String, Int)
    case overflow(metric: String)

    public var description: String {
        switch self {
        case .noFiles: return "no files to aggregate"
        case .unreadable(let p): return "cannot read '\(p)'"
        case .notJSON(let p): return "'\(p)' is not a JSON object (expected a summary.json or a command's JSON report)"
        case .notASummary(let p):
            return "'\(p)' is not the summary of a run of icl train or icl reproduce (von-oswald, gaussian-optimum, multilayer): it lacks their keys"
        case let .noSeed(p, kind): return "'\(p)' is a summary of \(kind) without an integer seed"
        case let .duplicate(p, earlier): return "'\(p)' has the same contents as '\(earlier)': give each seed's summary once"
        case let .repeatedSeed(seed, p, earlier): return "'\(p)' and '\(earlier)' are both runs of seed \(seed): give each seed once"
        case let .mixed(p, kind, q, other): return "'\(p)' is a summary of \(kind) but '\(q)' of \(other): aggregate one experiment at a time"
        case let .differentMetrics(p, q, name): return "'\(p)' and '\(q)' are runs of different settings: '\(name)' is in one only"
        case let .differentSettings(p, q, setting): return "'\(p)' and '\(q)' are runs of different settings: their \(setting) differ"
        case let .tooManyMetrics(p, n): return "'\(p)' has more than \(SeedAggregate.maximumMetrics) metrics (\(n)); aggregate fewer list elements"
        case let .overflow(metric): return "the mean or the 95% interval of '\(metric)' overflows the double range"
        }
    }
}
