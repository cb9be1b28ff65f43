import _TestSupport
import Constructions
import Linalg
import PropertyBased
import Testing

/// `lsa-gd`: one LSA layer with Proposition 1 weights maps every token (x_j, y_j) to
/// (x_j, y_j - dW x_j) and the readout equals the GD prediction W_1 x_q.
@Suite struct LSAGDTests {
    @Test func doubleWithinDerivedBound() async { await checkTheorem(.lsaGD, exact: false, count: floatingPointInstances) }
    @Test func exactRational() async { await checkTheorem(.lsaGD, exact: true, count: exactInstances) }

    /// One layer against one GD step (`oneLayerComparison`: the a priori bound in Double, `==` in
    /// rationals) catches a flipped W_V and a P without 1/N (N >= 2), in both arithmetics.
    @Test(arguments: [Mistake.valueSignFlipped, .projectionMissingOneOverN])
    func wrongWeightsAreCaught(_ mistake: Mistake) async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            var sizes = SizeRanges.standard
            sizes.contextCount = 2...64
            let instance = LinearInstance.random(RandomSource(seed: seed), sizes: sizes, layers: 1, preconditioned: false)
            #expect(oneLayerComparison(instance, exact: false, preconditioned: false, mistake: .none).holds)
            #expect(!oneLayerComparison(instance, exact: false, preconditioned: false, mistake: mistake).withinBound, "seed \(seed)")
            #expect(!oneLayerComparison(instance, exact: true, preconditioned: false, mistake: mistake).holds, "seed \(seed)")
        }
    }

    /// A hand-sized instance: d = 1, N = 1, x = 2, y = 3, W_0 = 1, eta = 1/2:
    /// dW = -(1/2)(2 - 3) 2 = 1, so the readout is W_1 x_q = 2 x_q.
    @Test func handComputedInstance() {
        let task = RegressionTask(x: Matrix([[Rational(2)]]), y: Matrix([[Rational(3)]]), xQuery: Matrix([[Rational(5)]]))
        let w0 = Matrix([[Rational(1)]])
        let layer = LSAConstruction.gradientStep(initialWeights: w0, eta: Rational(1, 2), contextCount: 1)
        let out = layer(task.tokens(initialWeights: w0), contextCount: 1)
        #expect(readout(out, inputDimension: 1) == Matrix([[Rational(10)]]))
        #expect(out.block(rows: 1..<2, cols: 0..<1) == Matrix([[Rational(1)]]))   // y - dW x = 3 - 2
    }
}
