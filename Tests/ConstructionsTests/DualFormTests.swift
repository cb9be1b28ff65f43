import _TestSupport
import Constructions
import Linalg
import PropertyBased
import Testing

/// `dual-form`: a linear layer trained by mini-batch SGD (MSE or softmax cross-entropy, coupled
/// weight decay, heavy-ball momentum, global-norm clipping) equals a_T W_0 x + LinearAttn.
@Suite struct DualFormTests {
    @Test func doubleWithinDerivedBound() async { await checkTheorem(.dualForm, exact: false, count: floatingPointInstances) }
    @Test func exactRational() async { await checkTheorem(.dualForm, exact: true, count: exactInstances) }

    /// Plain SGD: a_T = 1 and b_t = -eta_t, i.e. the values are the errors e = -eta g.
    @Test func plainSGDCoefficients() {
        let etas = [Rational(1, 3), Rational(1, 7), Rational(2, 5)]
        let (a, b) = DualForm.coefficients(etas: etas, clipFactors: [.one, .one, .one], weightDecay: .zero, momentum: .zero)
        #expect(a == .one)
        #expect(b == etas.map { -$0 })
    }

    /// With momentum or weight decay, the *unscaled* identity (values -eta_t g_t, W_0 x unscaled)
    /// no longer holds: the rescaling is needed (exact arithmetic, T >= 2).
    @Test func unscaledValuesFailWithMomentumOrDecay() async {
        await propertyCheck(count: 100, input: Gen.uint64(), Gen.bool) { seed, useMomentum in
            var sizes = SizeRanges.standard
            sizes.layers = 2...6
            var instance = DualFormInstance.random(RandomSource(seed: seed), sizes: sizes).roundedExact
            instance.settings.clipNorm = nil
            if useMomentum { instance.settings.momentum = Rational(1, 2) } else { instance.settings.weightDecay = Rational(1, 4) }
            let sides = instance.sides()
            #expect(sides.primal == sides.dual)
            var plain = instance.initialWeights * instance.queries
            for (t, batch) in instance.batches.enumerated() {
                plain += (-instance.settings.etas[t] * sides.record.outputGradients[t]) * (batch.x.transposed * instance.queries)
            }
            let learned = sides.primal - instance.initialWeights * instance.queries
            if learned != .zeros(learned.rows, learned.cols) { #expect(plain != sides.primal, "seed \(seed)") }
        }
    }

    /// Negative control: Adam preconditions element-wise, so W_T x is not
    /// W_0 x + sum_t (-eta g_t)(X_t^T x). Every instance misses by far more than rounding
    /// (gap > 1e-6 of what was learned, where SGD's identity holds to ~1e-14), and typically by a
    /// large fraction: the median gap over the instances is at least 25% of what was learned.
    @Test func adamBreaksTheIdentity() {
        var relativeGaps: [Double] = []
        for seed in UInt64(0)..<200 {
            let random = RandomSource(seed: seed)
            var sizes = SizeRanges.standard
            sizes.inputDimension = 2...16
            let instance = DualFormInstance.random(random, sizes: sizes)
            let eta = 0.05
            let adam = DualForm.trainAdam(from: instance.initialWeights, batches: instance.batches, eta: eta, loss: instance.settings.loss)
            var plain = instance.initialWeights * instance.queries
            for (t, batch) in instance.batches.enumerated() {
                plain += (-eta * adam.outputGradients[t]) * (batch.x.transposed * instance.queries)
            }
            let trained = adam.finalWeights * instance.queries
            let learned = (trained - instance.initialWeights * instance.queries).maxAbs
            let gap = (trained - plain).maxAbs
            #expect(gap > 1e-6 * learned, "seed \(seed): gap \(gap), learned \(learned)")
            relativeGaps.append(gap / learned)
        }
        let median = relativeGaps.sorted()[relativeGaps.count / 2]
        #expect(median >= 0.25, "median relative gap \(median)")
    }
}
