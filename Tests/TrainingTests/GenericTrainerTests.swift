import Foundation
import Linalg
import Optim
import Random
import Testing
import Training
import Weights

/// Least squares, `L(w) = 1/(2n) sum_i (w . x_i - y_i)^2` on a batch of `n` examples: the
/// smallest model the trainer can take, so that its loop, checkpoint and resume are tested
/// apart from the LSA.
struct LeastSquares: TrainableModel {
    struct Config: Codable, Equatable, Sendable { var dimension: Int }
    typealias Tasks = LinearData
    typealias Workspace = Void

    let config: Config
    var parameters: [Double]

    init(config: Config, parameters: [Double]) { (self.config, self.parameters) = (config, parameters) }

    static func validate(_ config: Config, tasks: LinearData) throws(TrainingError) {
        guard config.dimension == tasks.weights.count else { throw .invalid("the model has \(config.dimension) weights, the data \(tasks.weights.count)") }
    }
    static func initialized(_ config: Config, seed: UInt64) -> LeastSquares { LeastSquares(config: config, parameters: Array(repeating: 0, count: config.dimension)) }
    static func makeWorkspace(_ config: Config) {}

    func lossAndGradient(_ batch: LinearData.Batch, workspace: Void) -> (loss: Double, gradient: [Double]) {
        let n = Double(batch.y.count)
        var loss = 0.0, gradient = [Double](repeating: 0, count: parameters.count)
        for (x, y) in zip(batch.x, batch.y) {
            let r = zip(parameters, x).reduce(0) { $0 + $1.0 * $1.1 } - y
            loss += r * r / (2 * n)
            for j in x.indices { gradient[j] += r * x[j] / n }
        }
        return (loss, gradient)
    }

    static var checkpointFormat: String { "test-least-squares/1" }
    static var tensorMetadata: [String: String] { [:] }
    var namedTensors: [String: SafeTensors.Tensor] { ["w": SafeTensors.Tensor(shape: [parameters.count], values: parameters)] }
    init(config: Config, namedTensors: [String: SafeTensors.Tensor]) throws(ModelError) {
        guard let w = namedTensors["w"], w.shape == [config.dimension] else { throw ModelError("no weights 'w' of \(config.dimension) entries") }
        self.init(config: config, parameters: w.values)
    }
}

/// `x ~ N(0, I)`, `y = w . x + noise * z`, drawn from the Philox stream of (seed, step, example);
/// with `fixed` every step sees the batch of step 0 (full-batch gradient descent).
struct LinearData: BatchSource {
    struct Batch { var x: [[Double]]; var y: [Double] }
    var weights: [Double]
    var noise: Double
    var fixed: Bool

    func batch(seed: UInt64, step: Int, size: Int) -> Batch {
        var b = Batch(x: Array(repeating: [], count: size), y: Array(repeating: 0, count: size))
        fill(&b, seed: seed, step: step)
        return b
    }

    func fill(_ batch: inout Batch, seed: UInt64, step: Int) {
        for i in batch.y.indices {
            var stream = PhiloxStream(seed: seed, purpose: .training, step: UInt32(fixed ? 0 : step), item: UInt32(i))
            let x = weights.map { _ in stream.gaussian() }
            batch.x[i] = x
            batch.y[i] = zip(weights, x).reduce(0) { $0 + $1.0 * $1.1 } + noise * stream.gaussian()
        }
    }
}

@Suite struct GenericTrainerTests {
    func config(steps: Int, fixed: Bool, optimizer: OptimizerConfig) -> TrainingConfig<LeastSquares> {
        TrainingConfig(model: LeastSquares.Config(dimension: 3), tasks: LinearData(weights: [1, -2, 0.5], noise: 0.3, fixed: fixed),
                       optimizer: optimizer, batchSize: 20, steps: steps, seed: 9)
    }

    /// Full-batch gradient descent from `w_0 = 0` with rate `eta` on `H = X^T X / n`,
    /// `w* = H^-1 X^T y / n` is `w_K = (I - (I - eta H)^K) w*` (closed form). Both sides do
    /// O(K d n) roundings of numbers of size |w*| with a contraction `||I - eta H|| < 1`, so they
    /// agree to about `K * 2n * u * |w*|` = 50 * 40 * 1.1e-16 * 3, below 1e-12.
    @Test func fullBatchGradientDescentIsTheClosedForm() throws {
        let eta = 0.1, steps = 50
        let run = config(steps: steps, fixed: true, optimizer: OptimizerConfig(kind: .sgd, schedule: .constant(value: eta)))
        let trainer = try Trainer(run)
        var losses: [Double] = []
        try trainer.run { record, _ in losses.append(record.loss) }
        #expect(trainer.step == steps && losses.count == steps)
        #expect(zip(losses, losses.dropFirst()).allSatisfy { $1 < $0 }, "full-batch GD at a small rate decreases the loss")

        let data = run.tasks.batch(seed: run.seed, step: 0, size: run.batchSize)
        let n = Double(run.batchSize)
        let x = Matrix(rows: data.x.count, cols: 3, elements: data.x.flatMap { $0 })
        let y = Matrix(rows: data.y.count, cols: 1, elements: data.y)
        let h = (1 / n) * (x.transposed * x), b = (1 / n) * (x.transposed * y)
        let optimum = try h.solve(b)
        let contraction = Matrix<Double>.identity(3) - eta * h
        var power = Matrix<Double>.identity(3)
        for _ in 0..<steps { power = power * contraction }
        let expected = (Matrix<Double>.identity(3) - power) * optimum
        for j in 0..<3 {
            #expect(abs(trainer.model.parameters[j] - expected[j, 0]) <= 1e-12, "w[\(j)] \(trainer.model.parameters[j]) against \(expected[j, 0])")
        }
        // The run is not vacuous: 50 steps move w most of the way from 0 to w*.
        #expect(zip(trainer.model.parameters, optimum.elements).allSatisfy { abs($0 - $1) < 0.5 * abs($1) })
    }

    /// Any `TrainableModel` resumes bit for bit through its checkpoint's files (weights by name,
    /// state as JSON), with momentum and clipping in play.
    @Test func anyModelResumesBitForBit() throws {
        let run = config(steps: 25, fixed: false, optimizer: OptimizerConfig(kind: .sgd, schedule: .constant(value: 0.05), momentum: 0.9, clipNorm: 0.5))
        let whole = try Trainer(run)
        try whole.run { _, _ in }
        let first = try Trainer(run)
        for _ in 0..<9 { try first.trainStep() }
        let saved = Checkpoint(first)
        let file = try SafeTensors.decode(SafeTensors.encode(saved.model.namedTensors, metadata: saved.metadata))
        let state = try JSONStyle.decode(CheckpointState<LeastSquares>.self, from: Data(try JSONStyle.text(saved.state).utf8))
        let second = try Trainer(try Checkpoint(state: state, tensors: file.tensors, metadata: file.metadata))
        try second.run { _, _ in }
        #expect(second.model.parameters.map(\.bitPattern) == whole.model.parameters.map(\.bitPattern))
        #expect(second.optimizerState == whole.optimizerState)
        #expect(second.model.parameters != saved.model.parameters, "the resumed part of the run did some work")
    }
}
