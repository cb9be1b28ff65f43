import Constructions
import Linalg
import PropertyBased
import Testing

/// The floating-point checks discriminate on their own: with running-error bounds, an LSA whose
/// learning rates are wrong by one part in 10^9 fails against GD, while the right one holds,
/// on random instances of the verifier's sizes (K up to 6, preconditioners up to cond 1e6).
@Suite struct DiscriminationTests {
    /// The LSA side built with every eta scaled by `1 + relative`, GD with the true etas, both on
    /// running-error scalars, compared as `icl verify` does (the induction step of every layer).
    static func check(_ instance: LinearInstance<Double>, layers: Int, preconditioned: Bool, relative: Double) -> CheckResult {
        let inst = instance.map { RunningError(exact: $0) }
        let gammas: [Matrix<RunningError>?] = preconditioned ? Array(inst.preconditioners.prefix(layers)) : Array(repeating: nil, count: layers)
        let wrong = inst.etas.prefix(layers).map { $0 * RunningError(exact: 1 + relative) }
        let stack = LSAConstruction.multistep(initialWeights: inst.initialWeights, etas: wrong, contextCount: inst.task.contextCount,
                                              preconditioners: gammas)
        return LSASides.inductionComparison(inst, stack: stack, preconditioned: preconditioned)
    }

    @Test(arguments: [(1, false), (1, true), (0, true)])
    func etaWrongByOnePartInABillionFails(layers: Int, preconditioned: Bool) async {
        var missed = 0, count = 0
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let k = layers == 0 ? random.int(in: SizeRanges.standard.layers) : layers
            let instance = LinearInstance.random(random, sizes: .standard, layers: k, preconditioned: preconditioned)
            let right = Self.check(instance, layers: k, preconditioned: preconditioned, relative: 0)
            let wrong = Self.check(instance, layers: k, preconditioned: preconditioned, relative: 1e-9)
            #expect(right.holds, "seed \(seed): the right construction fails: error \(right.error), bound \(right.bound)")
            count += 1
            if wrong.withinBound { missed += 1 }
        }
        print("eta x (1 + 1e-9), \(layers == 0 ? "K = 1...6" : "K = 1"), preconditioned \(preconditioned): passed \(missed) of \(count)")
        #expect(missed == 0, "\(missed) of \(count) wrong constructions passed the floating-point check")
    }
}
