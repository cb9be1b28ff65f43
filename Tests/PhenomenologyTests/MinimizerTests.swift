import _TestSupport
import Foundation
import Linalg
import PropertyBased
import Testing
@testable import Phenomenology

/// The GSL minimizers: every method lowers the loss and says why it stopped; a box stops a run
/// with the last iterate inside; Brent's xi* agrees with the closed form where it exists.
@Suite struct MinimizerTests {
    @Test(arguments: Multimin.Method.allCases)
    func methodLowersTheLossAndReportsWhy(_ method: Multimin.Method) async {
        await propertyCheck(count: 40, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let (n, l) = randomSizes(random)
            let model = try! ReddyModel(N: n, L: l)
            var options = MinimizerOptions()
            options.method = method
            options.initial = randomPoint(random, radius: 1)
            options.maxIterations = 2000
            let r = try! model.minimize(options)
            let start = model.loss(at: options.initial)
            #expect(r.loss <= start, "\(method) raised the loss \(start) -> \(r.loss) (seed \(seed))")
            #expect(r.loss == model.loss(at: r.point), "reported loss is not the loss at the reported point (seed \(seed))")
            #expect(r.gradientNorm == euclideanNorm(model.lossAndGradient(at: r.point).gradient))
            #expect(r.iterations <= 2000 && r.lossEvaluations >= r.iterations)
            if r.stop == .lossTolerance { #expect(r.loss <= options.lossTolerance) }
            if r.stop == .gradientTolerance { #expect(r.gradientNorm <= options.gradientTolerance) }
            if r.stop == .noProgress { #expect(r.gslStatus != 0) }
        }
    }

    @Test func bfgs2FromTheOriginReachesTheLossTolerance() throws {
        let r = try ReddyModel(N: 8, L: 32).minimize()
        #expect(r.stop == .lossTolerance && r.loss <= 1e-4 && r.gslStatus == 0, "\(r)")
    }

    @Test(arguments: Multimin.Method.allCases)
    func boxStopsTheRun(_ method: Multimin.Method) throws {
        var options = MinimizerOptions()
        options.method = method
        options.box = (ReddyPoint(SIMD3(repeating: -1)), ReddyPoint(SIMD3(repeating: 1)))
        options.initial = ReddyPoint(beta: 0, alpha: 0.5, xi: 0.5)
        options.lossTolerance = 0
        let r = try ReddyModel(N: 8, L: 32).minimize(options)
        #expect(r.stop == .box, "\(method): stopped by \(r.stop)")
        #expect((0..<3).allSatisfy { abs(r.point[$0]) <= 1 }, "\(method): \(r.point) outside the box")
    }

    @Test func initialPointOutsideTheBoxIsRejected() {
        var options = MinimizerOptions()
        options.box = (ReddyPoint(SIMD3(repeating: -1)), ReddyPoint(SIMD3(repeating: 1)))
        options.initial = ReddyPoint(beta: 0, alpha: 0, xi: 5)
        #expect(throws: MinimizerError.self) { try ReddyModel(N: 8, L: 32).minimize(options) }
    }

    /// Brent vs the closed form: both are minima of the same convex function, so the loss at
    /// Brent's point is within the evaluation rounding of the loss at the closed form, and the
    /// points differ by at most the final bracket plus the flat-bottom width
    /// sqrt(2 * rounding / L_xixi) (where the loss cannot tell points apart).
    @Test func xiStarMatchesTheClosedForm() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let (n, l) = randomSizes(random, allowEqual: false)
            let model = try! ReddyModel(N: n, L: l)
            let beta = random.uniform(in: -3..<3), alpha = random.uniform(in: -8 ..< -0.01)
            guard case .success(let r) = try! model.minimizeXi(beta: beta, alpha: alpha) else {
                Issue.record("no xi* for a < 0 (seed \(seed))")
                return
            }
            #expect(r.converged, "Brent did not converge (seed \(seed))")
            let atClosed = model.evaluate(at: ReddyPoint(beta: beta, alpha: alpha, xi: r.closedForm))
            let rounding = lossRounding(atClosed, ReddyPoint(beta: beta, alpha: alpha, xi: r.closedForm), L: l)
            #expect(abs(atClosed.gradient[2]) <= 1e3 * rounding + 1e-12, "closed form is not stationary: \(atClosed.gradient[2]) (seed \(seed))")
            #expect(r.loss <= atClosed.loss + 2 * rounding, "Brent's loss \(r.loss) above the closed form's \(atClosed.loss) (seed \(seed))")
            let flat = (2 * 2 * rounding / atClosed.hessian.xx).squareRoot()
            #expect(abs(r.xi - r.closedForm) <= (r.upper - r.lower) + flat,
                    "xi* Brent \(r.xi) vs closed form \(r.closedForm), bracket \(r.upper - r.lower), flat width \(flat) (seed \(seed))")
        }
    }

    @Test func xiStarAbsentWhenTheLossDecreasesInXi() throws {
        let model = try ReddyModel(N: 8, L: 32)
        guard case .failure(.decreasingInXi) = try model.minimizeXi(beta: 0, alpha: 1) else { Issue.record("expected no xi*"); return }
        guard case .failure(.singleTerm) = try ReddyModel(N: 8, L: 8).minimizeXi(beta: 0, alpha: -1) else { Issue.record("expected no xi*"); return }
    }
}

/// xi* against 50-digit mpmath minimizers (Fixtures/reddy/make_xistar.py: the loss from its
/// definition, its derivative by mp.diff, the root by bisection), at random and extreme
/// (N, L, beta, alpha), including alpha = -650, where the loss is flat to its rounding over
/// [-1022, -592] and a search on the loss stops at the edge of its bracket.
@Suite struct XiStarReferenceTests {
    @Test func xiStarMatchesMpmath() throws {
        let cases = try jsonFixture("reddy/xistar.json")["cases"] as! [[String: Any]]
        #expect(cases.count >= 50)
        var worst = 0.0
        for c in cases {
            let n = c["N"] as! Int, l = c["L"] as! Int
            let beta = Double(c["beta"] as! String)!, alpha = Double(c["alpha"] as! String)!
            let reference = Double(c["xiStar"] as! String)!
            let outcome = (c["y"] as! String) == "direct"
                ? try ReddyModel(N: n, L: l, attention: DirectAttention()).minimizeXi(beta: beta, alpha: alpha)
                : try ReddyModel(N: n, L: l).minimizeXi(beta: beta, alpha: alpha)
            guard case .success(let r) = outcome else { Issue.record("no xi* for \(c)"); continue }
            let relative = abs(r.xi - reference) / abs(reference)
            worst = max(worst, relative)
            // The root of dLoss/dxi is located to the GSL interval test (1e-13 relative) plus the
            // derivative's rounding near the root; 1e-10 leaves room for both and still fails a
            // search on the loss (8e-8 at L = N + 1, 0.7 at alpha = -650).
            #expect(relative <= 1e-10, "\(c["label"]!): xi* \(r.xi), mpmath \(reference), relative error \(relative)")
            #expect(r.lower <= r.xi && r.xi <= r.upper && r.converged)
        }
        print("xi* vs mpmath: worst relative error \(worst)")
    }
}
