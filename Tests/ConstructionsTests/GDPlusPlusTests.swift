import _TestSupport
import Constructions
import Linalg
import PropertyBased
import Testing

/// `gd-plus-plus`: the A.10 layer gives x <- (I - gamma X X^T) x and y <- y - dW x for every token.
@Suite struct GDPlusPlusTests {
    @Test func doubleWithinDerivedBound() async { await checkTheorem(.gdPlusPlus, exact: false, count: floatingPointInstances) }
    @Test func exactRational() async { await checkTheorem(.gdPlusPlus, exact: true, count: exactInstances) }

    /// With P's x-block +gamma I instead of -gamma I the inputs move the wrong way: caught exactly.
    @Test func wrongCurvatureSignIsCaught() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            let instance = LinearInstance.random(RandomSource(seed: seed), sizes: .standard, layers: 1, preconditioned: false).roundedExact
            guard instance.curvatureStep != .zero else { return }
            var flipped = instance
            flipped.curvatureStep = -instance.curvatureStep
            let task = instance.task
            let wrong = LSAConstruction.plusPlus(weights: instance.initialWeights, eta: instance.etas[0], gamma: flipped.curvatureStep,
                                                 contextCount: task.contextCount)(task.tokens(initialWeights: instance.initialWeights), contextCount: task.contextCount)
            let sides = LSASides.plusPlus(instance)
            #expect(sides.lsa == sides.gd)
            #expect(wrong != sides.gd, "seed \(seed)")
        }
    }
}
