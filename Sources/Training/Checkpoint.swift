import Constructions
import Foundation
import Linalg
import Optim

/// A training run frozen at a step: the weights (as a safetensors file a PyTorch or JAX user can
/// load) and the state to continue (as JSON). Files are the caller's business (`Experiments`
/// writes them atomically); this type only turns a state into bytes and back.
///
/// Weights: `layers.{k}.heads.{h}.W_K|W_Q|W_V|P`, `D x D` F64 each, in the token-as-column
/// convention of REFERENCE.md (`e_j <- e_j + sum_h P W_V E (E^T W_K^T W_Q e_j)`; tokens
/// `(x, y)`, the prediction is minus the query's y-entries). Every layer is written, shared ones
/// repeated. The metadata holds the step, so a weights file and a state file of different
/// steps are refused.
public struct Checkpoint: Sendable {
    public static let format = "icl-lsa-checkpoint/1"

    public var config: TrainingConfig
    public var step: Int
    public var model: LSAModel
    public var optimizerState: OptimizerState
    public var lastFiniteLoss: Double?

    public init(config: TrainingConfig, step: Int, model: LSAModel, optimizerState: OptimizerState, lastFiniteLoss: Double?) {
        self.config = config
        self.step = step
        self.model = model
        self.optimizerState = optimizerState
        self.lastFiniteLoss = lastFiniteLoss
    }

    /// The trainer's current state.
    public init(_ trainer: Trainer) {
        self.init(config: trainer.config, step: trainer.step, model: trainer.model, optimizerState: trainer.optimizerState,
                  lastFiniteLoss: trainer.lastFiniteLoss)
    }

    /// The safetensors bytes of the weights.
    public var weightsFile: [UInt8] {
        SafeTensors.encode(Self.tensors(of: model), metadata: [
            "format": Self.format, "step": String(step),
            "convention": "tokens are columns e = (x, y); e_j += sum_h P W_V E (E^T W_K^T W_Q e_j) over context tokens E; yhat = -y-rows of the query",
        ])
    }

    /// The named factors of a model (`layers.{k}.heads.{h}.W_K|W_Q|W_V|P`).
    public static func tensors(of model: LSAModel) -> [String: SafeTensors.Tensor] {
        var out: [String: SafeTensors.Tensor] = [:]
        let D = model.config.tokenDimension
        for k in 0..<model.config.layers {
            for h in 0..<model.config.heads {
                let head = model.head(layer: k, head: h)
                for (name, m) in [("W_K", head.key), ("W_Q", head.query), ("W_V", head.value), ("P", head.projection)] {
                    out["layers.\(k).heads.\(h).\(name)"] = SafeTensors.Tensor(shape: [D, D], values: m.elements)
                }
            }
        }
        return out
    }

    /// A model of `config` from named factors (the inverse of `tensors(of:)`).
    public static func model(_ config: LSAModelConfig, tensors: [String: SafeTensors.Tensor]) throws(ModelError) -> LSAModel {
        let D = config.tokenDimension
        var heads: [[LSAHead<Double>]] = []
        for k in 0..<config.layers {
            var layer: [LSAHead<Double>] = []
            for h in 0..<config.heads {
                var m: [Matrix<Double>] = []
                for name in ["W_K", "W_Q", "W_V", "P"] {
                    let key = "layers.\(k).heads.\(h).\(name)"
                    guard let t = tensors[key] else { throw ModelError("the weights lack '\(key)'") }
                    guard t.shape == [D, D] else { throw ModelError("'\(key)' has shape \(t.shape), expected [\(D), \(D)]") }
                    m.append(Matrix(rows: D, cols: D, elements: t.values))
                }
                layer.append(LSAHead(key: m[0], query: m[1], value: m[2], projection: m[3]))
            }
            heads.append(layer)
        }
        return try LSAModel(config: config, heads: heads)
    }

    struct State: Codable {
        var format: String
        var step: Int
        var config: TrainingConfig
        var optimizer: OptimizerState
        var lastFiniteLoss: Double?
    }

    /// The state file (JSON; every `Double` in its shortest round-trip form, so it reads back exactly).
    public func stateFile() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let state = State(format: Self.format, step: step, config: config, optimizer: optimizerState, lastFiniteLoss: lastFiniteLoss)
        return String(decoding: try encoder.encode(state), as: UTF8.self) + "\n"
    }

    /// A checkpoint from its two files, checked for consistency.
    public init(weights: [UInt8], state: Data) throws(TrainingError) {
        let s: State
        do { s = try JSONDecoder().decode(State.self, from: state) } catch {
            throw .checkpoint("the state file is not a checkpoint state: \(error)")
        }
        guard s.format == Self.format else { throw .checkpoint("the state file has format '\(s.format)', expected '\(Self.format)'") }
        let decoded: (tensors: [String: SafeTensors.Tensor], metadata: [String: String])
        do { decoded = try SafeTensors.decode(weights) } catch { throw .checkpoint("the weights file: \(error)") }
        guard decoded.metadata["step"] == String(s.step) else {
            throw .checkpoint("the weights are from step \(decoded.metadata["step"] ?? "?"), the state from step \(s.step) (an interrupted write?)")
        }
        let model: LSAModel
        do { model = try Self.model(s.config.model, tensors: decoded.tensors) } catch { throw .checkpoint("the weights file: \(error)") }
        self.init(config: s.config, step: s.step, model: model, optimizerState: s.optimizer, lastFiniteLoss: s.lastFiniteLoss)
    }
}
