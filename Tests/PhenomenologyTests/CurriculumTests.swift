import Foundation
import Linalg
import PropertyBased
import Testing
@testable import Phenomenology

/// reddy-curriculum: for L > N the gradient flow from the origin moves xi first, then alpha,
/// then beta, and reaches a loss below 0.1 log N in finite time.
///
/// "First" is measured two ways: (1) the first times |xi|, |alpha|, |beta| exceed 0.5 come in
/// that order; (2) near t = 0, |xi| > |alpha| > |beta| > 0 (xi ~ t, alpha ~ t^2, beta ~ t^3:
/// alpha feels a gradient only through xi, beta only through alpha xi). Run for the default
/// y(beta) and a random monotone alternative (the order held for every alternative tried).
@Suite struct CurriculumTests {
    @Test func flowLearnsXiThenAlphaThenBeta() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let (n, l) = randomSizes(random, allowEqual: false)
            check(try! ReddyModel(N: n, L: l), "default y, seed \(seed), N \(n), L \(l)")
            let alternative = randomAttention(random)
            check(try! ReddyModel(N: n, L: l, attention: alternative), "\(alternative.name), seed \(seed), N \(n), L \(l)")
        }
    }

    func check<A>(_ model: ReddyModel<A>, _ label: String) {
        var options = FlowOptions()
        options.timeLimit = 1e9
        options.stopLoss = 0.1 * log(Double(model.contextPairs))
        let trajectory = try! model.gradientFlow(options)
        let reached = trajectory.firstTime(lossAtOrBelow: 0.1 * log(Double(model.contextPairs)))
        #expect(reached != nil, "loss stayed above 0.1 log N until t = \(trajectory.times.last!) (\(label))")
        let first = (0..<3).map { trajectory.firstExceeds($0, threshold: 0.5) }
        guard let fb = first[0], let fa = first[1], let fx = first[2] else {
            Issue.record("a parameter never exceeded 0.5: \(first) (\(label))")
            return
        }
        #expect(fx < fa && fa < fb, "first exceed times xi \(fx), alpha \(fa), beta \(fb) (\(label))")
        // Early on: the first accepted step, well before any threshold.
        let early = trajectory.points[1]
        #expect(abs(early.xi) > abs(early.alpha) && abs(early.alpha) > abs(early.beta) && early.beta != 0,
                "at t = \(trajectory.times[1]): \(early) (\(label))")
    }

    /// The structure behind the order, at any point and for any y: with xi = 0 neither alpha
    /// nor beta has a gradient; with alpha = 0, beta has none.
    @Test func gradientStructure() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let (n, l) = randomSizes(random)
            try! forBothAttentions(random, N: n, L: l) { name, evaluate in
                var x = randomPoint(random)
                x.xi = 0
                let g0 = evaluate(x).gradient
                #expect(g0.alpha == 0 && g0.beta == 0, "xi = 0: \(g0) (\(name), seed \(seed))")
                x = randomPoint(random)
                x.alpha = 0
                #expect(evaluate(x).gradient.beta == 0, "alpha = 0: \(evaluate(x).gradient) (\(name), seed \(seed))")
            }
        }
    }
}
