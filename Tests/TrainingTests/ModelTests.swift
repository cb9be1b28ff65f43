import _TestSupport
import Constructions
import Foundation
import Linalg
import Optim
import PropertyBased
import Testing
import Training

func randomConfig(_ random: RandomSource) -> LSAModelConfig {
    LSAModelConfig(inputDimension: random.int(in: 1...4), outputDimension: random.int(in: 1...2), contextCount: random.int(in: 1...7),
                   layers: random.int(in: 1...3), heads: random.int(in: 1...2), sharedLayers: random.int(in: 0...1) == 1,
                   parameterization: random.int(in: 0...1) == 0 ? .full : .gdPlusPlus, queryInContext: random.int(in: 0...1) == 1)
}

/// A model with `N(0, sd^2)` parameters (`sd` keeping a layer's update of order one).
func randomModel(_ random: RandomSource, _ config: LSAModelConfig) -> LSAModel {
    let D = config.tokenDimension
    let sd = config.parameterization == .full ? pow(Double(D * D * (config.contextCount + 1)), -0.25)
                                              : pow(Double(D * (config.contextCount + 1)), -0.5)
    return LSAModel(config: config, parameters: random.gaussianMatrix(1, config.parameterCount, sd: sd).elements)
}

@Suite struct ModelTests {
    /// The gradient with respect to the parameters (factors, or the GD++ blocks; summed over
    /// shared layers) agrees with central differences of the loss, within the derived bound.
    @Test func parameterGradientsMatchCentralDifferences() async {
        await propertyCheck(count: 20, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let config = randomConfig(random)
            let model = randomModel(random, config)
            let shape = config.shape
            let batch = randomBatch(random, shape, tasks: random.int(in: 1...5))
            let kernel = LSAKernel(shape: shape)
            let gradient = model.parameterGradient(kernel.lossAndGradient(model.folded(), batch).gradient)
            let absoluteBatch = TaskBatch(inputDimension: shape.inputDimension, outputDimension: shape.outputDimension, contextCount: shape.contextCount,
                                          taskCount: batch.taskCount, tokens: batch.tokens.map(abs), targets: batch.targets)
            let k = forwardRoundings(shape) + config.tokenDimension + LSAKernel.chunkSize + batch.taskCount + 3
            for i in model.parameters.indices {
                func loss(_ x: Double) -> Double {
                    var m = model; m.parameters[i] = x
                    return kernel.loss(m.folded(), batch)
                }
                func majorantLoss(_ x: Double) -> Double {
                    var m = LSAModel(config: config, parameters: model.parameters.map(abs)); m.parameters[i] = x
                    let p = kernel.predictions(m.folded(), absoluteBatch)
                    return zip(p, batch.targets).reduce(0) { $0 + (abs($1.0) + abs($1.1)) * (abs($1.0) + abs($1.1)) }
                        / Double(2 * batch.taskCount * shape.outputDimension)
                }
                let x = model.parameters[i]
                let (cd, bound) = centralDifference(loss, at: x, rounding: 2 * gamma(k) * majorantLoss(abs(x)))
                let analyticRounding = gamma(3 * k) * forwardDifferenceUpperBound(majorantLoss, at: abs(x), roundings: k)
                #expect(abs(gradient[i] - cd) <= bound + analyticRounding,
                        "seed \(seed) \(config) parameter \(i): backward \(gradient[i]), central difference \(cd), bound \(bound + analyticRounding)")
            }
        }
    }

    /// The factors a checkpoint writes give back the same parameters, bit for bit.
    @Test func factorsRoundTrip() async {
        await propertyCheck(count: 40, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let config = randomConfig(random)
            let model = randomModel(random, config)
            let back = try! LSAModel(config: config, namedTensors: model.namedTensors)
            #expect(back == model, "seed \(seed) \(config)")
        }
    }

    /// Folding in the model equals folding the factors with BLAS (`FoldedLSA(stack)`), entrywise
    /// within `gamma_D` of `|W_K|^T |W_Q|` (resp. `|P| |W_V|`).
    @Test func foldingMatchesTheFactors() {
        let random = RandomSource(seed: 5)
        for _ in 0..<30 {
            let config = randomConfig(random)
            let model = randomModel(random, config)
            let a = model.folded(), b = FoldedLSA(model.stack, shape: config.shape)
            let absolute = FoldedLSA(LSAModel(config: config, parameters: model.parameters.map(abs)).stack, shape: config.shape)
            let g = gamma(config.tokenDimension)
            for i in a.keyQuery.indices {
                #expect(abs(a.keyQuery[i] - b.keyQuery[i]) <= 2 * g * absolute.keyQuery[i])
                #expect(abs(a.projectionValue[i] - b.projectionValue[i]) <= 2 * g * absolute.projectionValue[i])
            }
        }
    }

    /// The GD++ parameterization with `Gamma = I`, `Omega = -gamma I`, `rho = -eta/N` is the
    /// GD++ construction of `Constructions` (with `W = 0`): the same folded products.
    @Test func gdPlusPlusFormIsTheConstruction() {
        let d = 3, n = 5, eta = 0.75, curvature = 0.125
        let config = LSAModelConfig(inputDimension: d, contextCount: n, parameterization: .gdPlusPlus)
        let identity = Matrix<Double>.identity(d).elements
        let model = LSAModel(config: config, parameters: identity + (-curvature * Matrix<Double>.identity(d)).elements + [-eta / Double(n)])
        let construction = LSAConstruction.plusPlus(weights: Matrix<Double>.zeros(1, d), eta: eta, gamma: curvature, contextCount: n)
        #expect(model.folded() == FoldedLSA(LSAStack(layers: [construction]), shape: config.shape))
    }

    /// The initialisation has the variance-scaling standard deviation `sqrt(0.002 / K / D)` (a
    /// truncated normal rescaled to it), within 5 standard errors of the sample variance.
    @Test func initialisationHasThePapersScale() {
        let config = LSAModelConfig(inputDimension: 10, contextCount: 10, layers: 2, heads: 2)
        let p = LSAModel.initialized(config, seed: 3).parameters
        let sd = (0.002 / 2 / 11).squareRoot()
        let variance = p.reduce(0) { $0 + $1 * $1 } / Double(p.count)
        // The truncated normal's fourth moment is below 3 sigma^4, so var(x^2) < 2 sigma^4.
        #expect(abs(variance - sd * sd) <= 5 * (2 / Double(p.count)).squareRoot() * sd * sd)
        #expect(p.allSatisfy { abs($0) <= 2 * sd / VarianceScaling.truncatedStandardDeviation })
        #expect(LSAModel.initialized(config, seed: 3) == LSAModel.initialized(config, seed: 3))
        #expect(LSAModel.initialized(config, seed: 3) != LSAModel.initialized(config, seed: 4))
    }

    /// Every factor of every head of every layer is its own draw: the blocks of the flat buffer
    /// (`W_K, W_Q, W_V, P` per head, or `Gamma, Omega, rho`) are pairwise different, so heads and
    /// layers start from broken symmetry (drawn from one stream item, they would be equal and
    /// multi-head training would keep them equal).
    @Test(arguments: [Parameterization.full, .gdPlusPlus])
    func initialisationFactorsArePairwiseDifferent(_ parameterization: Parameterization) {
        let config = LSAModelConfig(inputDimension: 3, contextCount: 5, layers: 2, heads: 3, parameterization: parameterization)
        let p = LSAModel.initialized(config, seed: 3).parameters
        let D = config.tokenDimension, d = config.inputDimension, dy = config.outputDimension
        let sizes = parameterization == .full ? [D * D, D * D, D * D, D * D] : [d * d, d * d, dy * dy]
        var blocks: [[Double]] = [], offset = 0
        for _ in 0..<(config.distinctLayers * config.heads) {
            for size in sizes { blocks.append(Array(p[offset..<(offset + size)])); offset += size }
        }
        #expect(offset == p.count)
        for i in blocks.indices { for j in blocks.indices where j > i && blocks[i].count == blocks[j].count {
            #expect(blocks[i] != blocks[j], "factor blocks \(i) and \(j) are equal")
        } }
    }
}
