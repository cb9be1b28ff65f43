import _TestSupport
import Foundation
import Linalg
import PropertyBased
import Testing
@testable import Phenomenology

/// reddy-limit: at alpha = 0 the loss decreases to log N as xi grows (the model then picks
/// one of the N context labels at random); the loss is positive everywhere; and it does not
/// increase along the gradient flow. Both y maps (none of this depends on y).
@Suite struct LimitTests {
    @Test func alphaZeroTendsToLogN() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let (n, l) = randomSizes(random)
            let logN = log(Double(n))
            try! forBothAttentions(random, N: n, L: l) { name, evaluate in
                let beta = random.uniform(in: -5..<5)
                // xi in units of 2N+1: Loss = log(N + (L-N) e^{-xi/(2N+1)}).
                let losses = [0.0, 1, 10, 100, 1000].map { evaluate(ReddyPoint(beta: beta, alpha: 0, xi: $0 * Double(2 * n + 1))).loss }
                for k in 1..<losses.count {
                    #expect(losses[k] <= losses[k - 1], "not decreasing in xi: \(losses) (\(name), seed \(seed), N \(n), L \(l))")
                    #expect(losses[k] >= logN * (1 - 2 * unitRoundoff), "below log N: \(losses) (\(name), seed \(seed))")
                }
                // e^{-1000} underflows: the limit log N itself, up to the roundings of the log.
                #expect(abs(losses.last! - logN) <= 2 * unitRoundoff * max(logN, 1), "Loss(xi = 1000(2N+1)) = \(losses.last!), log N = \(logN)")
                #expect(l == n || losses[2] - logN > 0, "the limit is reached too early (\(name), seed \(seed))")
            }
        }
    }

    @Test func lossIsPositive() async {
        await propertyCheck(count: 500, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let (n, l) = randomSizes(random)
            try! forBothAttentions(random, N: n, L: l) { name, evaluate in
                // |u|, |u'| <= |xi| <= 30 here, so the exact loss is far above the underflow threshold.
                let x = randomPoint(random, radius: 30)
                #expect(evaluate(x).loss > 0, "Loss(\(x)) = \(evaluate(x).loss) (\(name), seed \(seed), N \(n), L \(l))")
            }
        }
    }

    @Test func lossDoesNotIncreaseAlongTheFlow() async {
        await propertyCheck(count: 150, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let (n, l) = randomSizes(random)
            let start = randomPoint(random, radius: 2)
            var options = GradientFlow.Options()
            options.initial = start
            options.timeLimit = 1e8
            let models: [(String, (GradientFlow.Options) throws -> GradientFlow.Trajectory)] = [
                ("default y", { try ReddyModel(N: n, L: l).gradientFlow($0) }),
                ("alternative y", { try ReddyModel(N: n, L: l, attention: randomAttention(random)).gradientFlow($0) }),
            ]
            for (name, flow) in models {
                let t = try! flow(options)
                for k in 1..<t.count {
                    #expect(t.losses[k] <= t.losses[k - 1], "loss rose from \(t.losses[k - 1]) to \(t.losses[k]) at t = \(t.times[k]) (\(name), seed \(seed), N \(n), L \(l), start \(start))")
                }
            }
        }
    }
}
