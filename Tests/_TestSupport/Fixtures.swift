import Foundation

/// The repository's root, found from this source file (tests read committed fixtures).
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// `Fixtures/<path>` as JSON (the fixtures are committed with the scripts that made them),
/// as `JSONSerialization` would give it (numbers as `NSNumber`), but with every number read by
/// `JSONDecoder`, which rounds correctly: Foundation's `JSONSerialization` on Linux misreads
/// about 9% of 17-digit doubles by up to 12 ulp (measured), an error the mpmath comparisons
/// should not carry.
public func jsonFixture(_ path: String) throws -> [String: Any] {
    let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("Fixtures").appendingPathComponent(path))
    guard let object = try JSONDecoder().decode(FixtureValue.self, from: data).object as? [String: Any] else {
        throw CocoaError(.fileReadCorruptFile)
    }
    return object
}

/// A JSON value decoded with `JSONDecoder`.
private enum FixtureValue: Decodable {
    case number(Double), string(String), bool(Bool), null, array([FixtureValue]), object([String: FixtureValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let x = try? container.decode(Double.self) { self = .number(x) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let a = try? container.decode([FixtureValue].self) { self = .array(a) }
        else { self = .object(try container.decode([String: FixtureValue].self)) }
    }

    var object: Any {
        switch self {
        case .number(let x): return NSNumber(value: x)
        case .string(let s): return s
        case .bool(let b): return b
        case .null: return NSNull()
        case .array(let a): return a.map(\.object)
        case .object(let o): return o.mapValues(\.object)
        }
    }
}

/// One regex of `Fixtures/languages/reference.json`, made by greenery (an independent
/// implementation: its own constructions and Brzozowski minimisation) with make_reference.py:
/// the minimal DFA in the canonical numbering and the member counts per length (as strings).
public struct GreeneryLanguageCase: Decodable, Sendable {
    public let regex: String
    public let alphabet: String
    public let states: Int
    public let start: Int
    public let accepting: [Int]
    public let transitions: [[Int]]
    public let counts: [String]

    /// Every case of the fixture.
    public static func all() throws -> [GreeneryLanguageCase] {
        struct Reference: Decodable { let cases: [GreeneryLanguageCase] }
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("Fixtures/languages/reference.json"))
        return try JSONDecoder().decode(Reference.self, from: data).cases
    }
}
