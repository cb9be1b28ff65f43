import Foundation
import Linalg
@testable import Phenomenology

/// Unit roundoff 2^-53.
let unitRoundoff = Double.ulpOfOne / 2

/// The tests' (N, L) range: N in 2...512, L in N...4N+64.
func randomSizes(_ random: RandomSource, allowEqual: Bool = true) -> (N: Int, L: Int) {
    let n = random.int(in: 2...512)
    return (n, random.int(in: (allowEqual ? n : n + 1)...(4 * n + 64)))
}

/// A random monotone alternative to the default y(beta): a logistic in beta with random
/// range inside (0, 1), slope and shift.
func randomAttention(_ random: RandomSource) -> LogisticAttention {
    let lower = random.uniform(in: 0..<0.5)
    let upper = lower + random.uniform(in: 0.05..<(1 - lower))
    return LogisticAttention(lower: lower, upper: min(upper, 1), slope: random.uniform(in: 0.2..<3), shift: random.uniform(in: -2..<2))
}

/// A random point with every coordinate uniform in [-r, r].
func randomPoint(_ random: RandomSource, radius r: Double = 5) -> Parameters {
    Parameters(random.uniform(in: -r..<r), random.uniform(in: -r..<r), random.uniform(in: -r..<r))
}

/// Runs `body` with the default model and with a model under a random monotone alternative.
func forBothAttentions(_ random: RandomSource, N: Int, L: Int,
                       _ body: (String, (Parameters) -> ReddyEvaluation) throws -> Void) throws {
    let standard = try ReddyModel(N: N, L: L)
    try body("default y", { standard.evaluate(at: $0) })
    let alternative = randomAttention(random)
    let other = try ReddyModel(N: N, L: L, attention: alternative)
    try body(alternative.name, { other.evaluate(at: $0) })
}

/// Reads Fixtures/reddy/reference.json relative to this source file (the fixtures are committed).
func referenceFixture() throws -> [String: Any] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reddy/reference.json")
    let data = try Data(contentsOf: url)
    return try JSONSerialization.jsonObject(with: data) as! [String: Any]
}
