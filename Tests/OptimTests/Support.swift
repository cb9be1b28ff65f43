import Foundation
import Linalg
import Optim
#if canImport(Glibc)
import Glibc
#endif

/// Unit roundoff 2^-53.
let unitRoundoff = Double.ulpOfOne / 2

/// `gamma_k = k u / (1 - k u)`, the bound on `|prod (1 + delta_i)^{+-1} - 1|` over k roundings.
func gamma(_ k: Int) -> Double { Double(k) * unitRoundoff / (1 - Double(k) * unitRoundoff) }

/// `count` numbers `N(0, 1) * 10^e`, one exponent `e ~ U(-4, 2)` for the vector, some entries
/// exactly 0 (each with probability 1/8).
func randomGradient(_ random: RandomSource, count: Int) -> [Double] {
    let magnitude = pow(10, random.uniform(in: -4..<2))
    return (0..<count).map { _ in random.int(in: 0...7) == 0 ? 0 : random.gaussian() * magnitude }
}

func bitPatterns(_ x: [Double]) -> [UInt64] { x.map(\.bitPattern) }

/// Forward-error bounds of one optimiser step, entry by entry: `|computed - exact| <= bound`,
/// where "exact" is the step evaluated in real arithmetic on the same (double) inputs. Each
/// bound follows the operations of the update formula and counts one rounding per operation,
/// `pow` within one ulp (relative error 2u), `sqrt` and `cos` correctly rounded or within one
/// ulp; it is first order in u (the neglected terms are O(u^2) relative to the bound). It holds
/// for any evaluation order of the same formula (Swift, NumPy, optax), so two implementations
/// differ by at most twice the bound.
struct StepBound {
    var parameters: [Double]
    var firstMoment: [Double]
    var secondMoment: [Double]
}

/// Adam / AdamW step `t` (see `Adam`): m, v, bias corrections, `mhat / (sqrt(vhat) + eps)`,
/// decoupled decay, learning rate.
func adamStepBound(beta1 b1: Double, beta2 b2: Double, epsilon eps: Double, weightDecay wd: Double, step t: Int,
                   learningRate lr: Double, parameters p: [Double], firstMoment m: [Double], secondMoment v: [Double],
                   gradient g: [Double]) -> StepBound {
    let u = unitRoundoff
    let p1 = pow(b1, Double(t)), p2 = pow(b2, Double(t))
    let c1 = 1 - p1, c2 = 1 - p2
    // Relative error of the computed 1 - b^t: pow's 2u on b^t, amplified by the cancellation, plus the subtraction.
    let rho1 = (2 * u * p1 + u * c1) / c1, rho2 = (2 * u * p2 + u * c2) / c2
    var bound = StepBound(parameters: [], firstMoment: [], secondMoment: [])
    for i in p.indices {
        let mNew = (1 - b1) * g[i] + b1 * m[i], vNew = (1 - b2) * g[i] * g[i] + b2 * v[i]
        let em = gamma(3) * (b1 * abs(m[i]) + (1 - b1) * abs(g[i]))
        let ev = gamma(4) * (b2 * v[i] + (1 - b2) * g[i] * g[i])
        let mHat = mNew / c1, vHat = vNew / c2
        let emHat = em / c1 + abs(mHat) * (rho1 + u)
        let evHat = ev / c2 + vHat * (rho2 + u)
        let root = vHat.squareRoot()
        let eRoot = (root > 0 ? min(evHat / root, evHat.squareRoot()) : evHat.squareRoot()) + u * root
        let d = root + eps
        let ed = eRoot + u * d
        let r = mHat / d
        let er = emHat / d + abs(r) * ed / d + u * abs(r)
        let update = r + wd * p[i]
        let eUpdate = er + (wd == 0 ? 0 : u * wd * abs(p[i]) + u * (abs(r) + wd * abs(p[i])))
        let x = lr * update
        let ex = lr * eUpdate + u * abs(x)
        bound.parameters.append(ex + u * (abs(p[i]) + abs(x)))
        bound.firstMoment.append(em)
        bound.secondMoment.append(ev)
    }
    return bound
}

/// SGD step (see `SGD`): coupled decay, heavy-ball or Nesterov momentum, learning rate.
func sgdStepBound(momentum mu: Double, nesterov: Bool, weightDecay wd: Double, learningRate lr: Double,
                  parameters p: [Double], velocity v: [Double], gradient g: [Double]) -> StepBound {
    var bound = StepBound(parameters: [], firstMoment: [], secondMoment: [])
    for i in p.indices {
        let gt = g[i] + wd * p[i]
        let egt = wd == 0 ? 0 : gamma(2) * (abs(g[i]) + wd * abs(p[i]))
        var update = gt, eUpdate = egt
        if mu != 0 {
            let vNew = mu * v[i] + gt
            let ev = egt + gamma(2) * (mu * abs(v[i]) + abs(gt))
            bound.firstMoment.append(ev)
            if nesterov {
                update = gt + mu * vNew
                eUpdate = egt + mu * ev + gamma(2) * (abs(gt) + mu * abs(vNew))
            } else {
                update = vNew
                eUpdate = ev
            }
        }
        bound.parameters.append(lr * eUpdate + gamma(2) * (abs(p[i]) + lr * abs(update)))
    }
    return bound
}

/// Bound on `|computed - exact|` of the schedule's value at `step`, for either evaluation form
/// (ours or optax's), on the endpoints `a`, `b` of the current piece: in the decay the cosine
/// argument `pi t / L` carries 3 roundings (pi itself, the product, the quotient), which move `cos`
/// by at most `pi gamma_3`; `cos` adds an ulp (2u) and `(1 + cos) / 2` one more rounding; the
/// interpolation (either form) at most 6 roundings on `|a| + |b|`. The warm-up has only the last
/// term. A constant is exact.
func scheduleBound(_ schedule: Schedule, step: Int) -> Double {
    guard case let .warmupCosineDecay(initial, peak, warmup, _, end) = schedule else { return 0 }
    if step < warmup { return gamma(6) * (abs(initial) + abs(peak)) }
    let cosineFactor = (Double.pi * gamma(3) + 2 * unitRoundoff) / 2 + unitRoundoff
    return (cosineFactor + gamma(6)) * (abs(peak) + abs(end))
}

/// The committed NumPy reference (Fixtures/optim/reference.json, made by make_reference.py).
func optimFixture() throws -> [String: Any] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/optim/reference.json")
    return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
}

/// A fixture number (stored as the shortest round-trip string).
func number(_ o: Any?) -> Double {
    guard let text = o as? String, let x = Double(text) else { fatalError("fixture number expected, got \(String(describing: o))") }
    return x
}

func numbers(_ o: Any?) -> [Double] { (o as! [Any]).map(number) }

/// A fixture state `{"parameters", "firstMoment", "secondMoment", "stepCount"}`.
func fixtureState(_ o: Any?) -> (parameters: [Double], state: OptimizerState) {
    let d = o as! [String: Any]
    return (numbers(d["parameters"]), OptimizerState(stepCount: d["stepCount"] as! Int, firstMoment: numbers(d["firstMoment"]),
                                                     secondMoment: numbers(d["secondMoment"])))
}

/// A fixture schedule `{"kind": "constant", "value"}` or the warm-up cosine fields.
func fixtureSchedule(_ o: Any?) -> Schedule {
    let d = o as! [String: Any]
    if d["kind"] as! String == "constant" { return .constant(value: number(d["value"])) }
    return .warmupCosineDecay(initialValue: number(d["initialValue"]), peakValue: number(d["peakValue"]),
                              warmupSteps: d["warmupSteps"] as! Int, decaySteps: d["decaySteps"] as! Int,
                              endValue: number(d["endValue"]))
}
