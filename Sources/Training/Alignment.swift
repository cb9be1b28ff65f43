import Linalg

/// von Oswald et al.'s alignment metrics between a trained model and a reference algorithm
/// (both as folded stacks) on the same tasks: the mean absolute difference of the predictions
/// ("preds diff"), the mean cosine of the sensitivities `d yhat / d x_q` with `1e-8` added to
/// each norm ("model cos"), the mean Euclidean distance of the sensitivities ("model diff"),
/// and both losses (half MSE). Sensitivities are exact (`LSAKernel.sensitivities`). With
/// `d_y > 1` a task's prediction difference is the Euclidean norm over outputs and its
/// sensitivity is the `d_y x d` Jacobian flattened.
public struct Alignment: Codable, Equatable, Sendable {
    public var predsDiff: Double
    public var modelCos: Double
    public var modelDiff: Double
    public var trainedLoss: Double
    public var referenceLoss: Double

    public init(trained: FoldedLSA, reference: FoldedLSA, batch: TaskBatch) {
        precondition(trained.shape.inputDimension == reference.shape.inputDimension && trained.shape.contextCount == reference.shape.contextCount,
                     "the models solve different tasks")
        let a = LSAKernel(shape: trained.shape), b = LSAKernel(shape: reference.shape)
        let pa = a.predictions(trained, batch), pb = b.predictions(reference, batch)
        let sa = a.sensitivities(trained, batch), sb = b.sensitivities(reference, batch)
        let B = batch.taskCount, dy = batch.outputDimension, width = dy * batch.inputDimension
        var preds = 0.0, cos = 0.0, diff = 0.0
        for t in 0..<B {
            var e = 0.0
            for k in 0..<dy { let x = pa[t * dy + k] - pb[t * dy + k]; e += x * x }
            preds += e.squareRoot()
            var dot = 0.0, na = 0.0, nb = 0.0, dd = 0.0
            for i in (t * width)..<((t + 1) * width) {
                dot += sa[i] * sb[i]; na += sa[i] * sa[i]; nb += sb[i] * sb[i]
                dd += (sa[i] - sb[i]) * (sa[i] - sb[i])
            }
            cos += dot / ((na.squareRoot() + 1e-8) * (nb.squareRoot() + 1e-8))
            diff += dd.squareRoot()
        }
        predsDiff = preds / Double(B)
        modelCos = cos / Double(B)
        modelDiff = diff / Double(B)
        trainedLoss = a.loss(trained, batch)
        referenceLoss = b.loss(reference, batch)
    }
}

extension FoldedLSA {
    /// The folded products of one head in a fixed gauge. `(M, V)` and `(c M, V / c)` are the same
    /// head for any `c != 0`, so a learned head is compared with a construction only after both
    /// are brought to the same gauge: the sign that makes `tr M_xx >= 0`, and the scale that
    /// gives `M` and `V` the same largest entry magnitude.
    public func gaugeNormalized(layer: Int, head: Int) -> (keyQuery: Matrix<Double>, projectionValue: Matrix<Double>) {
        var m = keyQueryMatrix(layer: layer, head: head), v = projectionValueMatrix(layer: layer, head: head)
        let d = shape.inputDimension
        let trace = (0..<d).reduce(0.0) { $0 + m[$1, $1] }
        let sign = trace < 0 ? -1.0 : 1.0
        let mMax = m.maxAbs, vMax = v.maxAbs
        let c = mMax > 0 && vMax > 0 ? sign * (mMax / vMax).squareRoot() : sign
        m = (1 / c) * m
        v = c * v
        return (m, v)
    }

    /// The preconditioner a one-layer model applies when it is read as
    /// `yhat = x_q^T Gamma (1/N) sum_i y_i x_i` (REFERENCE.md section 2; `d_y = 1`): with the query
    /// `(x_q, 0)` the term of `yhat = -(V E E^T M z_q)_y` that is bilinear in `y_i` and `x_q` is
    /// `-v_yy sum_i y_i x_i^T M_xx x_q`, so `Gamma_eff = -N sum_h v_yy,h M_xx,h^T`. The other terms
    /// (`v_yx`, `m_yx`) must vanish at the optimum for symmetric data; `residualTerms` reports
    /// their size (`||V_yx|| + ||M_yx||` summed over heads) so a reader can check.
    public func effectivePreconditioner(layer: Int = 0) -> (gamma: Matrix<Double>, residualTerms: Double) {
        precondition(shape.outputDimension == 1, "the effective preconditioner is defined for d_y = 1")
        let d = shape.inputDimension, n = Double(shape.contextCount)
        var gamma = Matrix<Double>.zeros(d, d)
        var residual = 0.0
        for h in 0..<shape.heads {
            let m = keyQueryMatrix(layer: layer, head: h), v = projectionValueMatrix(layer: layer, head: h)
            let vyy = v[d, d]
            for i in 0..<d { for j in 0..<d { gamma[i, j] -= n * vyy * m[j, i] } }
            var r = 0.0
            for i in 0..<d { r += v[d, i] * v[d, i] + m[d, i] * m[d, i] }
            residual += r.squareRoot()
        }
        return (gamma, residual)
    }
}
