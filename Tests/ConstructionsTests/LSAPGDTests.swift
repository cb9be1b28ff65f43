import _TestSupport
import Constructions
import Linalg
import PropertyBased
import Testing

/// `lsa-pgd`: x-block Gamma in W_K^T W_Q performs W <- W - eta grad L(W) Gamma, for identity,
/// Gaussian (non-symmetric), SPD and ill-conditioned Gamma.
@Suite struct LSAPGDTests {
    @Test func doubleWithinDerivedBound() async { await checkTheorem(.lsaPGD, exact: false, count: floatingPointInstances) }
    @Test func exactRational() async { await checkTheorem(.lsaPGD, exact: true, count: exactInstances) }

    /// Gamma^T in place of Gamma (left instead of right preconditioning) is caught whenever Gamma
    /// is not symmetric and d >= 2.
    @Test func transposedPreconditionerIsCaught() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            var sizes = SizeRanges.standard
            sizes.inputDimension = 2...16
            let random = RandomSource(seed: seed)
            var instance = LinearInstance.random(random, sizes: sizes, layers: 1, preconditioned: true)
            instance.preconditioners[0] = LinearInstance.preconditioner(.gaussian, instance.task.inputDimension, random)
            #expect(oneLayerComparison(instance, exact: false, preconditioned: true, mistake: .none).holds)
            #expect(!oneLayerComparison(instance, exact: false, preconditioned: true, mistake: .preconditionerTransposed).withinBound, "seed \(seed)")
            let rounded = instance.roundedExact.preconditioners[0]
            if rounded != rounded.transposed {
                #expect(!oneLayerComparison(instance, exact: true, preconditioned: true, mistake: .preconditionerTransposed).holds, "seed \(seed)")
            }
        }
    }
}
