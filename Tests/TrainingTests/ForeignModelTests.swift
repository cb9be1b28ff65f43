import Foundation
import Linalg
import Testing
import Training
import Weights

/// Models trained elsewhere, read through their layouts and run by this project's kernel: the
/// predictions equal the ones the training framework computed on the same five tasks
/// (Fixtures/validate: von Oswald et al.'s own Haiku code, float32; a PyTorch-style module
/// trained in JAX and saved by the `safetensors` package's NumPy writer, whose predictions were
/// computed in float64 from the stored F32, F16 and BF16 weights).
@Suite struct ForeignModelTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func fixture(_ path: String) -> String { root.appendingPathComponent("Fixtures/validate/\(path)").path }

    struct Predictions: Decodable {
        var d: Int
        var N: Int
        var tokens: [[[Double]]]
        var predictions: [Double]?
        var predictions_f32: [Double]?
        var predictions_bf16: [Double]?
        var predictions_f16: [Double]?
    }

    static func predictions(_ path: String) throws -> Predictions {
        try JSONDecoder().decode(Predictions.self, from: Data(contentsOf: URL(fileURLWithPath: fixture(path))))
    }

    /// Our kernel's predictions for `file` read with `options`, on the fixture's tasks.
    static func ours(_ file: String, _ p: Predictions, options: LayoutOptions = LayoutOptions()) throws -> (predictions: [Double], layout: WeightLayout) {
        let factors = try LSAFactors(tensors: TensorFile(path: fixture(file)).tensors, options: options)
        let model = FoldedLSA(factors, contextCount: p.N)
        #expect(model.shape.inputDimension == p.d)
        let batch = TaskBatch(inputDimension: p.d, outputDimension: 1, contextCount: p.N, taskCount: p.tokens.count,
                              tokens: p.tokens.flatMap { $0.flatMap { $0 } }, targets: [Double](repeating: 0, count: p.tokens.count))
        return (LSAKernel(shape: model.shape).predictions(model, batch), factors.layout)
    }

    /// von Oswald et al.'s trained Haiku model, in each file NumPy and safetensors wrote, gives the
    /// predictions Haiku computed, to float32 accuracy (Haiku ran in float32: a relative 2^-20).
    @Test(arguments: ["params.npz", "params_compressed.npz", "params.safetensors"])
    func vonOswaldHaikuModel(file: String) throws {
        let p = try Self.predictions("vonoswald/predictions.json")
        let want = try #require(p.predictions)
        let (got, layout) = try Self.ours("vonoswald/\(file)", p)
        #expect(layout == .vonOswaldHaiku)
        let scale = want.map(abs).max()!
        for (a, b) in zip(got, want) { #expect(abs(a - b) <= 0x1p-20 * scale, "\(file): \(a) vs Haiku's \(b)") }
    }

    /// The PyTorch-style module in F32, F16 and BF16: the float64 predictions of its stored weights, to rounding.
    @Test(arguments: [("linear_attention_f32.safetensors", "f32"), ("linear_attention_f16.safetensors", "f16"),
                      ("linear_attention_bf16.safetensors", "bf16")])
    func torchModel(file: String, dtype: String) throws {
        let p = try Self.predictions("torch/predictions.json")
        let want = try #require(dtype == "f32" ? p.predictions_f32 : dtype == "f16" ? p.predictions_f16 : p.predictions_bf16)
        let (got, layout) = try Self.ours("torch/\(file)", p)
        #expect(layout == .torchLinearAttention)
        for (a, b) in zip(got, want) { #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "\(file): \(a) vs \(b)") }
    }

    /// Two layers of two heads each, the heads side by side in each tensor (`--heads 2`).
    @Test func twoLayersTwoHeads() throws {
        let p = try Self.predictions("torch/two_layer_two_head_predictions.json")
        var options = LayoutOptions()
        options.heads = 2
        let (got, _) = try Self.ours("torch/two_layer_two_head.safetensors", p, options: options)
        let want = try #require(p.predictions)
        for (a, b) in zip(got, want) { #expect(abs(a - b) <= 1e-12 * max(1e-3, abs(b)), "\(a) vs \(b)") }
        // Read as one head of twice the size, the same tensors make another model.
        let (oneHead, _) = try Self.ours("torch/two_layer_two_head.safetensors", p)
        #expect(zip(oneHead, want).contains { abs($0 - $1) > 1e-6 * abs($1) })
    }

    /// `--map` with placeholders and `--transpose` turn the Haiku names into the documented layout:
    /// the same folded model as the preset; without `--transpose` a different one.
    @Test func mapAndTransposeEqualThePreset() throws {
        let tensors = try TensorFile(path: Self.fixture("vonoswald/params.npz")).tensors
        let preset = FoldedLSA(try LSAFactors(tensors: tensors, options: LayoutOptions()), contextCount: 10)
        var options = LayoutOptions()
        for (theirs, ours) in [("query", "W_Q"), ("key", "W_K"), ("value", "W_V"), ("linear", "P")] {
            options.maps.append((NamePattern("transformer/multi_head_attention/\(theirs)/w")!, NamePattern("layers.0.heads.0.\(ours)")!))
        }
        options.transpose = true
        let mapped = try LSAFactors(tensors: tensors, options: options)
        #expect(mapped.layout == .documented)
        #expect(FoldedLSA(mapped, contextCount: 10) == preset)
        options.transpose = false
        #expect(FoldedLSA(try LSAFactors(tensors: tensors, options: options), contextCount: 10) != preset)
    }

    /// The reduced GD++ names give the GD++ stack they describe.
    @Test func gdPlusPlusPreset() throws {
        let d = 3, shape = LSAShape(inputDimension: d, contextCount: 7, layers: 2)
        let reference = Baselines.gdPlusPlus(shape, etas: [0.7, 1.3], gammas: [0.25, 0])
        var tensors: [String: SafeTensors.Tensor] = [:]
        for (k, (eta, gamma)) in zip([0.7, 1.3], [0.25, 0.0]).enumerated() {
            tensors["layers.\(k).heads.0.Gamma"] = SafeTensors.Tensor(Matrix<Double>.identity(d))
            tensors["layers.\(k).heads.0.Omega"] = SafeTensors.Tensor(-gamma * Matrix<Double>.identity(d))
            tensors["layers.\(k).heads.0.rho"] = SafeTensors.Tensor(shape: [1, 1], values: [-eta / 7])
        }
        let factors = try LSAFactors(tensors: tensors, options: LayoutOptions())
        #expect(factors.layout == .gdPlusPlus)
        #expect(FoldedLSA(factors, contextCount: 7) == reference)
    }

    /// Names that match no layout: the message lists them and the flags that would map them.
    @Test func unknownNamesAreListedWithTheFlags() {
        let tensors = ["encoder.wq": SafeTensors.Tensor(shape: [2, 2], values: [1, 0, 0, 1])]
        do {
            _ = try LSAFactors(tensors: tensors, options: LayoutOptions())
            Issue.record("read")
        } catch {
            for part in ["'encoder.wq' [2, 2]", "--map", "--preset", "--transpose"] { #expect(error.description.contains(part), "\(error)") }
        }
    }

    /// A missing factor, a missing layer, a shape that does not multiply and a bias are each named.
    @Test func incompleteFilesAreNamed() throws {
        let m = SafeTensors.Tensor(Matrix<Double>.identity(3))
        var tensors: [String: SafeTensors.Tensor] = [:]
        for k in [0, 2] { for f in ["W_K", "W_Q", "W_V", "P"] { tensors["layers.\(k).heads.0.\(f)"] = m } }
        #expect(throws: LayoutError("the file has layer up to 2 but lacks layer 1 ('layers.1.heads.{h}.W_Q')")) {
            try LSAFactors(tensors: tensors, options: LayoutOptions())
        }
        tensors["layers.1.heads.0.W_Q"] = m
        #expect(throws: LayoutError("the file lacks tensor 'layers.1.heads.0.W_K'")) { try LSAFactors(tensors: tensors, options: LayoutOptions()) }
        for f in ["W_K", "W_V", "P"] { tensors["layers.1.heads.0.\(f)"] = m }
        tensors["layers.1.heads.0.P"] = SafeTensors.Tensor(shape: [3, 2], values: [Double](repeating: 1, count: 6))
        do { _ = try LSAFactors(tensors: tensors, options: LayoutOptions()); Issue.record("read") } catch {
            #expect(error.description.hasPrefix("layers.1.heads.0: W_K 3x3, W_Q 3x3, W_V 3x3, P 3x2"), "\(error)")
        }
        let torch = ["layers.0.attn.q_proj.weight": m, "layers.0.attn.k_proj.weight": m, "layers.0.attn.v_proj.weight": m,
                     "layers.0.attn.o_proj.weight": m, "layers.0.attn.q_proj.bias": SafeTensors.Tensor(shape: [3], values: [0, 0, 0])]
        do { _ = try LSAFactors(tensors: torch, options: LayoutOptions()); Issue.record("read") } catch {
            #expect(error.description.contains("'layers.0.attn.q_proj.bias' is a bias"), "\(error)")
        }
    }
}
