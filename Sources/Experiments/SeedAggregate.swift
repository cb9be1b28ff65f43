import Figures
import Foundation
import Training

/// `icl aggregate`: per-seed JSON results (`icl train`'s summary.json, `icl reproduce ... --json`
/// or their summary.json) turned into the mean and a 95% Student-t interval per metric. Every
/// numeric leaf is a metric, named by its path (`cases.random.gammaRelativeError`,
/// `rows.layers=3.trainedLoss`: an element of an array of objects is named by its `name` or
/// `layers` field, else by its index); seeds and settings that do not vary are metrics too.
public struct SeedAggregate: Codable, Sendable {
    public var files: Int
    public var metrics: [String: MeanInterval]
    public var text: String = ""

    enum CodingKeys: String, CodingKey { case files, metrics }

    public init(paths: [String]) throws(AggregateError) {
        guard !paths.isEmpty else { throw .noFiles }
        var values: [String: [Double]] = [:]
        var order: [String] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
            guard let object = try? JSONDecoder().decode(JSONValue.self, from: data), case .object = object else { throw .notJSON(path) }
            var leaves: [(String, Double)] = []
            Self.flatten(object, prefix: "", into: &leaves)
            for (key, value) in leaves {
                if values[key] == nil { order.append(key) }
                values[key, default: []].append(value)
            }
        }
        files = paths.count
        metrics = values.mapValues { MeanInterval($0) }
        var rows = [["metric", "n", "mean", "95% interval"]]
        for key in order {
            let m = metrics[key]!
            let interval = m.lower.map { "[\(formatNumber($0, significant: 6)), \(formatNumber(m.upper!, significant: 6))]" } ?? "-"
            rows.append([key, "\(m.count)", formatNumber(m.mean, significant: 6), interval])
        }
        text = "\(files) files\n" + TextTable(rows, alignment: .left).rendered
    }

    static func flatten(_ value: JSONValue, prefix: String, into leaves: inout [(String, Double)]) {
        switch value {
        case .number(let x):
            if x.isFinite { leaves.append((prefix, x)) }
        case .object(let object):
            for key in object.keys.sorted() { flatten(object[key]!, prefix: prefix.isEmpty ? key : prefix + "." + key, into: &leaves) }
        case .array(let array):
            for (i, element) in array.enumerated() {
                var label = "\(i)"
                if case .object(let o) = element {
                    if case .string(let name)? = o["name"] { label = name } else if case .number(let k)? = o["layers"] { label = "layers=\(Int(k))" }
                }
                flatten(element, prefix: prefix + "." + label, into: &leaves)
            }
        case .bool, .string, .null:
            break
        }
    }
}

/// Any JSON value, keeping booleans apart from numbers.
enum JSONValue: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let x = try? c.decode(Double.self) { self = .number(x) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }
}

public enum AggregateError: Error, Equatable, CustomStringConvertible {
    case noFiles
    case unreadable(String)
    case notJSON(String)

    public var description: String {
        switch self {
        case .noFiles: return "no files to aggregate"
        case .unreadable(let p): return "cannot read '\(p)'"
        case .notJSON(let p): return "'\(p)' is not a JSON object (expected a summary.json or a command's JSON report)"
        }
    }
}
