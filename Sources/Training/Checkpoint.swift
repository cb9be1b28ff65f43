import Foundation
import Optim
import Weights

/// A training run frozen at a step: the weights, the optimiser state, the step and the run's
/// configuration. Turned into files by `Experiments` (the run directory): the weights as a
/// safetensors file (`namedTensors`, with `metadata`), the rest as the JSON of `state`. Resume
/// is bit-identical: `Trainer(checkpoint)` continues as the uninterrupted run would.
public struct Checkpoint<Model: TrainableModel>: Sendable {
    public var config: TrainingConfig<Model>
    public var step: Int
    public var model: Model
    public var optimizerState: OptimizerState
    public var lastFiniteLoss: Double?

    public init(config: TrainingConfig<Model>, step: Int, model: Model, optimizerState: OptimizerState, lastFiniteLoss: Double?) {
        self.config = config
        self.step = step
        self.model = model
        self.optimizerState = optimizerState
        self.lastFiniteLoss = lastFiniteLoss
    }

    /// The trainer's current state.
    public init(_ trainer: Trainer<Model>) {
        self.init(config: trainer.config, step: trainer.step, model: trainer.model, optimizerState: trainer.optimizerState,
                  lastFiniteLoss: trainer.lastFiniteLoss)
    }

    /// The model's checkpoint format (its name and version), stored in both files.
    public static var format: String { Model.checkpointFormat }

    /// The weights file's metadata: the format, the step (so that weights and a state of
    /// different steps are refused), the model's tensor convention and its config (`weightsMetadata`).
    public var metadata: [String: String] { ["format": Self.format, "step": String(step)].merging(model.weightsMetadata) { a, _ in a } }

    /// Everything but the weights.
    public var state: CheckpointState<Model> {
        CheckpointState(format: Self.format, step: step, config: config, optimizer: optimizerState, lastFiniteLoss: lastFiniteLoss)
    }

    /// A checkpoint from its state and its weights file's tensors and metadata, checked for consistency.
    public init(state: CheckpointState<Model>, tensors: [String: SafeTensors.Tensor], metadata: [String: String]) throws(TrainingError) {
        guard state.format == Self.format else { throw .checkpoint("the state file has format '\(state.format.escapingControlCharacters)', expected '\(Self.format)'") }
        guard metadata["step"] == String(state.step) else {
            throw .checkpoint("the weights are from step \(metadata["step"]?.escapingControlCharacters ?? "?"), the state from step \(state.step) (an interrupted write?)")
        }
        do { try state.config.validate() } catch { throw .checkpoint("the state file's configuration: \(error)") }
        let model: Model
        do { model = try Model(config: state.config.model, namedTensors: tensors) } catch { throw .checkpoint("the weights file: \(error)") }
        self.init(config: state.config, step: state.step, model: model, optimizerState: state.optimizer, lastFiniteLoss: state.lastFiniteLoss)
    }

    /// A checkpoint from its two files' bytes (the safetensors weights file and the JSON of
    /// `state`), checked for consistency; every error is one line naming the file and what is wrong.
    public init(weightsFile weights: [UInt8], stateFile state: Data) throws(TrainingError) {
        let s: CheckpointState<Model>
        do { s = try JSONStyle.decode(CheckpointState<Model>.self, from: state) } catch {
            throw .checkpoint("state.json is not a checkpoint state (\(JSONStyle.describe(error)))")
        }
        let decoded: (tensors: [String: SafeTensors.Tensor], metadata: [String: String])
        do { decoded = try SafeTensors.decode(weights) } catch { throw .checkpoint("the weights file: \(error)") }
        try self.init(state: s, tensors: decoded.tensors, metadata: decoded.metadata)
    }
}

/// A checkpoint's state file: everything but the weights.
public struct CheckpointState<Model: TrainableModel>: Codable, Sendable {
    public var format: String
    public var step: Int
    public var config: TrainingConfig<Model>
    public var optimizer: OptimizerState
    public var lastFiniteLoss: Double?
}
