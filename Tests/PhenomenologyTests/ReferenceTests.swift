import _TestSupport
import Foundation
import Linalg
import Testing
@testable import Phenomenology

/// The stable double evaluation (point by point, and in batches) against 360-digit mpmath values (Fixtures/reddy/make_reference.py,
/// independent code: the loss written from its definition, derivatives by mp.diff).
///
/// Bound: a backward-stable evaluation of v is within c u sens of the exact value, where
/// `sens = |v| + sum_j |theta_j dv/dtheta_j| + |nu_1 dv/dnu_1| + |nu_2 dv/dnu_2|` (stored in the
/// fixture) is v's sensitivity to relative perturbations of the inputs and of the two logarithms
/// the evaluation rounds, u = 2^-53, and c = 8 roundings; plus c times the smallest normal
/// double for values that underflow. When v is well conditioned, sens ~ |v| and this is c ulps.
@Suite struct ReferenceTests {
    struct Entry { var value: Double; var sens: Double }

    static let roundings = 8.0

    /// `reference.json`: 73 points in and beyond the dynamics' range; `extreme.json`: |xi| up
    /// to 1e300, |alpha| to 1e6, |beta| to 700. A reference value beyond the double range must
    /// come out not finite (an overflow the reports turn into an error), never as a wrong number.
    @Test(arguments: [("reddy/reference.json", 60), ("reddy/extreme.json", 25)])
    func stableEvaluationMatchesMpmath(file: String, minimumPoints: Int) throws {
        let fixture = try jsonFixture(file)
        let points = fixture["points"] as! [[String: Any]]
        #expect(points.count >= minimumPoints)
        var worst = (ratio: 0.0, label: "")
        var extremeCount = 0
        for p in points {
            let n = p["N"] as! Int, l = p["L"] as! Int
            let point = ReddyPoint(beta: Double(p["beta"] as! String)!, alpha: Double(p["alpha"] as! String)!, xi: Double(p["xi"] as! String)!)
            let e: ReddyEvaluation = (p["y"] as! String) == "direct"
                ? try ReddyModel(N: n, L: l, attention: DirectAttention()).evaluate(at: point)
                : try ReddyModel(N: n, L: l).evaluate(at: point)
            func entry(_ o: Any) -> Entry {
                let d = o as! [String: String]
                // Swift's Double(String) reads "1.0e+400" as infinity: beyond the double range.
                return Entry(value: Double(d["value"]!) ?? .infinity, sens: Double(d["sens"]!) ?? .infinity)
            }
            let label = "\(p["label"]!) N=\(n) L=\(l) y=\(p["y"]!) point=(\(point.beta), \(point.alpha), \(point.xi))"
            func check(_ ours: Double, _ reference: Entry, _ what: String) {
                guard reference.value.isFinite else {
                    #expect(!ours.isFinite || abs(ours) >= Double.greatestFiniteMagnitude / 2,
                            "\(what) at \(label): the reference \(reference.value) is beyond the double range, ours is \(ours)")
                    return
                }
                guard reference.sens.isFinite else { return }  // ill-conditioned beyond the double range: no bound
                let bound = Self.roundings * unitRoundoff * reference.sens + Self.roundings * Double.leastNormalMagnitude
                let error = abs(ours - reference.value)
                #expect(ours.isFinite, "\(what) not finite at \(label)")
                #expect(error <= bound, "\(what) at \(label): ours \(ours), mpmath \(reference.value), error \(error) > bound \(bound)")
                let ratio = error / (unitRoundoff * max(reference.sens, Double.leastNormalMagnitude))
                if ratio > worst.ratio { worst = (ratio, "\(what) at \(label)") }
            }
            check(e.loss, entry(p["loss"]!), "loss")
            let gradient = p["gradient"] as! [Any]
            for i in 0..<3 { check(e.gradient[i], entry(gradient[i]), "gradient[\(i)]") }
            // The batch path (for the softmax map eight or four points at a time through
            // CVectorMath's AVX-512 or AVX2 kernel where the CPU has one) under the same bound.
            if (p["y"] as! String) != "direct" {
                let (losses, gradients) = try ReddyModel(N: n, L: l).lossesAndGradients(at: Array(repeating: point, count: 8))
                check(losses[0], entry(p["loss"]!), "batch loss")
                for i in 0..<3 { check(gradients[0][i], entry(gradient[i]), "batch gradient[\(i)]") }
                #expect(losses.allSatisfy { $0 == losses[0] || ($0.isNaN && losses[0].isNaN) })
            }
            let hessian = p["hessian"] as! [[Any]]
            for i in 0..<3 { for j in 0..<3 { check(e.hessian[i, j], entry(hessian[i][j]), "hessian[\(i)][\(j)]") } }
            if (p["label"] as! String) != "moderate" { extremeCount += 1 }
        }
        #expect(extremeCount >= 25)
        print("reference \(file): worst error \(worst.ratio) u x sens (\(worst.label))")
    }

    /// A softmax map whose own 2N differs from the model's (`SoftmaxAttention(contextPairs: M)`,
    /// M != N): the batch path takes y(beta) from the attention, as the scalar path does. The
    /// two paths differ only by their exp/expm1/log1p (1 ulp each), far below the 1e-10 relative
    /// checked here; a wrong 2N in layer 1 changes y, and the loss, in the first digits.
    @Test func batchUsesTheAttentionsOwnTwoN() throws {
        let model = try ReddyModel(N: 8, L: 32, attention: SoftmaxAttention(contextPairs: 3))
        let points: [ReddyPoint] = (0..<64).map { (k: Int) -> ReddyPoint in
            let beta = Double(k % 7) - 2, alpha = 1.5 * Double(k % 5) - 1, xi = Double(k % 11) - 1
            return ReddyPoint(beta: beta, alpha: alpha, xi: xi)
        }
        let (losses, gradients) = model.lossesAndGradients(at: points)
        for (k, p) in points.enumerated() {
            let (loss, gradient) = model.lossAndGradient(at: p)
            #expect(abs(losses[k] - loss) <= 1e-10 * abs(loss), "\(p): batch \(losses[k]), scalar \(loss)")
            for i in 0..<3 { #expect(abs(gradients[k][i] - gradient[i]) <= 1e-10 * max(abs(gradient[i]), 1e-300)) }
        }
    }
}
