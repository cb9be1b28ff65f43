import Constructions
import Foundation
import Linalg

/// The instance file of `icl construct`, read with `Decodable`:
/// `{"x": [[..]] (N x d_x), "y": [[..]] (N x d_y), "xQuery": [..], "W0": [[..]] (d_y x d_x, optional),
///   "preconditioner": [[..]] (d_x x d_x, optional), "eta", "gamma" (optional)}`.
/// Numbers are JSON numbers or strings `"p/q"` / `"-1.25"` (exact); a JSON number with a
/// fraction or exponent is taken as the exact rational value of its nearest `Double`.
public struct InstanceFile: Sendable {
    public var task: RegressionTask<Rational>
    public var initialWeights: Matrix<Rational>
    public var preconditioner: Matrix<Rational>?
    /// Optional hyper-parameters carried by the file (the command-line options win).
    public var eta: Rational?
    public var gamma: Rational?

    /// Reads and checks the file at `path`.
    public init(path: String) throws(InstanceFileError) {
        guard FileManager.default.fileExists(atPath: path) else { throw .noSuchFile(path) }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        try self.init(json: data, name: path)
    }

    /// Parses and checks the JSON text `data` (`name` is used in messages).
    public init(json data: Data, name: String = "the instance") throws(InstanceFileError) {
        let contents: Contents
        do {
            contents = try JSONDecoder().decode(Contents.self, from: data)
        } catch let error as InstanceFileError {
            throw error
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw .notJSON(name, detail: (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription)
        } catch let DecodingError.typeMismatch(_, context) where context.codingPath.isEmpty {
            throw .invalid("the top level must be an object with keys x, y, xQuery")
        } catch let error as DecodingError {
            throw .invalid(Self.message(error))
        } catch {
            throw .notJSON(name, detail: "\(error)")
        }
        let x = try Self.matrix(contents.x, name: "x")
        let y = try Self.matrix(contents.y, name: "y")
        guard x.rows >= 1 else { throw .invalid("x: N = 0 context examples; give at least one row") }
        guard x.cols >= 1 else { throw .invalid("x: rows are empty; d_x must be at least 1") }
        guard y.cols >= 1 else { throw .invalid("y: rows are empty; d_y must be at least 1") }
        guard y.rows == x.rows else { throw .invalid("y has \(y.rows) rows but x has \(x.rows); give one label per example") }
        guard let query = contents.xQuery?.map(\.value) else { throw .invalid("xQuery: missing (a list of d_x = \(x.cols) numbers)") }
        guard query.count == x.cols else { throw .invalid("xQuery has \(query.count) entries, expected d_x = \(x.cols)") }
        task = RegressionTask(x: x.transposed, y: y.transposed, xQuery: Matrix(column: query))
        let (d, dy) = (x.cols, y.cols)
        if let rows = contents.W0 {
            initialWeights = try Self.matrix(rows, name: "W0")
            guard initialWeights.rows == dy, initialWeights.cols == d else {
                throw .invalid("W0 is \(initialWeights.rows) x \(initialWeights.cols), expected d_y x d_x = \(dy) x \(d)")
            }
        } else {
            initialWeights = .zeros(dy, d)
        }
        if let rows = contents.preconditioner {
            let gamma = try Self.matrix(rows, name: "preconditioner")
            guard gamma.rows == d, gamma.cols == d else {
                throw .invalid("preconditioner is \(gamma.rows) x \(gamma.cols), expected d_x x d_x = \(d) x \(d)")
            }
            preconditioner = gamma
        }
        eta = contents.eta?.value
        gamma = contents.gamma?.value
    }

    /// The JSON object as written, before the shape checks.
    struct Contents: Decodable {
        var x: [[ExactNumber]]?
        var y: [[ExactNumber]]?
        var xQuery: [ExactNumber]?
        var W0: [[ExactNumber]]?
        var preconditioner: [[ExactNumber]]?
        var eta: ExactNumber?
        var gamma: ExactNumber?

        enum CodingKeys: String, CodingKey, CaseIterable { case x, y, xQuery, W0, preconditioner, eta, gamma }

        init(from decoder: any Decoder) throws {
            let names = try decoder.container(keyedBy: AnyKey.self)
            if let unknown = names.allKeys.first(where: { CodingKeys(rawValue: $0.stringValue) == nil }) {
                throw InstanceFileError.invalid("unknown key '\(unknown.stringValue)'; expected "
                                                + CodingKeys.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            x = try c.decodeIfPresent([[ExactNumber]].self, forKey: .x)
            y = try c.decodeIfPresent([[ExactNumber]].self, forKey: .y)
            xQuery = try c.decodeIfPresent([ExactNumber].self, forKey: .xQuery)
            W0 = try c.decodeIfPresent([[ExactNumber]].self, forKey: .W0)
            preconditioner = try c.decodeIfPresent([[ExactNumber]].self, forKey: .preconditioner)
            eta = try c.decodeIfPresent(ExactNumber.self, forKey: .eta)
            gamma = try c.decodeIfPresent(ExactNumber.self, forKey: .gamma)
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
    }

    /// A number: a JSON integer (exact), a JSON number with a fraction (its `Double`, exactly),
    /// or a string `"p/q"` / decimal.
    struct ExactNumber: Decodable {
        var value: Rational

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            // Numbers first (the common case; a failed decode builds an error, which is slow on
            // millions of entries); a Double is exact unless it is an integer beyond 2^53.
            if let v = try? c.decode(Double.self) {
                guard v.isFinite else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "\(v) is not finite") }
                if v.magnitude >= 0x1p53, let n = try? c.decode(Int.self) {
                    value = Rational(n)
                } else {
                    value = Rational(approximating: v)
                }
            } else if let text = try? c.decode(String.self) {
                guard let r = Rational(parsing: text) else {
                    throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is not a number or p/q")
                }
                value = r
            } else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a number or a string p/q")
            }
        }
    }

    /// `x[0][1]` style path of a decoding error, and what went wrong there.
    static func message(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ($0.stringValue) }.joined()
        }
        switch error {
        case let .dataCorrupted(context): return "\(path(context.codingPath)): \(context.debugDescription)"
        case let .typeMismatch(_, context):
            // Matrices nest two lists deep, xQuery one, eta and gamma none.
            let key = context.codingPath.first?.stringValue ?? ""
            let depth = context.codingPath.count - (["x", "y", "W0", "preconditioner"].contains(key) ? 0 : key == "xQuery" ? 1 : 2)
            let expected = depth == 1 ? "a list of rows" : depth == 2 ? "a list of numbers" : "a number"
            return "\(path(context.codingPath)): expected \(expected)"
        case let .valueNotFound(_, context): return "\(path(context.codingPath)): expected a number, got null"
        case let .keyNotFound(key, context): return "\(path(context.codingPath + [key])): missing"
        @unknown default: return "\(error)"
        }
    }

    static func matrix(_ rows: [[ExactNumber]]?, name: String) throws(InstanceFileError) -> Matrix<Rational> {
        guard let rows else { throw .invalid("\(name): missing") }
        if let first = rows.first, let bad = rows.firstIndex(where: { $0.count != first.count }) {
            throw .invalid("\(name) is ragged: row 0 has \(first.count) entries, row \(bad) has \(rows[bad].count)")
        }
        return rows.isEmpty ? Matrix(rows: 0, cols: 0) : Matrix(rows.map { $0.map(\.value) })
    }
}

/// An instance file that cannot be used; the message names the entry and what is expected.
public enum InstanceFileError: Error, Equatable, CustomStringConvertible {
    case noSuchFile(String)
    case unreadable(String)
    case notJSON(String, detail: String)
    case invalid(String)

    public var description: String {
        switch self {
        case let .noSuchFile(path): return "no such file '\(path)'"
        case let .unreadable(path): return "cannot read '\(path)'"
        case let .notJSON(path, detail): return "'\(path)' is not valid JSON (\(detail))"
        case let .invalid(message): return message
        }
    }
}
