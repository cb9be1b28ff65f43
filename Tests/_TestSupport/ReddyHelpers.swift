import Foundation
import Linalg
import Phenomenology

/// The tests' (N, L) range: N in 2...512, L in N...4N+64.
public func randomSizes(_ random: RandomSource, allowEqual: Bool = true) -> (N: Int, L: Int) {
    let n = random.int(in: 2...512)
    return (n, random.int(in: (allowEqual ? n : n + 1)...(4 * n + 64)))
}

/// A random monotone alternative to the default y(beta): a logistic in beta with random
/// range inside (0, 1), slope and shift.
public func randomAttention(_ random: RandomSource) -> LogisticAttention {
    let lower = random.uniform(in: 0..<0.5)
    let upper = lower + random.uniform(in: 0.05..<(1 - lower))
    return LogisticAttention(lower: lower, upper: min(upper, 1), slope: random.uniform(in: 0.2..<3), shift: random.uniform(in: -2..<2))
}

/// A random point with every coordinate uniform in [-r, r].
public func randomPoint(_ random: RandomSource, radius r: Double = 5) -> ReddyPoint {
    ReddyPoint(beta: random.uniform(in: -r..<r), alpha: random.uniform(in: -r..<r), xi: random.uniform(in: -r..<r))
}

/// Runs `body` with the default model and with a model under a random monotone alternative.
public func forBothAttentions(_ random: RandomSource, N: Int, L: Int,
                       _ body: (String, (ReddyPoint) -> ReddyEvaluation) throws -> Void) throws {
    let standard = try ReddyModel(N: N, L: L)
    try body("default y", { standard.evaluate(at: $0) })
    let alternative = randomAttention(random)
    let other = try ReddyModel(N: N, L: L, attention: alternative)
    try body(alternative.name, { other.evaluate(at: $0) })
}

/// A central difference `(f(x + h e_i) - f(x - h e_i)) / 2h` with its error bound:
/// truncation `h^2/6 |f'''|` (f''' estimated by the 5-point difference with step `H`, plus that
/// estimate's own rounding, doubled for the estimate's truncation) plus rounding
/// `rounding / h`, where `rounding` bounds the error of one evaluation of f.
/// `h = u^(1/3) max(1, |x_i|)` and `H = u^(1/5) max(1, |x_i|)` balance the two.
public func centralDifference(_ f: (ReddyPoint) -> Double, at x: ReddyPoint, _ i: Int, rounding: Double)
    -> (value: Double, bound: Double) {
    let scale = max(1, abs(x[i]))
    func step(_ h: Double) -> Double { (x[i] + h) - x[i] }  // exactly representable
    let h = step(pow(unitRoundoff, 1.0 / 3) * scale), bigH = step(pow(unitRoundoff, 1.0 / 5) * scale)
    func at(_ d: Double) -> Double { var y = x; y[i] += d; return f(y) }
    let cd = (at(h) - at(-h)) / (2 * h)
    let third = (at(2 * bigH) - 2 * at(bigH) + 2 * at(-bigH) - at(-2 * bigH)) / (2 * bigH * bigH * bigH)
    let thirdError = 3 * rounding / (bigH * bigH * bigH)
    let bound = 2 * h * h / 6 * (abs(third) + thirdError) + rounding / h
    return (cd, bound)
}

/// Roundings allowed per evaluation in the bounds (each elementary operation, exp and log
/// rounds once; the evaluation has about this many on its longest path).
public let evaluationRoundings = 8.0

/// A bound on the rounding error of one loss evaluation at `x`: c u (|L| + sum_j |x_j dL/dx_j| + log L),
/// the loss's sensitivity to relative perturbations of its inputs and of log(N-1), log(L-N).
public func lossRounding(_ e: ReddyEvaluation, _ x: ReddyPoint, L: Int) -> Double {
    let products: SIMD3<Double> = x.vector * e.gradient
    let magnitude: Double = abs(e.loss) + abs(products[0]) + abs(products[1]) + abs(products[2]) + log(Double(L))
    return evaluationRoundings * unitRoundoff * magnitude
}

/// The same for gradient component i: c u (1 + log L)(|g_i| + sum_j (1 + |x_j|) |H_ij|).
public func gradientRounding(_ e: ReddyEvaluation, _ x: ReddyPoint, _ i: Int, L: Int) -> Double {
    var h = abs(e.gradient[i])
    for j in 0..<3 { h += (1 + abs(x[j])) * abs(e.hessian[i, j]) }
    return evaluationRoundings * unitRoundoff * (1 + log(Double(L))) * h
}
