import _TestSupport
import Constructions
import Linalg
import PropertyBased
import Testing

/// `lsa-features` (Proposition 2): a random MLP m, then LSA = GD on 1/(2N) sum ||W m(x_i) - y_i||^2;
/// with W_0 = 0 the readout is the kernel smoother (eta/N) sum_i y_i m(x_i)^T m(x_q).
@Suite struct LSAFeaturesTests {
    @Test func doubleWithinDerivedBound() async { await checkTheorem(.lsaFeatures, exact: false, count: floatingPointInstances) }
    @Test func exactRational() async { await checkTheorem(.lsaFeatures, exact: true, count: exactInstances) }

    /// The kernel form is not the raw-input form: GD on x instead of m(x) gives another prediction.
    @Test func featuresMatter() {
        let random = RandomSource(seed: 3)
        let instance = LinearInstance.random(random, sizes: .standard, layers: 1, preconditioned: false)
        let m = FeatureMap(inputDimension: instance.task.inputDimension, hidden: 16, features: 8, random: random)
        let onFeatures = kernelSmoother(m.featurize(instance.task), eta: 0.5)
        let onInputs = kernelSmoother(instance.task, eta: 0.5)
        #expect((onFeatures - onInputs).maxAbs > 1e-3)
    }
}
