import _TestSupport
import Foundation
import Linalg
import PropertyBased
import Testing
@testable import Phenomenology

/// Inputs outside the model are rejected; the stable form stays finite at the extremes the
/// issue names (|parameters| up to 1e4, N up to 1e6, L up to 1e9).
@Suite struct ModelTests {
    @Test func lBelowNIsRejected() {
        #expect(throws: ReddyModelError.fewerLabelsThanPairs(N: 8, L: 7)) { try ReddyModel(N: 8, L: 7) }
        #expect(throws: ReddyModelError.noContextPairs(N: 0)) { try ReddyModel(N: 0, L: 7) }
        #expect(ReddyModelError.fewerLabelsThanPairs(N: 8, L: 7).description.contains("L must be >= N"))
    }

    @Test func finiteAtTheExtremes() async {
        await propertyCheck(count: 500, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let n = Int(exp(random.uniform(in: 0..<log(1e6))))
            let l = min(1_000_000_000, n + Int(exp(random.uniform(in: 0..<log(1e9)))) - 1)
            let model = try! ReddyModel(N: n, L: l)
            func extreme() -> Double { (random.uniform() < 0.5 ? -1 : 1) * exp(random.uniform(in: log(1e-6)..<log(1e4))) }
            let x = ReddyPoint(beta: extreme(), alpha: extreme(), xi: extreme())
            let e = model.evaluate(at: x)
            let all = [e.loss] + (0..<3).map { e.gradient[$0] } + e.hessian.rows.flatMap { $0 }
            #expect(all.allSatisfy(\.isFinite) && e.loss >= 0, "seed \(seed), N \(n), L \(l), x \(x): \(e)")
        }
    }
}
