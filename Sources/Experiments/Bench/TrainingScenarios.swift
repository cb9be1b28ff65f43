import Optim
import Training

/// The training scenarios. Peer: Benchmarks/peers_training.py (JAX, float32 and float64).
var trainingBenchScenarios: [BenchScenario] { [
    BenchScenario(name: "train-steps-von-oswald",
                  summary: "10 training steps, von Oswald setting: B 2048 fresh tasks, d = N = 10, one layer, one head, clipped AdamW (b2 0.98)",
                  flops: 0) {
        let trainer = try! Trainer(vonOswaldBenchConfig)
        return { for _ in 0..<10 { try! trainer.trainStep() } }
    },
    BenchScenario(name: "train-tasks-von-oswald", summary: "one batch of the training benchmark: 2048 tasks drawn from Philox (data only)", flops: 0) {
        let tasks = vonOswaldBenchConfig.tasks
        let sink = TrainingSink()
        var step = 0
        return { sink.value += tasks.batch(seed: 1, step: step, tasks: 2048).targets[7]; step += 1 }
    },
    BenchScenario(name: "train-gradient-von-oswald", summary: "loss and gradient of the training benchmark's model on one fixed batch (kernel only)", flops: 0) {
        let config = vonOswaldBenchConfig
        let kernel = LSAKernel(shape: config.model.shape)
        let model = LSAModel.initialized(config.model, seed: 1).folded()
        let batch = config.tasks.batch(seed: 1, step: 0, tasks: 2048)
        let sink = TrainingSink()
        return { sink.value += kernel.lossAndGradient(model, batch).loss }
    },
] }

/// Keeps a benchmark's result alive.
final class TrainingSink: @unchecked Sendable { var value = 0.0 }

/// The setting of the training benchmark (and of its JAX peer).
let vonOswaldBenchConfig = LSATrainingConfig(
    model: LSAModelConfig(inputDimension: 10, contextCount: 10),
    tasks: TaskDistribution(inputDimension: 10, contextCount: 10, inputs: .uniform(width: 1)),
    optimizer: .vonOswald(schedule: .constant(value: 1e-3), clipNorm: 10),
    batchSize: 2048, steps: 1 << 30, seed: 1)
