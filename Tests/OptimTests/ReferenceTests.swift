import Foundation
import Optim
import Testing

/// Optim against trajectories computed independently in NumPy from optax's formulas
/// (Fixtures/optim/make_reference.py): every step is replayed from the reference's state before
/// it (restored into our optimiser), and the parameters and moments after it must agree within
/// twice the forward-error bound of one step (`adamStepBound`, `sgdStepBound`: each side is
/// within the bound of the exact step). Clipping and schedules likewise, value by value.
@Suite struct ReferenceTests {
    /// The largest `error / bound` seen, for the log.
    final class Worst: @unchecked Sendable {
        var ratio = 0.0, label = ""
        func record(_ error: Double, _ bound: Double, _ label: String) {
            let r = bound > 0 ? error / bound : (error == 0 ? 0 : .infinity)
            if r > ratio { ratio = r; self.label = label }
        }
    }

    static func expectClose(_ ours: [Double], _ reference: [Double], bound: [Double], _ what: String, worst: Worst) {
        #expect(ours.count == reference.count, "\(what): \(ours.count) entries, reference \(reference.count)")
        for i in 0..<min(ours.count, reference.count) {
            let error = abs(ours[i] - reference[i])
            #expect(error <= 2 * bound[i], "\(what)[\(i)]: ours \(ours[i]), NumPy \(reference[i]), error \(error) > 2 x \(bound[i])")
            worst.record(error, 2 * bound[i], "\(what)[\(i)]")
        }
    }

    @Test func optimizerStepsMatchNumPy() throws {
        let worst = Worst()
        let cases = try optimFixture()["optimizers"] as! [[String: Any]]
        #expect(cases.count == 6)
        for c in cases {
            let name = c["name"] as! String
            let schedule = fixtureSchedule(c["schedule"])
            var before = fixtureState(c["initial"])
            let steps = c["steps"] as! [[String: Any]]
            #expect(steps.count >= 20)
            for (k, s) in steps.enumerated() {
                let g = numbers(s["gradient"]), lr = number(s["learningRate"])
                let after = fixtureState(s["after"])
                let label = "\(name) step \(k + 1)"
                // The learning rate the reference used is the schedule's (checked to its own bound here).
                #expect(abs(schedule(k) - lr) <= 2 * scheduleBound(schedule, step: k), "\(label): schedule \(schedule(k)) vs \(lr)")
                var p = before.parameters
                let bound: StepBound
                let state: OptimizerState
                if c["optimizer"] as! String == "adam" {
                    let b1 = number(c["beta1"]), b2 = number(c["beta2"]), eps = number(c["epsilon"]), wd = number(c["weightDecay"])
                    var adam = Adam(parameterCount: p.count, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd)
                    try adam.restore(before.state)
                    adam.step(parameters: &p, gradient: g, learningRate: lr)
                    state = adam.state
                    bound = adamStepBound(beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd, step: k + 1, learningRate: lr,
                                          parameters: before.parameters, firstMoment: before.state.firstMoment,
                                          secondMoment: before.state.secondMoment, gradient: g)
                } else {
                    let mu = number(c["momentum"]), nesterov = c["nesterov"] as! Bool, wd = number(c["weightDecay"])
                    var sgd = SGD(parameterCount: p.count, momentum: mu, nesterov: nesterov, weightDecay: wd)
                    try sgd.restore(before.state)
                    sgd.step(parameters: &p, gradient: g, learningRate: lr)
                    state = sgd.state
                    bound = sgdStepBound(momentum: mu, nesterov: nesterov, weightDecay: wd, learningRate: lr,
                                         parameters: before.parameters, velocity: before.state.firstMoment, gradient: g)
                }
                #expect(state.stepCount == after.state.stepCount)
                Self.expectClose(p, after.parameters, bound: bound.parameters, "\(label) parameters", worst: worst)
                Self.expectClose(state.firstMoment, after.state.firstMoment, bound: bound.firstMoment, "\(label) m", worst: worst)
                Self.expectClose(state.secondMoment, after.state.secondMoment, bound: bound.secondMoment, "\(label) v", worst: worst)
                before = after
            }
        }
        print("optimizer reference: worst error / bound \(worst.ratio) (\(worst.label))")
    }

    /// The fixture pins the conventions: Kingma & Ba's "efficient" form (eps added to the
    /// uncorrected sqrt(v), step size eta sqrt(1 - b2^t) / (1 - b1^t)) or eps inside the root
    /// miss the reference's first step by far more than the bound whenever |g| is not >> eps.
    @Test func otherEpsilonConventionsMissTheReference() throws {
        let c = (try optimFixture()["optimizers"] as! [[String: Any]]).first { $0["name"] as! String == "adam-defaults" }!
        let b1 = number(c["beta1"]), b2 = number(c["beta2"]), eps = number(c["epsilon"])
        let start = fixtureState(c["initial"])
        var missesEfficient = 0, missesInside = 0
        for (k, s) in (c["steps"] as! [[String: Any]]).prefix(1).enumerated() {
            let g = numbers(s["gradient"]), lr = number(s["learningRate"]), reference = fixtureState(s["after"]).parameters
            let bound = adamStepBound(beta1: b1, beta2: b2, epsilon: eps, weightDecay: 0, step: k + 1, learningRate: lr,
                                      parameters: start.parameters, firstMoment: start.state.firstMoment,
                                      secondMoment: start.state.secondMoment, gradient: g).parameters
            for i in g.indices where g[i] != 0 {
                let m = (1 - b1) * g[i], v = (1 - b2) * g[i] * g[i]
                let efficient = start.parameters[i] - lr * (1 - b2).squareRoot() / (1 - b1) * m / (v.squareRoot() + eps)
                let inside = start.parameters[i] - lr * (m / (1 - b1)) / (v / (1 - b2) + eps).squareRoot()
                if abs(efficient - reference[i]) > 2 * bound[i] { missesEfficient += 1 }
                if abs(inside - reference[i]) > 2 * bound[i] { missesInside += 1 }
            }
        }
        #expect(missesEfficient > 0 && missesInside > 0, "efficient misses \(missesEfficient), inside misses \(missesInside)")
    }

    /// Global-norm clipping: the norm within `(gamma_n + 2u) norm` (each side's sum of n squares
    /// is within gamma_n, the root halves it and adds u), each clipped entry within
    /// `(gamma_n + 6u) |entry|` (norm, quotient, product on each side), unclipped ones identical.
    @Test func clippingMatchesNumPy() throws {
        let worst = Worst()
        for (k, c) in (try optimFixture()["clipping"] as! [[String: Any]]).enumerated() {
            var buffers = (c["buffers"] as! [Any]).map(numbers)
            let expected = (c["clipped"] as! [Any]).map(numbers)
            let maxNorm = number(c["maxNorm"]), referenceNorm = number(c["norm"])
            let n = buffers.reduce(0) { $0 + $1.count }
            let result = withMutableBuffers(&buffers) { GradientClipping.clipByGlobalNorm($0, maxNorm: maxNorm) }
            let normBound = (gamma(n) + 2 * unitRoundoff) * referenceNorm
            #expect(abs(result.norm - referenceNorm) <= normBound, "case \(k): norm \(result.norm) vs \(referenceNorm)")
            worst.record(abs(result.norm - referenceNorm), normBound, "case \(k) norm")
            if referenceNorm <= maxNorm {
                #expect(buffers == expected && result.scale == 1, "case \(k): an unclipped gradient changed")
            } else {
                for (ours, reference) in zip(buffers, expected) {
                    Self.expectClose(ours, reference, bound: reference.map { (gamma(n) + 6 * unitRoundoff) * abs($0) / 2 },
                                     "clipping case \(k)", worst: worst)
                }
            }
        }
        print("clipping reference: worst error / bound \(worst.ratio) (\(worst.label))")
    }

    @Test func warmupCosineScheduleMatchesNumPy() throws {
        let worst = Worst()
        for c in try optimFixture()["schedules"] as! [[String: Any]] {
            let schedule = fixtureSchedule(c["schedule"])
            try schedule.validate()
            for (t, reference) in numbers(c["values"]).enumerated() {
                let ours = schedule(t)
                let bound = 2 * scheduleBound(schedule, step: t)
                #expect(abs(ours - reference) <= bound, "\(schedule) at \(t): ours \(ours), NumPy \(reference)")
                worst.record(abs(ours - reference), bound, "\(schedule) at \(t)")
            }
        }
        print("schedule reference: worst error / bound \(worst.ratio) (\(worst.label))")
    }
}

/// Runs `body` on mutable buffers holding copies of the arrays, then copies the results back.
func withMutableBuffers<R>(_ arrays: inout [[Double]], _ body: ([UnsafeMutableBufferPointer<Double>]) -> R) -> R {
    let buffers = arrays.map { a in
        let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: a.count)
        _ = b.initialize(from: a)
        return b
    }
    defer { for b in buffers { b.deallocate() } }
    let result = body(buffers)
    arrays = buffers.map(Array.init)
    return result
}
