import Constructions
import Linalg
import Weights

/// The LSA as a `TrainableModel`: the kernel computes the loss and `dL/dM, dL/dV` on a batch
/// of regression tasks, and the chain rule through the factors (`parameterGradient`) gives the
/// gradient of the flat parameters. Weights are named `layers.{k}.heads.{h}.W_K|W_Q|W_V|P`
/// (`LSATensorNames`), every layer written, shared ones repeated.
extension LSAModel: TrainableModel {
    public typealias Tasks = TaskDistribution
    public typealias Workspace = LSAKernel

    public static func validate(_ config: LSAModelConfig, tasks: TaskDistribution) throws(TrainingError) {
        do { try config.validate() } catch { throw .invalid(error.description) }
        do { try tasks.validate() } catch { throw .invalid(error.description) }
        guard config.inputDimension == tasks.inputDimension, config.outputDimension == tasks.outputDimension,
              config.contextCount == tasks.contextCount else {
            throw .invalid("the model's d, d_y, N differ from the tasks'")
        }
    }

    public static func initialized(_ config: LSAModelConfig, seed: UInt64) -> LSAModel { initialized(config, seed: seed, scaling: nil) }

    public static func makeWorkspace(_ config: LSAModelConfig) -> LSAKernel { LSAKernel(shape: config.shape) }

    public func lossAndGradient(_ batch: TaskBatch, workspace kernel: LSAKernel) -> (loss: Double, gradient: [Double]) {
        let (loss, folded) = kernel.lossAndGradient(self.folded(), batch)
        return (loss, parameterGradient(folded))
    }

    public static var checkpointFormat: String { "icl-lsa-checkpoint/1" }
    public static var tensorMetadata: [String: String] { ["convention": LSATensorNames.convention] }

    public var namedTensors: [String: SafeTensors.Tensor] {
        var out: [String: SafeTensors.Tensor] = [:]
        for k in 0..<config.layers {
            for h in 0..<config.heads {
                let factors = head(layer: k, head: h)
                for (factor, m) in zip(LSATensorNames.Factor.allCases, [factors.key, factors.query, factors.value, factors.projection]) {
                    out[LSATensorNames.name(layer: k, head: h, factor)] = SafeTensors.Tensor(m)
                }
            }
        }
        return out
    }

    public init(config: LSAModelConfig, namedTensors tensors: [String: SafeTensors.Tensor]) throws(ModelError) {
        let D = config.tokenDimension
        var heads: [[LSAHead<Double>]] = []
        for k in 0..<config.layers {
            var layer: [LSAHead<Double>] = []
            for h in 0..<config.heads {
                var m: [Matrix<Double>] = []
                for factor in LSATensorNames.Factor.allCases {
                    let name = LSATensorNames.name(layer: k, head: h, factor)
                    guard let t = tensors[name] else { throw ModelError("the weights lack '\(name)'") }
                    do { m.append(try t.matrix(rows: D, cols: D, name: name)) } catch { throw ModelError("\(error)") }
                }
                layer.append(LSAHead(key: m[0], query: m[1], value: m[2], projection: m[3]))
            }
            heads.append(layer)
        }
        try self.init(config: config, heads: heads)
    }
}

/// Regression tasks as the LSA's batch source (purpose `training`).
extension TaskDistribution: BatchSource {
    public func batch(seed: UInt64, step: Int, size: Int) -> TaskBatch { batch(seed: seed, purpose: .training, step: step, tasks: size) }
    public func fill(_ batch: inout TaskBatch, seed: UInt64, step: Int) { fill(&batch, seed: seed, purpose: .training, step: step) }
}

/// The LSA's training run.
public typealias LSATrainingConfig = TrainingConfig<LSAModel>
