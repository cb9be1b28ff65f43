import ArgumentParser
import Foundation
import Phenomenology

/// `--N`, `--L` and `--y-map`, shared by the `icl phen` subcommands.
struct PhenModelOptions: ParsableArguments {
    @Option(name: .customLong("N"), help: "N, the item-label pairs in the context (1...10^6).")
    var contextPairs: Int = 8

    @Option(name: .customLong("L"), help: "L, the number of labels (N <= L <= 10^9).")
    var labels: Int = 32

    @Option(name: .customLong("y-map"), help: "The layer-1 attention y(beta): softmax (y = e^beta/(e^beta+2N)) or direct (the first coordinate is y).")
    var yMap: YMap = .softmax

    enum YMap: String, ExpressibleByArgument, CaseIterable { case softmax, direct }

    func validate() throws {
        guard (1...1_000_000).contains(contextPairs) else { throw ValidationError("--N must be in 1...1000000, got \(contextPairs)") }
        guard labels <= 1_000_000_000 else { throw ValidationError("--L must be at most 10^9, got \(labels)") }
        guard labels >= contextPairs else {
            throw ValidationError("--L must be >= N: the N context labels are distinct, so L < N is outside the model (got N = \(contextPairs), L = \(labels))")
        }
    }

    /// Whether the first coordinate is `y` itself (`--y-map direct`, or forced by a `y` elsewhere).
    func isDirect(_ forced: Bool = false) -> Bool { forced || yMap == .direct }
}

/// Runs `body` on the model with the chosen attention map (the generic code is specialized
/// for each map, so there is no existential in the inner loops).
protocol ModelVisitor {
    func visit<A: LayerOneAttention>(_ model: ReddyModel<A>) throws
}

extension PhenModelOptions {
    func withModel(direct: Bool = false, _ visitor: some ModelVisitor) throws {
        if isDirect(direct) {
            try visitor.visit(try makeModel(self, DirectAttention()))
        } else {
            try visitor.visit(try makeModel(self, SoftmaxAttention(contextPairs: contextPairs)))
        }
    }
}

/// Parses "beta=1,alpha=2,xi=3" (any subset; `y=` in place of `beta=` selects the direct map).
struct PointSpec {
    var values: [Int: Double] = [:]
    var usesY = false

    init?(_ text: String) {
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, let v = Double(kv[1]), v.isFinite else { return nil }
            guard let k = PointSpec.index(of: kv[0], usesY: &usesY), values[k] == nil else { return nil }
            values[k] = v
        }
    }

    static func index(of name: String, usesY: inout Bool) -> Int? {
        switch name {
        case "beta": return 0
        case "y": usesY = true; return 0
        case "alpha": return 1
        case "xi": return 2
        default: return nil
        }
    }

    var point: Parameters { Parameters(values[0] ?? 0, values[1] ?? 0, values[2] ?? 0) }
}

/// The coordinate names for the chosen map ("y" replaces "beta" under the direct map).
func coordinateNames(_ attention: some LayerOneAttention) -> [String] {
    [attention.coordinateName, "alpha", "xi"]
}

/// Builds the model, turning a model error into bad input (exit 2).
func makeModel<A: LayerOneAttention>(_ options: PhenModelOptions, _ attention: A) throws -> ReddyModel<A> {
    do { return try ReddyModel(N: options.contextPairs, L: options.labels, attention: attention) } catch {
        throw InputError(error.description)
    }
}

/// A JSON value for a Double (null when not finite).
func jsonNumber(_ x: Double?) -> Any { x.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }

func jsonPoint(_ p: Parameters, names: [String]) -> [String: Any] {
    [names[0]: jsonNumber(p[0]), names[1]: jsonNumber(p[1]), names[2]: jsonNumber(p[2])]
}

func printJSON(_ object: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// Writes every file or none: all contents are computed first; each file is written to a
/// temporary file in the same directory and renamed over its name.
func writeAtomically(directory: String, files: [(name: String, contents: String)]) throws {
    let fm = FileManager.default
    do {
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
        throw InputError("cannot create the output directory '\(directory)': a part of the path is a file, or permission is denied")
    }
    var temporaries: [(String, String)] = []
    do {
        for file in files {
            let final = (directory as NSString).appendingPathComponent(file.name)
            let temporary = (directory as NSString).appendingPathComponent(".\(file.name).tmp-\(getpid())")
            try Data(file.contents.utf8).write(to: URL(fileURLWithPath: temporary))
            temporaries.append((temporary, final))
        }
        for (temporary, final) in temporaries {
            guard rename(temporary, final) == 0 else {
                throw InputError("cannot rename \(temporary) to \(final): \(String(cString: strerror(errno)))")
            }
        }
    } catch {
        for (temporary, _) in temporaries { try? fm.removeItem(atPath: temporary) }
        if error is InputError { throw error }
        throw InputError("cannot write to '\(directory)' (disk full or permission denied?); no output file was changed")
    }
}

/// "1.234" style for tables.
func fmt(_ x: Double?, _ significant: Int = 6) -> String { x.map { formatNumber($0, significant: significant) } ?? "-" }

/// Pads a table of strings into aligned columns.
func table(_ rows: [[String]]) -> String {
    guard let width = rows.map(\.count).max() else { return "" }
    let widths = (0..<width).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max()! }
    return rows.map { row in
        row.enumerated().map { c, s in String(repeating: " ", count: widths[c] - s.count) + s }.joined(separator: "  ")
    }.joined(separator: "\n")
}

/// "key:  value" lines with the keys left-aligned.
func keyValues(_ rows: [(String, String)]) -> String {
    let width = rows.map(\.0.count).max() ?? 0
    return rows.map { $0.0 + ":" + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 }.joined(separator: "\n")
}
