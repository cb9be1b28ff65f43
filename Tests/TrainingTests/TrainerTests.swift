import Foundation
import Optim
import Testing
import Training
import Weights

func tinyConfig(steps: Int, layers: Int = 2, optimizer: OptimizerConfig = OptimizerConfig(kind: .adam, schedule: .constant(value: 1e-2))) -> LSATrainingConfig {
    LSATrainingConfig(model: LSAModelConfig(inputDimension: 2, contextCount: 8, layers: layers, heads: 2),
                   tasks: TaskDistribution(inputDimension: 2, contextCount: 8, inputs: .uniform(width: 1), noise: 0.1),
                   optimizer: optimizer, batchSize: 40, steps: steps, seed: 5)
}

/// A checkpoint through its two files' contents (the safetensors weights and the JSON state) and back.
func throughFiles(weightsOf weights: Checkpoint<LSAModel>, stateOf state: Checkpoint<LSAModel>) throws -> Checkpoint<LSAModel> {
    let file = try SafeTensors.decode(SafeTensors.encode(weights.model.namedTensors, metadata: weights.metadata))
    let stateText = try JSONStyle.text(state.state)
    return try Checkpoint(state: JSONStyle.decode(CheckpointState<LSAModel>.self, from: Data(stateText.utf8)),
                          tensors: file.tensors, metadata: file.metadata)
}

@Suite struct TrainerTests {
    /// Stopping at a checkpoint, writing it out, reading it back and continuing ends bit for bit
    /// where an uninterrupted run ends, with the same losses on the way.
    @Test func resumeEqualsUninterrupted() throws {
        for optimizer in [OptimizerConfig(kind: .adamw, schedule: .warmupCosineDecay(initialValue: 0, peakValue: 1e-2, warmupSteps: 5, decaySteps: 30, endValue: 1e-4),
                                          weightDecay: 1e-3, clipNorm: 0.5),
                          OptimizerConfig(kind: .sgd, schedule: .constant(value: 0.05), momentum: 0.9)] {
            let config = tinyConfig(steps: 30, optimizer: optimizer)
            let whole = try Trainer(config)
            var losses: [Double] = []
            while !whole.isFinished { losses.append(try whole.trainStep().loss) }

            let first = try Trainer(config)
            for _ in 0..<11 { try first.trainStep() }
            let saved = Checkpoint(first)
            let restored = try throughFiles(weightsOf: saved, stateOf: saved)
            let second = try Trainer(restored)
            var resumedLosses: [Double] = []
            while !second.isFinished { resumedLosses.append(try second.trainStep().loss) }
            #expect(second.model.parameters.map(\.bitPattern) == whole.model.parameters.map(\.bitPattern))
            #expect(second.optimizerState == whole.optimizerState)
            #expect(resumedLosses == Array(losses[11...]))
        }
    }

    /// A checkpoint whose weights and state come from different steps, or a state that is not a
    /// checkpoint, is refused with a message.
    @Test func inconsistentCheckpointsAreRefused() throws {
        let trainer = try Trainer(tinyConfig(steps: 5))
        let early = Checkpoint(trainer)
        try trainer.trainStep()
        let late = Checkpoint(trainer)
        #expect(throws: TrainingError.self) { try throughFiles(weightsOf: early, stateOf: late) }
        do { _ = try throughFiles(weightsOf: early, stateOf: late) } catch {
            #expect("\(error)".contains("the weights are from step 0, the state from step 1"))
        }
        var otherFormat = late.state
        otherFormat.format = "icl-lsa-checkpoint/0"
        #expect(throws: TrainingError.self) { try Checkpoint(state: otherFormat, tensors: late.model.namedTensors, metadata: late.metadata) }
        var missing = late.model.namedTensors
        missing["layers.1.heads.0.W_V"] = nil
        #expect(throws: TrainingError.self) { try Checkpoint(state: late.state, tensors: missing, metadata: late.metadata) }
    }

    /// A learning rate far too large makes the loss overflow: the step throws with its index and
    /// the last finite loss, and leaves the model as it was.
    @Test func nonFiniteLossStopsCleanly() throws {
        let trainer = try Trainer(tinyConfig(steps: 200, layers: 3, optimizer: OptimizerConfig(kind: .sgd, schedule: .constant(value: 1e4))))
        var before = trainer.model
        var failure: TrainingError?
        while !trainer.isFinished && failure == nil {
            before = trainer.model
            switch Result(catching: { () throws(TrainingError) in try trainer.trainStep() }) {
            case .success: break
            case .failure(let error): failure = error
            }
        }
        guard case let .nonFinite(step, last, _)? = failure else { Issue.record("no non-finite stop: \(String(describing: failure))"); return }
        #expect(step == trainer.step && step > 0)
        #expect(last != nil && last!.isFinite)
        #expect(trainer.model == before)
        #expect(failure!.description.contains("Try a smaller learning rate"))
    }

    /// A run of a few hundred steps learns: on validation tasks its loss falls well below the zero
    /// predictor's `E[y^2]/2`.
    @Test func tinyRunLearns() throws {
        var config = tinyConfig(steps: 300, layers: 1)
        config.batchSize = 128
        let trainer = try Trainer(config)
        while !trainer.isFinished { try trainer.trainStep() }
        let validation = config.tasks.batch(seed: config.seed, purpose: .validation, step: 0, tasks: 2000)
        let loss = LSAKernel(shape: config.model.shape).loss(trainer.model.folded(), validation)
        let zero = validation.targets.reduce(0) { $0 + $1 * $1 } / Double(2 * validation.taskCount)
        #expect(loss < 0.5 * zero, "trained \(loss), zero predictor \(zero)")
    }
}
