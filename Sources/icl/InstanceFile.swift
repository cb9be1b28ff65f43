import Constructions
import Foundation
import Linalg

/// The instance file of `icl construct`:
/// `{"x": [[..]] (N x d_x), "y": [[..]] (N x d_y), "xQuery": [..], "W0": [[..]] (d_y x d_x, optional),
///   "preconditioner": [[..]] (d_x x d_x, optional)}`.
/// Numbers are JSON numbers or strings `"p/q"` / `"-1.25"` (exact).
struct InstanceFile {
    var task: RegressionTask<Rational>
    var initialWeights: Matrix<Rational>
    var preconditioner: Matrix<Rational>?
    /// Optional hyper-parameters carried by the file (the command-line options win).
    var eta: Rational?
    var gamma: Rational?

    init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw InputError("--instance: no such file '\(path)'") }
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError("--instance: cannot read '\(path)'") }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) }
        catch { throw InputError("--instance: '\(path)' is not valid JSON (\(error.localizedDescription))") }
        guard let root = object as? [String: Any] else { throw InputError("--instance: the top level must be an object with keys x, y, xQuery") }
        let known: Set<String> = ["x", "y", "xQuery", "W0", "preconditioner", "eta", "gamma"]
        if let unknown = root.keys.first(where: { !known.contains($0) }) {
            throw InputError("--instance: unknown key '\(unknown)'; expected x, y, xQuery, W0, preconditioner, eta, gamma")
        }
        let xRows = try Self.matrix(root["x"], name: "x")
        let yRows = try Self.matrix(root["y"], name: "y")
        guard xRows.rows >= 1 else { throw InputError("x: N = 0 context examples; give at least one row") }
        guard xRows.cols >= 1 else { throw InputError("x: rows are empty; d_x must be at least 1") }
        guard yRows.cols >= 1 else { throw InputError("y: rows are empty; d_y must be at least 1") }
        guard yRows.rows == xRows.rows else { throw InputError("y has \(yRows.rows) rows but x has \(xRows.rows); give one label per example") }
        guard let queryArray = root["xQuery"] else { throw InputError("xQuery: missing (a list of d_x = \(xRows.cols) numbers)") }
        let query = try Self.vector(queryArray, name: "xQuery")
        guard query.count == xRows.cols else { throw InputError("xQuery has \(query.count) entries, expected d_x = \(xRows.cols)") }
        task = RegressionTask(x: xRows.transposed, y: yRows.transposed, xQuery: Matrix(column: query))
        let d = xRows.cols, dy = yRows.cols
        if let w = root["W0"] {
            initialWeights = try Self.matrix(w, name: "W0")
            guard initialWeights.rows == dy, initialWeights.cols == d else {
                throw InputError("W0 is \(initialWeights.rows) x \(initialWeights.cols), expected d_y x d_x = \(dy) x \(d)")
            }
        } else {
            initialWeights = .zeros(dy, d)
        }
        if let p = root["preconditioner"] {
            let gamma = try Self.matrix(p, name: "preconditioner")
            guard gamma.rows == d, gamma.cols == d else {
                throw InputError("preconditioner is \(gamma.rows) x \(gamma.cols), expected d_x x d_x = \(d) x \(d)")
            }
            preconditioner = gamma
        }
        if let e = root["eta"] { eta = try Self.number(e, name: "eta") }
        if let g = root["gamma"] { gamma = try Self.number(g, name: "gamma") }
    }

    /// A number: a finite JSON number, or a string `"p/q"` or decimal.
    static func number(_ value: Any, name: String) throws -> Rational {
        if let text = value as? String {
            guard let r = Rational(parsing: text) else { throw InputError("\(name): '\(text)' is not a number or p/q") }
            return r
        }
        if let number = value as? NSNumber {
            switch String(cString: number.objCType) {
            case "c", "B": break   // JSON true/false
            case "d", "f":
                let v = number.doubleValue
                guard v.isFinite else { throw InputError("\(name): \(v) is not finite") }
                return Rational(approximating: v)
            default: return Rational(Int(number.int64Value))
            }
        }
        throw InputError("\(name): expected a number, got \(value)")
    }

    static func vector(_ value: Any, name: String) throws -> [Rational] {
        guard let items = value as? [Any] else { throw InputError("\(name): expected a list of numbers") }
        return try items.enumerated().map { try number($1, name: "\(name)[\($0)]") }
    }

    static func matrix(_ value: Any?, name: String) throws -> Matrix<Rational> {
        guard let value else { throw InputError("\(name): missing") }
        guard let rows = value as? [Any] else { throw InputError("\(name): expected a list of rows") }
        let parsed = try rows.enumerated().map { try vector($1, name: "\(name)[\($0)]") }
        if let first = parsed.first, let bad = parsed.firstIndex(where: { $0.count != first.count }) {
            throw InputError("\(name) is ragged: row 0 has \(first.count) entries, row \(bad) has \(parsed[bad].count)")
        }
        return parsed.isEmpty ? Matrix(rows: 0, cols: 0) : Matrix(parsed)
    }
}
