import Figures
import Foundation
import Linalg
import Optim
import Training
import Weights

/// What the reproductions share: a training loop with progress and periodic evaluation, the
/// paper's optimiser with a cosine decay, and the weight figure.
enum Reproduction {
    /// AdamW (b1 0.9, b2 0.98, no decay) after global-norm clipping at 10, the rate decaying by a
    /// cosine from `peak` to `peak/100` over the run (the paper's code decays its rate in stairs;
    /// a smooth decay ends closer to the optimum for the same number of steps).
    static func optimizer(peak: Double, steps: Int) -> OptimizerConfig {
        .vonOswald(schedule: .warmupCosineDecay(initialValue: peak, peakValue: peak, warmupSteps: 0, decaySteps: max(steps, 1),
                                                endValue: peak / 100), clipNorm: 10)
    }

    /// Whether `name` is a file a reproduction writes: one of `fixedNames`, a model's weights
    /// (`model-*.safetensors`) or its config (`config-*.json`).
    static func isOutput(_ name: String, fixedNames: Set<String>) -> Bool {
        fixedNames.contains(name) || (name.hasPrefix("model-") && name.hasSuffix(".safetensors"))
            || (name.hasPrefix("config-") && name.hasSuffix(".json"))
    }

    /// Refuses, before any training, an output directory that could not be published: a file
    /// in the way, no permission, or a directory holding files other than a reproduction's
    /// (`isOutput`), which a rerun replaces.
    static func checkOutput(_ directory: String?, fixedNames: Set<String>) throws(OutputError) {
        guard let directory else { return }
        try DirectoryPublication.checkPublishable(directory) { names in names.allSatisfy { isOutput($0, fixedNames: fixedNames) } }
    }

    /// Publishes the reproduction's files as the directory `directory`, replacing a previous
    /// result there in one step (`DirectoryPublication`).
    static func publish(_ directory: String, fixedNames: Set<String>, files: [(name: String, bytes: Data)]) throws(OutputError) {
        try DirectoryPublication.publish(directory, files: files) { names in names.allSatisfy { isOutput($0, fixedNames: fixedNames) } }
    }

    /// A trained model's files: `model<suffix>.safetensors` (its weights, with the convention and
    /// its sizes in the metadata) and `config<suffix>.json`, its full training config in the schema
    /// of `icl train`'s `config.json` (`suffix` is empty or `-name`).
    static func modelFiles(_ model: LSAModel, config: LSATrainingConfig, suffix: String) throws -> [(name: String, bytes: Data)] {
        [("model\(suffix).safetensors", RunDirectory.weightsFile(model, step: config.steps)),
         ("config\(suffix).json", Data((try JSONStyle.text(config) + "\n").utf8))]
    }

    /// Trains `config` to the end, calling `evaluate(step, model)` at step 0, every `every` steps
    /// and at the end, and `progress` and `onStep(loss)` after each step.
    static func train(_ config: LSATrainingConfig, every: Int, label: String = "", progress: (ProgressEvent) -> Void,
                      evaluate: (Int, LSAModel) -> Void = { _, _ in },
                      onStep: (Double) -> Void = { _ in }) throws -> (model: LSAModel, seconds: Double) {
        let trainer = try Trainer(config)
        let start = Date()
        evaluate(0, trainer.model)
        try trainer.run { record, _ in
            onStep(record.loss)
            progress(.training(label, step: trainer.step, of: config.steps, loss: record.loss))
            if trainer.step % every == 0 || trainer.isFinished { evaluate(trainer.step, trainer.model) }
        }
        return (trainer.model, Date().timeIntervalSince(start))
    }

    /// The gauge-normalised `W_K^T W_Q` and `P W_V` of a trained head beside a reference's, as one
    /// figure on one colour scale.
    static func weightFigure(trained: FoldedLSA, reference: FoldedLSA, referenceName: String, title: String) -> String {
        let D = trained.shape.tokenDimension
        let t = trained.gaugeNormalized(layer: 0, head: 0), r = reference.gaugeNormalized(layer: 0, head: 0)
        return MatrixGrid(title: title,
                          subtitle: "gauge: (M, V) -> (M/c, cV) with tr M_xx > 0 and max|M| = max|V|; tokens (x, y), last row/column = y",
                          panels: [
                            MatrixGrid.Panel(title: "trained W_K^T W_Q", rows: D, cols: D, values: t.keyQuery.elements),
                            MatrixGrid.Panel(title: "\(referenceName) W_K^T W_Q", rows: D, cols: D, values: r.keyQuery.elements),
                            MatrixGrid.Panel(title: "trained P W_V", rows: D, cols: D, values: t.projectionValue.elements),
                            MatrixGrid.Panel(title: "\(referenceName) P W_V", rows: D, cols: D, values: r.projectionValue.elements),
                          ]).svg
    }

    /// `(a + b)/2` of two one-layer, one-head models after bringing both to the same gauge.
    static func interpolated(_ a: FoldedLSA, _ b: FoldedLSA) -> FoldedLSA {
        let x = a.gaugeNormalized(layer: 0, head: 0), y = b.gaugeNormalized(layer: 0, head: 0)
        var f = a
        f.setKeyQueryMatrix(0.5 * (x.keyQuery + y.keyQuery), layer: 0, head: 0)
        f.setProjectionValueMatrix(0.5 * (x.projectionValue + y.projectionValue), layer: 0, head: 0)
        return f
    }
}
