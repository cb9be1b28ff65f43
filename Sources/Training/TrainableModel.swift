import Weights

/// What the training loop (`Trainer`) needs of a model: its architecture, one flat parameter
/// buffer (the layout `Optim`'s optimisers update), the loss and its gradient on a batch, a
/// fresh initialisation, and its weights by name (for a checkpoint's weights file).
///
/// The LSA (`LSAModel`), an MLP or an attention network share the loop, the checkpoint and
/// resume path, the non-finite stop and the metrics through this protocol.
public protocol TrainableModel: Sendable, Equatable {
    /// The architecture: sizes and options that fix the parameter layout.
    associatedtype Config: Codable, Equatable, Sendable
    /// The batches the model learns from, addressed by (seed, step).
    associatedtype Tasks: BatchSource
    /// Scratch memory for `lossAndGradient`, made once per trainer (e.g. a kernel's buffers).
    associatedtype Workspace

    var config: Config { get }
    var parameters: [Double] { get set }

    /// Throws unless `config` and `tasks` each define something (sizes at least 1, ...) and agree.
    static func validate(_ config: Config, tasks: Tasks) throws(TrainingError)
    /// A fresh model of `config`, its weights drawn from (`seed`, initialization).
    static func initialized(_ config: Config, seed: UInt64) -> Self
    static func makeWorkspace(_ config: Config) -> Workspace
    /// The mean loss on `batch` and its gradient with respect to `parameters` (the same layout).
    func lossAndGradient(_ batch: Tasks.Batch, workspace: Workspace) -> (loss: Double, gradient: [Double])

    /// The name and version of the model's checkpoint layout, e.g. `icl-lsa-checkpoint/1`.
    static var checkpointFormat: String { get }
    /// What a weights file's metadata says of the tensors (e.g. their convention).
    static var tensorMetadata: [String: String] { get }
    /// The weights by name, as a file holds them.
    var namedTensors: [String: SafeTensors.Tensor] { get }
    /// A model of `config` from named weights (the inverse of `namedTensors`).
    init(config: Config, namedTensors: [String: SafeTensors.Tensor]) throws(ModelError)
}

extension TrainableModel {
    /// A weights file's metadata besides its step: the tensor convention (`tensorMetadata`) and
    /// `model`, the model's config (its sizes and options) as one line of JSON, so that a file
    /// read by PyTorch or JAX says what its tensors are without the run directory.
    public var weightsMetadata: [String: String] {
        var metadata = Self.tensorMetadata
        if let line = try? JSONStyle.line(config) { metadata["model"] = line }
        return metadata
    }
}

/// Batches addressed by step: batch `step` of the run with `seed` is a pure function of the two,
/// so a resumed run draws what an uninterrupted one would, on any number of threads.
public protocol BatchSource: Codable, Equatable, Sendable {
    associatedtype Batch
    /// Batch `step` of `size` items under `seed`.
    func batch(seed: UInt64, step: Int, size: Int) -> Batch
    /// Batch `step` under `seed` into `batch` (reusing its memory and size).
    func fill(_ batch: inout Batch, seed: UInt64, step: Int)
}
