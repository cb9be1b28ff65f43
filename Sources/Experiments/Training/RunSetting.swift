import Training

/// What a reproduction's `summary.json` says of the run that made it (its `setting`): the
/// experiment, the tool's version, the task distribution (`d`, `N`, `d_y`, the inputs, the
/// noise), the seed, the training steps and the batch. Each model's full training config is
/// beside it as `config*.json` (the schema of `icl train`'s `config.json`).
public struct RunSetting: Codable, Sendable, Equatable {
    public var experiment: String
    public var version = toolVersion
    public var d: Int
    public var N: Int
    public var dy: Int
    /// `uniform` (`x ~ U(-w/2, w/2)^d`, `inputWidth = w`) or `gaussian` (`x ~ N(0, Sigma)`).
    public var inputs: String
    public var inputWidth: Double?
    /// The labels' noise standard deviation.
    public var noise: Double
    public var seed: UInt64
    public var steps: Int
    public var batchSize: Int

    public init(experiment: String, tasks: TaskDistribution, seed: UInt64, steps: Int, batchSize: Int) {
        (self.experiment, d, N, dy, noise) = (experiment, tasks.inputDimension, tasks.contextCount, tasks.outputDimension, tasks.noise)
        (self.seed, self.steps, self.batchSize) = (seed, steps, batchSize)
        switch tasks.inputs {
        case .uniform(let width): (inputs, inputWidth) = ("uniform", width)
        case .gaussian: (inputs, inputWidth) = ("gaussian", nil)
        }
    }
}
