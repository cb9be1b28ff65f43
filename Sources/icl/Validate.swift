import ArgumentParser
import Experiments
import Foundation
import Weights

extension WeightLayout: ExpressibleByArgument {}
extension ValidateRequest.Against: ExpressibleByArgument {}
extension ValidateRequest.Inputs: ExpressibleByArgument {}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Judge an LSA trained anywhere (PyTorch, JAX, icl train) against the construction it should have learned.",
        discussion: """
        Reads the weights file (safetensors in F64, F32, F16 or BF16; NumPy .npy, or .npz from np.savez or np.savez_compressed; the format is told by the file's first bytes), reads the layer and head counts and D = d + 1 off the tensors, draws --tasks validation and --tasks test tasks (d, N; x ~ U(-1/2, 1/2)^d or N(0, I), w ~ N(0, I), no noise), fits the construction on the validation tasks (one GD step: eta* by exact least squares; K layers: K GD or GD++ steps fitted by Levenberg-Marquardt from 16 seeded starts) and compares on the test tasks: trained loss, construction loss, zero-predictor loss (half MSE), preds diff = mean |yhat - yhat_construction|, model cos = mean cosine of the exact sensitivities d yhat/d x_q, model diff = their mean distance; for one layer also Gamma_eff = -N v_yy M_xx^T against eta* I (uniform inputs) or the optimal Gamma_0 (Gaussian). The verdict: the model implements the construction when model cos >= 0.99 and its loss is at most 2% above the construction's.

        Names and layouts (tokens e = (x, y) as columns; each layer e_j += sum_h P W_V E (E^T W_K^T W_Q e_j) over the context tokens E; prediction = minus the query's y). Without --preset the layout is detected from the names. Models written by icl train carry d, N, the token clip and query-in-context in their metadata; flags override them.
          layers.{k}.heads.{h}.W_K|W_Q|W_V|P
              the documented layout (what icl train writes)
          --transpose
              weights saved for tokens as rows (x @ W, Haiku's [in, out]);
              nn.Linear's [out, in] (y = x W^T) needs none
          --map OLD=NEW
              rename, with {k} (layer) and {h} (head), e.g.
              --map 'blocks.{k}.wq=layers.{k}.heads.0.W_Q'; or a JSON file
          --preset von-oswald-haiku
              von Oswald et al.'s code: transformer/multi_head_attention/
              query/w, key/w, value/w, linear/w ([in, out]); their deq
              model is one block: --layers repeats it
          --preset torch-linear-attention
              layers.{k}.attn.q_proj.weight, k_proj, v_proj, o_proj
              (nn.Linear, no bias; --heads splits them)
          --preset gd-plus-plus
              layers.{k}.heads.{h}.Gamma, Omega (d x d), rho (d_y x d_y)

        JSON: {"layers", "heads", "trainedLoss", "constructionLoss", "zeroLoss", "etaStar", "predsDiff", "modelCos", "modelDiff", "verdict"} (the contract), plus matches, relativeGap, construction, constructionEtas/Gammas, preconditioner, preconditionerError, requirements, file, format, layout, unusedTensors, d, N, tasks, seed.

        CI gate: --require KEY>=BOUND (also <=, >, <), BOUND a number, a key, or NUMBER*KEY; keys: \(Requirement.keys.joined(separator: ", ")). Exit 1 when one fails, naming it; --junit FILE writes one test case per requirement.

        Examples:
          icl validate --weights model.safetensors
          icl validate --weights params.npz --preset von-oswald-haiku --out report/
          icl validate --weights model.safetensors --require modelCos>=0.99 \\
            --require 'trainedLoss<=1.02*constructionLoss' --junit validate.xml
        """)

    @Option(help: "The weights file (.safetensors, .npy, .npz).") var weights: String
    @Option(parsing: .singleValue, help: ArgumentHelp("Rename tensors: OLD=NEW with {k} and {h}, or a JSON file of {\"OLD\": \"NEW\"} (repeatable).", valueName: "OLD=NEW|FILE"))
    var map: [String] = []
    @Option(help: "The layout of a published code base (\(WeightLayout.allCases.map(\.rawValue).joined(separator: ", "))); default: detected.")
    var preset: WeightLayout?
    @Flag(help: "Transpose every factor of the documented layout (weights saved for tokens as rows, x @ W).") var transpose = false
    @Option(parsing: .unconditional, help: "Heads side by side in one tensor (the presets; default 1).") var heads: Int?
    @Option(parsing: .unconditional, help: "Layers of a model that applies one block repeatedly (von Oswald's deq; default 1).") var layers: Int?
    @Option(name: .customLong("d"), parsing: .unconditional, help: "Input dimension d (default: the metadata, else D - 1).") var inputDimension: Int?
    @Option(name: .customLong("N"), parsing: .unconditional, help: "Context examples per task (default: the metadata, else 10).") var contextCount: Int?
    @Flag(help: "The query is a key and a value too (default: the metadata, else not).") var queryInContext = false
    @Option(name: .customLong("token-clip"), parsing: .unconditional, help: "Clip token entries to [-c, c] after each layer (default: the metadata, else none).")
    var tokenClip: Real?
    @Option(help: "Input distribution of the tasks: uniform (U(-1/2, 1/2)^d) or gaussian (N(0, I)).") var input: ValidateRequest.Inputs = .uniform
    @Option(help: "The construction: gd (K steps, eta* for one), gd-plus-plus, multistep (the better of the two).") var against: ValidateRequest.Against = .gd
    @Option(parsing: .unconditional, help: "Validation tasks and test tasks, each (2...10000000).") var tasks: Int = 10_000
    @Option(parsing: .unconditional, help: "Seed of the validation and test tasks and of the fits' starts.") var seed: UInt64 = 1
    @Option(parsing: .singleValue, help: ArgumentHelp("A condition for the exit code: KEY>=BOUND, e.g. modelCos>=0.99 (repeatable).", valueName: "KEY OP BOUND"))
    var require: [String] = []
    @Option(help: "Write a JUnit XML report (one test case per requirement) to this file.") var junit: String?
    @Option(help: "Output directory: report.html (table and heatmaps), weights.svg, summary.json.") var out: String?
    @Flag(help: "Print the summary as JSON.") var json = false

    func validate() throws {
        guard (2...10_000_000).contains(tasks) else { throw ValidationError("--tasks must be in 2...10000000, got \(tasks)") }
        if let heads { guard (1...4096).contains(heads) else { throw ValidationError("--heads must be in 1...4096, got \(heads)") } }
        if let layers { guard (1...4096).contains(layers) else { throw ValidationError("--layers must be in 1...4096, got \(layers)") } }
        if let inputDimension { guard inputDimension >= 1 else { throw ValidationError("--d must be at least 1, got \(inputDimension)") } }
        if let contextCount { guard (1...1_000_000).contains(contextCount) else { throw ValidationError("--N must be in 1...1000000, got \(contextCount)") } }
        if let tokenClip { guard tokenClip.value > 0 else { throw ValidationError("--token-clip must be positive, got \(tokenClip.value)") } }
        if transpose, let preset, preset != .documented {
            throw ValidationError("--transpose applies to the documented layout; the preset \(preset.rawValue) knows its orientation")
        }
        for r in require { do { _ = try Requirement(parsing: r) } catch { throw ValidationError("--require \(error)") } }
    }

    func run() throws {
        var request = ValidateRequest(weightsPath: weights)
        request.layout.maps = try map.flatMap { try Self.maps($0) }
        request.layout.layout = preset
        request.layout.transpose = transpose
        request.layout.heads = heads
        request.layout.layers = layers
        request.inputDimension = inputDimension
        request.contextCount = contextCount
        if queryInContext { request.queryInContext = true }
        request.tokenClip = tokenClip?.value
        request.inputs = input
        request.against = against
        request.tasks = tasks
        request.seed = seed
        request.requirements = try require.map { try Requirement(parsing: $0) }
        request.directory = out
        if let junit {
            if let out {
                let (j, o) = (URL(fileURLWithPath: junit).standardizedFileURL.path, URL(fileURLWithPath: out).standardizedFileURL.path)
                guard j != o && !j.hasPrefix(o + "/") else {
                    throw InputError("--junit '\(junit)' lies in the --out directory '\(out)', which is written as a whole; put it beside")
                }
            }
            try Self.checkWritable(junit, flag: "--junit")
        }
        let display = ProgressDisplay()
        let start = Date()
        let report: ValidateReport
        do { report = try ValidateRun.run(request) { display.show($0) } }
        catch let error as ValidateInputError { display.finish(); throw InputError(error.description) }
        catch let error as OutputError { display.finish(); throw outputFailure("--out", error) }
        display.finish()
        if let junit {
            let url = URL(fileURLWithPath: junit)
            do {
                try writeAtomically(directory: url.deletingLastPathComponent().path,
                                    files: [(url.lastPathComponent, ValidateRun.junit(report, seconds: Date().timeIntervalSince(start)).xml)])
            } catch { throw outputFailure("--junit", error) }
        }
        try emit(report, json: json, text: report.text)
        let failed = report.requirements.filter { !$0.holds }
        if !failed.isEmpty {
            throw RunFailure("requirements failed: " + failed.map { "\($0.requirement) (\($0.value) vs \($0.bound))" }.joined(separator: "; "))
        }
    }

    /// Refuses, before any work, a report path whose directory does not exist or that names a directory.
    static func checkWritable(_ path: String, flag: String) throws {
        var isDirectory: ObjCBool = false
        let parent = parentPath(path), directory = parent.isEmpty ? "." : parent
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError("\(flag) '\(path)': the directory '\(directory)' does not exist")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputError("\(flag) '\(path)' is a directory")
        }
        guard access(directory, W_OK | X_OK) == 0 else { throw InputError("\(flag) '\(path)': the directory '\(directory)' is not writable") }
    }

    /// One `--map` value: `OLD=NEW`, or a JSON file of `{"OLD": "NEW"}` pairs (applied in key order).
    static func maps(_ text: String) throws -> [(from: NamePattern, to: NamePattern)] {
        var pairs: [(String, String)] = []
        if let eq = text.firstIndex(of: "=") {
            pairs = [(String(text[..<eq]), String(text[text.index(after: eq)...]))]
        } else {
            guard let data = FileManager.default.contents(atPath: text) else {
                throw InputError("--map '\(text)' is neither OLD=NEW nor a readable JSON file")
            }
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: String] else {
                throw InputError("--map '\(text)': the file is not a JSON object of strings {\"OLD\": \"NEW\"}")
            }
            pairs = object.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
        return try pairs.map { old, new in
            guard !old.isEmpty, let from = NamePattern(old), let to = NamePattern(new) else {
                throw InputError("--map '\(old)=\(new)': a pattern is empty, has a placeholder other than {k} and {h}, or two placeholders in a row")
            }
            guard (!to.usesLayer || from.usesLayer) && (!to.usesHead || from.usesHead) else {
                throw InputError("--map '\(old)=\(new)': NEW uses a placeholder OLD does not match")
            }
            return (from, to)
        }
    }
}
