@testable import Experiments
import _TestSupport
import Constructions
import Foundation
import Linalg
import Testing
import Training

/// What `icl reproduce` reports, against `Fixtures/training/reference.json`: NumPy's values from
/// the papers' definitions (`Fixtures/training/make_reference.py`: its own Philox4x32-10 and
/// inverse normal for the tasks, a literal one-layer LSA forward, sensitivities by central
/// differences, the preconditioner read off the input-output map, GD++ as the algorithm), for
/// the von Oswald setting (d = N = 10, `x ~ U(-1/2, 1/2)^10`), seed `5 * 2^32 + 7`, 192
/// validation and 160 test tasks, and a fixed one-layer model near GD.
///
/// Tolerance, derived: the inputs `x` are the same doubles on both sides (`-1/2 + u`, one
/// rounding each) and the tokens agree to `tokenTolerance` (checked first), so the two sides
/// differ only by rounding in sums evaluated in different orders. Every reported quantity is a
/// ratio or mean of sums of at most `n = B (N d + N + d) < 4 * 10^4` terms of degree <= 6 in the
/// inputs; the forward-error bound of such a sum is `gamma_n * sum |t| <= 4.4e-12 * sum |t|`
/// (`gamma_n = n u / (1 - n u)`, `u = 2^-53`), and the sums here are of nonnegative terms or
/// dominated by them (`sum |t| <= 3 |sum t|`, the script's values), so `relativeTolerance = 1e-10`
/// covers the bound with a factor of about 7 for the ratios and products on top (measured:
/// at most 9e-16 relative, tokens within 3 ulp). The mistakes
/// these tests catch change the values by 1% or more (`etaStarOnTestTasks` is 1.8% off).
@Suite struct ReproductionReferenceTests {
    static let relativeTolerance = 1e-10

    struct Reference {
        let json: [String: Any]
        init() throws { json = try jsonFixture("training/reference.json") }
        func number(_ key: String) -> Double { Double(json[key] as! String)! }
        func numbers(_ key: String) -> [Double] { (json[key] as! [String]).map { Double($0)! } }
        func object(_ key: String) -> [String: Any] { json[key] as! [String: Any] }
        var seed: UInt64 { UInt64(json["seed"] as! String)! }
        var d: Int { (json["inputDimension"] as! NSNumber).intValue }
        var n: Int { (json["contextCount"] as! NSNumber).intValue }
        var validationTasks: Int { (json["validationTasks"] as! NSNumber).intValue }
        var testTasks: Int { (json["testTasks"] as! NSNumber).intValue }
        var tasks: TaskDistribution { TaskDistribution(inputDimension: d, contextCount: n) }
        /// The first `count` validation (or test) tasks of the fixture's seed.
        func batch(validation: Bool, _ count: Int) -> TaskBatch {
            validation ? tasks.batch(seed: seed, purpose: .validation, step: 0, tasks: count) : tasks.batch(seed: seed, purpose: .test, step: 0, tasks: count)
        }
        var validation: TaskBatch { batch(validation: true, validationTasks) }
        var test: TaskBatch { batch(validation: false, testTasks) }
        var shape: LSAShape { LSAShape(inputDimension: d, contextCount: n) }
        /// The fixed one-layer model (M and V row-major).
        var model: FoldedLSA {
            let m = object("model")
            return FoldedLSA(shape: shape, keyQuery: (m["keyQuery"] as! [String]).map { Double($0)! },
                             projectionValue: (m["projectionValue"] as! [String]).map { Double($0)! })
        }
    }

    static func expectClose(_ ours: Double, _ reference: Double, _ what: String, tolerance: Double = relativeTolerance,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        let error = abs(ours - reference) / abs(reference)
        #expect(error <= tolerance, "\(what): ours \(ours), NumPy \(reference), relative error \(error)", sourceLocation: sourceLocation)
    }

    static func expectClose(_ ours: [Double], _ reference: [Double], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(ours.count == reference.count, "\(what): \(ours.count) entries, NumPy \(reference.count)", sourceLocation: sourceLocation)
        let scale = reference.map(abs).max() ?? 0
        let error = zip(ours, reference).map { abs($0 - $1) }.max() ?? 0
        #expect(error <= relativeTolerance * scale, "\(what): largest difference \(error) against entries up to \(scale)", sourceLocation: sourceLocation)
    }

    /// Tokens agree to this many units of the largest label's magnitude: `W` by two
    /// implementations of AS 241 (a few ulp apart), `y = W x` summed in another order (d = 10 terms).
    static let tokenTolerance = 64 * Double.ulpOfOne

    /// The first tasks of the validation and test batches are the script's Philox draws: the
    /// distribution (`U(-1/2, 1/2)`, `W ~ N(0, I)`), the purposes, the counter layout and both
    /// halves of the 64-bit seed.
    @Test func tasksAreTheReferenceDraws() throws {
        let r = try Reference()
        for (isValidation, key) in [(true, "firstValidationTasks"), (false, "firstTestTasks")] {
            let first = r.object(key)
            let count = (first["count"] as! NSNumber).intValue
            let expected = (first["tokens"] as! [String]).map { Double($0)! }
            let batch = r.batch(validation: isValidation, count)
            var ours = batch.tokens
            let T = r.n + 1, D = r.d + 1
            for b in 0..<count { ours[(b * T + r.n) * D + r.d] = batch.targets[b] }   // the query's label, as the script stores it
            #expect(ours.count == expected.count)
            let error = zip(ours, expected).map { abs($0 - $1) }.max() ?? .infinity
            #expect(error <= Self.tokenTolerance * (expected.map(abs).max() ?? 0), "\(key): tokens differ by up to \(error)")
        }
    }

    /// `reproduce von-oswald` reports eta* fitted on the validation tasks, and the GD loss at
    /// eta* and the zero predictor's loss on the test tasks: the script's values on the same
    /// tasks (one training step: the trained model is not what is pinned here).
    @Test func vonOswaldReportsTheReference() throws {
        let r = try Reference()
        var request = VonOswaldRequest()
        request.seed = r.seed
        request.steps = 1
        request.batchSize = 8
        request.validationTasks = r.validationTasks
        request.testTasks = r.testTasks
        request.curvePoints = 1
        let report = try VonOswaldRun.run(request)
        Self.expectClose(report.etaStar, r.number("etaStar"), "eta* (validation tasks)")
        Self.expectClose(report.gdLoss, r.number("gdLoss"), "GD loss at eta* (test tasks)")
        Self.expectClose(report.zeroLoss, r.number("zeroLoss"), "zero predictor (test tasks)")
        // The wrong batch would be seen: eta* on the test tasks is far outside the tolerance.
        #expect(abs(r.number("etaStarOnTestTasks") / r.number("etaStar") - 1) > 1e3 * Self.relativeTolerance)
    }

    /// preds diff, model cos, model diff and both losses of a fixed model against GD at eta*.
    @Test func alignmentMetricsMatchTheReference() throws {
        let r = try Reference()
        let eta = Baselines.leastSquaresLearningRate(r.validation)
        let gd = Baselines.gradientDescent(r.shape, etas: [eta])
        let a = Alignment(trained: r.model, reference: gd, batch: r.test)
        Self.expectClose(a.predsDiff, r.number("predsDiff"), "preds diff")
        Self.expectClose(a.modelCos, r.number("modelCos"), "model cos")
        Self.expectClose(a.modelDiff, r.number("modelDiff"), "model diff")
        Self.expectClose(a.trainedLoss, r.number("modelLoss"), "the model's loss")
        Self.expectClose(a.referenceLoss, r.number("gdLoss"), "GD's loss")
    }

    /// The fixed model's effective preconditioner (`-N v_yy M_xx^T`; the model has `M_yx = 0`, so
    /// it is the whole bilinear part the script reads off the input-output map), Ahn et al.'s
    /// `Gamma_0` for the fixture's `Sigma`, and the relative error `reproduce gaussian-optimum` reports.
    @Test func effectivePreconditionerMatchesTheReference() throws {
        let r = try Reference()
        let d = r.d
        let (gamma, _) = r.model.effectivePreconditioner()
        Self.expectClose(gamma.elements, r.numbers("gammaEffective"), "Gamma_eff")
        let sigma = Matrix(rows: d, cols: d, elements: r.numbers("sigma"))
        let gamma0 = try GaussianOptimum(covariance: sigma, contextCount: r.n).optimumDouble()
        Self.expectClose(gamma0.elements, r.numbers("gamma0"), "Gamma_0")
        Self.expectClose(GaussianOptimumRun.relativeError(gamma, to: gamma0), r.number("gammaRelativeError"), "||Gamma_eff - Gamma_0|| / ||Gamma_0||")
    }

    /// Two steps of GD++ and of GD at fixed step sizes (the functions `reproduce multilayer`
    /// fits), their losses on the test tasks.
    @Test func gdPlusPlusLossMatchesTheReference() throws {
        let r = try Reference()
        let pp = r.object("gdPlusPlus")
        let etas = (pp["etas"] as! [String]).map { Double($0)! }, gammas = (pp["gammas"] as! [String]).map { Double($0)! }
        let shape = LSAShape(inputDimension: r.d, contextCount: r.n, layers: etas.count)
        let kernel = LSAKernel(shape: shape), test = r.test
        Self.expectClose(kernel.loss(Baselines.gdPlusPlus(shape, etas: etas, gammas: gammas), test), Double(pp["loss"] as! String)!, "GD++ loss")
        Self.expectClose(kernel.loss(Baselines.gradientDescent(shape, etas: etas), test), Double(pp["gdLoss"] as! String)!, "two-step GD loss")
    }

    /// A multi-start fit keeps the best of its starts: its loss is the least of the losses each
    /// start reaches when fitted alone, in every rotation of the starts (so the worst start comes
    /// last in one of them), and `reachedBest` counts those within 1e-6 of it.
    @Test func multiStartFitKeepsTheBestStart() throws {
        let r = try Reference()
        let batch = r.batch(validation: true, 256)
        let gd = Baselines.tune(plusPlus: false, layers: 2, batch: batch, maxIterations: 100)
        let starts = [Baselines.Start(etas: gd.etas, gammas: [0, 0]), Baselines.Start(etas: [0.1, 0.1], gammas: [2, 2]),
                      Baselines.Start(etas: [gd.etas[1], gd.etas[0]], gammas: [0.3, 0])]
        let fit = Baselines.tune(plusPlus: true, layers: 2, batch: batch, starts: starts, maxIterations: 100)
        let alone = starts.map { Baselines.tune(plusPlus: true, layers: 2, batch: batch, initialEtas: $0.etas, initialGammas: $0.gammas, maxIterations: 100).loss }
        #expect(Set(alone).count > 1, "the starts must reach different fits for the test to choose: \(alone)")
        #expect(fit.best.loss == alone.min()!, "kept \(fit.best.loss); starts alone \(alone)")
        #expect(fit.startLosses == alone)
        #expect(fit.reachedBest == alone.filter { $0 <= alone.min()! * (1 + 1e-6) }.count)
        #expect(fit.best.loss <= gd.loss)
        for shift in 1..<starts.count {
            let rotated = Array(starts[shift...] + starts[..<shift])
            let again = Baselines.tune(plusPlus: true, layers: 2, batch: batch, starts: rotated, maxIterations: 100)
            #expect(again.best.loss == alone.min()!, "rotation \(shift): kept \(again.best.loss); starts alone \(alone)")
        }
    }
}
