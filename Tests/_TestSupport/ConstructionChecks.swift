import Constructions
import Linalg
import PropertyBased
import Testing

/// Instances per property: hundreds, so a systematic failure cannot hide, few enough for CI.
public let floatingPointInstances = 300
public let exactInstances = 100

/// Checks `theorem` on random seeds in floating point; a failure prints the seed to replay.
public func checkTheorem(_ theorem: TheoremID, exact: Bool, count: Int) async {
    await propertyCheck(count: count, input: Gen.uint64()) { seed in
        let result = try! Verifier().check(theorem, seed: seed, exact: exact)
        #expect(result.holds, "\(theorem.rawValue) seed \(seed) (exact: \(exact)): \(result)")
        if exact { #expect(result.error == 0) }
    }
}

/// Deliberate mistakes in the Proposition 1 weights.
public enum Mistake: CaseIterable, Sendable {
    case none
    /// `W_V = [[0, 0], [-W_0, I]]`: the sign of the value matrix flipped.
    case valueSignFlipped
    /// `P = eta I`: the `1/N` missing.
    case projectionMissingOneOverN
    /// `W_Q` carries `Gamma^T` instead of `Gamma` (only visible for non-symmetric `Gamma`).
    case preconditionerTransposed

    public func apply<S: FieldScalar>(_ head: LSAHead<S>, contextCount n: Int) -> LSAHead<S> {
        var h = head
        switch self {
        case .none: break
        case .valueSignFlipped: h.value = -h.value
        case .projectionMissingOneOverN: h.projection = S(n) * h.projection
        case .preconditionerTransposed: h.query = h.query.transposed
        }
        return h
    }
}

/// One LSA layer with `mistake` applied to its Proposition 1 weights versus one GD step: in
/// `Double` within the a priori bound `gamma_k` times each side's `Majorant` (not the verifier's
/// running-error comparison), or with `==` in exact rationals.
public func oneLayerComparison(_ instance: LinearInstance<Double>, exact: Bool, preconditioned: Bool, mistake: Mistake) -> CheckResult {
    func sides<S: FieldScalar>(_ inst: LinearInstance<S>) -> (Matrix<S>, Matrix<S>) {
        let task = inst.task, w0 = inst.initialWeights
        let gamma: Matrix<S>? = preconditioned ? inst.preconditioners[0] : nil
        let right = LSAConstruction.gradientStep(initialWeights: w0, eta: inst.etas[0], contextCount: task.contextCount, preconditioner: gamma)
        let layer = LSALayer(heads: [mistake.apply(right.heads[0], contextCount: task.contextCount)])
        let w1 = GradientDescent.step(w0, x: task.x, y: task.y, eta: inst.etas[0], preconditioner: gamma)
        return (layer(task.tokens(initialWeights: w0), contextCount: task.contextCount),
                LSASides.expectedTokens(task, initial: w0, iterate: w1))
    }
    if exact {
        let (lsa, gd) = sides(instance.roundedExact)
        return exactComparison(lsa, gd)
    }
    let (lsa, gd) = sides(instance)
    let (lsaM, gdM) = sides(instance.map { Majorant(magnitude: $0) })
    let task = instance.task
    return boundedComparison(lsa, gd,
                             lhsMajorant: lsaM, lhsRoundings: LSASides.lsaRoundings(tokenDimension: task.tokenDimension, contextCount: task.contextCount, layers: 1),
                             rhsMajorant: gdM, rhsRoundings: LSASides.gdRoundings(inputDimension: task.inputDimension, contextCount: task.contextCount, steps: 1),
                             signal: LSASides.signal(gd, initial: task.tokens(initialWeights: instance.initialWeights)))
}
