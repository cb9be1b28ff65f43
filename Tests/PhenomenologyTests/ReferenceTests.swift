import _TestSupport
import Foundation
import Linalg
import Testing
@testable import Phenomenology

/// The stable double evaluation against 360-digit mpmath values (Fixtures/reddy/make_reference.py,
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

    @Test func stableEvaluationMatchesMpmath() throws {
        let fixture = try jsonFixture("reddy/reference.json")
        let points = fixture["points"] as! [[String: Any]]
        #expect(points.count >= 60)
        var worst = (ratio: 0.0, label: "")
        var extremeCount = 0
        for p in points {
            let n = p["N"] as! Int, l = p["L"] as! Int
            let point = Parameters(Double(p["beta"] as! String)!, Double(p["alpha"] as! String)!, Double(p["xi"] as! String)!)
            let e: ReddyEvaluation = (p["y"] as! String) == "direct"
                ? try ReddyModel(N: n, L: l, attention: DirectAttention()).evaluate(at: point)
                : try ReddyModel(N: n, L: l).evaluate(at: point)
            func entry(_ o: Any) -> Entry {
                let d = o as! [String: String]
                return Entry(value: Double(d["value"]!)!, sens: Double(d["sens"]!)!)
            }
            let label = "\(p["label"]!) N=\(n) L=\(l) y=\(p["y"]!) point=(\(point.beta), \(point.alpha), \(point.xi))"
            func check(_ ours: Double, _ reference: Entry, _ what: String) {
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
            let hessian = p["hessian"] as! [[Any]]
            for i in 0..<3 { for j in 0..<3 { check(e.hessian[i, j], entry(hessian[i][j]), "hessian[\(i)][\(j)]") } }
            if (p["label"] as! String) != "moderate" { extremeCount += 1 }
        }
        #expect(extremeCount >= 30)
        print("reference: worst error \(worst.ratio) u x sens (\(worst.label))")
    }
}
