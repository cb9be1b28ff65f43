import Linalg

/// The factors of an LSA stack read from a file, in the documented convention (REFERENCE.md
/// section 1, tokens as columns): per layer and head `W_K`, `W_Q` (`k x D`), `W_V` (`v x D`)
/// and `P` (`D x v`), so `M = W_K^T W_Q` and `V = P W_V` are `D x D` whatever the head sizes.
public struct LSAFactors: Sendable, Equatable {
    public struct Head: Sendable, Equatable {
        public var key, query, value, projection: Matrix<Double>
        public init(key: Matrix<Double>, query: Matrix<Double>, value: Matrix<Double>, projection: Matrix<Double>) {
            (self.key, self.query, self.value, self.projection) = (key, query, value, projection)
        }
    }

    /// `layers[k][h]`.
    public var layers: [[Head]]
    /// `D = d + d_y`.
    public var tokenDimension: Int
    /// The layout the names were read in.
    public var layout: WeightLayout
    /// Tensors of the file that no factor came from.
    public var unused: [String]

    /// Limits of what is read (a factor's side; layers x heads x D^2 of the folded products), so
    /// a file of a few bytes with zero-size factors cannot ask for gigabytes.
    public static let maxTokenDimension = 4096, maxFoldedEntries = 1 << 24
}

/// The ways published code names and lays out an LSA's weights. `documented` is this project's
/// (`layers.{k}.heads.{h}.W_K|W_Q|W_V|P`, tokens as columns, `y = W x`; `--transpose` reads
/// weights saved for tokens as rows, `y = x W`). The presets convert:
///
/// - `von-oswald-haiku`: von Oswald et al.'s Haiku transformer (`transformers_learn_icl_by_gd`),
///   its params dict flattened as `module/param`: `transformer/multi_head_attention/{query,key,value}/w`
///   (`[D, H k]`) and `.../linear/w` (`[H v, D]`), tokens as rows (`x @ w`), heads side by side
///   in the columns. `multi_head_attention` is their `deq` model, one block applied `--layers`
///   times; `transformer/layer_{k}/...` is one block per layer. Head `h`: `W_Q = query[:, h]^T`,
///   `W_K = key[:, h]^T`, `W_V = value[:, h]^T`, `P = linear[h, :]^T`.
/// - `torch-linear-attention`: a PyTorch module of `nn.Linear`s without bias,
///   `layers.{k}.attn.{q,k,v}_proj.weight` (`[H k, D]`, `y = x W^T`, which is `W` for tokens as
///   columns: no transpose) and `layers.{k}.attn.o_proj.weight` (`[D, H v]`). Head `h`: rows
///   `h k ..< (h+1) k` of `q, k, v`; columns `h v ..< (h+1) v` of `o` as `P`.
/// - `gd-plus-plus`: the reduced GD++ form `layers.{k}.heads.{h}.Gamma`, `Omega` (`d x d`),
///   `rho` (`d_y x d_y`): `W_K = [[I,0],[0,0]]`, `W_Q = [[Gamma,0],[0,0]]`, `W_V = [[Omega,0],[0,rho]]`, `P = I`.
public enum WeightLayout: String, Sendable, CaseIterable {
    case documented
    case vonOswaldHaiku = "von-oswald-haiku"
    case torchLinearAttention = "torch-linear-attention"
    case gdPlusPlus = "gd-plus-plus"

    /// What the layout is, in a few words.
    public var summary: String {
        switch self {
        case .documented: "layers.{k}.heads.{h}.W_K|W_Q|W_V|P (tokens as columns)"
        case .vonOswaldHaiku: "von Oswald et al.'s Haiku parameters (transformer/.../query/w, [in, out], tokens as rows)"
        case .torchLinearAttention: "PyTorch linear attention (layers.{k}.attn.q_proj.weight, nn.Linear [out, in])"
        case .gdPlusPlus: "reduced GD++ (layers.{k}.heads.{h}.Gamma, Omega, rho)"
        }
    }
}

/// How to read a file's names: renames first (`--map`), then a layout (detected when `nil`).
public struct LayoutOptions: Sendable {
    public var maps: [(from: NamePattern, to: NamePattern)] = []
    public var layout: WeightLayout?
    /// Every documented factor transposed (weights saved for tokens as rows, `x @ W`).
    public var transpose = false
    /// Heads side by side in one tensor (the presets): how many. Default 1.
    public var heads: Int?
    /// Layers of a model whose one block is applied repeatedly (Haiku's `deq`). Default 1.
    public var layers: Int?
    /// `d_y`, for splitting `D = d + d_y` (default 1).
    public var outputDimension = 1
    public init() {}
}

/// Tensors that do not make an LSA stack in the layout asked for.
public struct LayoutError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension LSAFactors {
    /// The factors in `tensors`, read as `options` say.
    public init(tensors original: [String: SafeTensors.Tensor], options: LayoutOptions) throws(LayoutError) {
        let tensors = try Self.renamed(original, maps: options.maps)
        let layout: WeightLayout
        if let chosen = options.layout { layout = chosen } else { layout = try Self.detect(tensors, mapped: !options.maps.isEmpty) }
        if options.heads != nil && (layout == .documented || layout == .gdPlusPlus) {
            throw LayoutError("--heads splits heads laid side by side (the presets von-oswald-haiku and torch-linear-attention); the \(layout.rawValue) layout names each head")
        }
        if options.transpose && layout != .documented {
            throw LayoutError("--transpose applies to the documented layout; the preset \(layout.rawValue) already knows its orientation")
        }
        for (name, t) in tensors where !t.values.allSatisfy(\.isFinite) {
            throw LayoutError("tensor '\(name.escapingControlCharacters)' holds a non-finite value")
        }
        var reader = TensorReader(tensors: tensors)
        switch layout {
        case .documented: layers = try reader.documented(transpose: options.transpose)
        case .vonOswaldHaiku: layers = try reader.haiku(heads: options.heads ?? 1, repeats: options.layers)
        case .torchLinearAttention: layers = try reader.torch(heads: options.heads ?? 1)
        case .gdPlusPlus: layers = try reader.gdPlusPlus(outputDimension: options.outputDimension)
        }
        if let repeats = options.layers, layout != .vonOswaldHaiku || reader.perLayerHaiku {
            guard repeats == layers.count else {
                throw LayoutError("--layers \(repeats) repeats one shared block, but the file holds \(layers.count) layers of their own")
            }
        }
        tokenDimension = layers[0][0].key.cols
        let folded = layers.count * layers[0].count * tokenDimension * tokenDimension
        guard tokenDimension <= Self.maxTokenDimension, folded <= Self.maxFoldedEntries else {
            throw LayoutError("the model has \(layers.count) layers of \(layers[0].count) heads on tokens of size D = \(tokenDimension): \(folded) folded entries, above the \(Self.maxFoldedEntries) read (D at most \(Self.maxTokenDimension))")
        }
        self.layout = layout
        unused = tensors.keys.filter { !reader.used.contains($0) }.sorted()
    }

    /// `tensors` with every name that matches a map's `from` renamed to its `to` (the first map that matches).
    static func renamed(_ tensors: [String: SafeTensors.Tensor], maps: [(from: NamePattern, to: NamePattern)]) throws(LayoutError) -> [String: SafeTensors.Tensor] {
        guard !maps.isEmpty else { return tensors }
        var out: [String: SafeTensors.Tensor] = [:], source: [String: String] = [:]
        for name in tensors.keys.sorted() {
            var target = name
            for map in maps { if let m = map.from.match(name) { target = map.to.filled(layer: m.layer, head: m.head); break } }
            if let other = source[target] {
                throw LayoutError("'\(other.escapingControlCharacters)' and '\(name.escapingControlCharacters)' both become '\(target.escapingControlCharacters)' under --map")
            }
            source[target] = name
            out[target] = tensors[name]
        }
        return out
    }

    /// The layout whose names the file holds, or an error listing the names and the flags that map them.
    static func detect(_ tensors: [String: SafeTensors.Tensor], mapped: Bool) throws(LayoutError) -> WeightLayout {
        let probes: [(WeightLayout, NamePattern)] = [
            (.documented, NamePattern("layers.{k}.heads.{h}.W_Q")!),
            (.gdPlusPlus, NamePattern("layers.{k}.heads.{h}.Gamma")!),
            (.torchLinearAttention, NamePattern("layers.{k}.attn.q_proj.weight")!),
            (.vonOswaldHaiku, NamePattern("transformer/multi_head_attention/query/w")!),
            (.vonOswaldHaiku, NamePattern("transformer/layer_{k}/query/w")!),
        ]
        for (layout, probe) in probes where tensors.keys.contains(where: { probe.match($0) != nil }) { return layout }
        let names = tensors.keys.sorted()
        let shown = names.prefix(12).map { "'\($0.escapingControlCharacters)' \(tensors[$0]!.shape)" }.joined(separator: ", ")
        throw LayoutError("the file's \(names.count) tensors (\(shown)\(names.count > 12 ? ", ..." : "")) match no known layout"
            + (mapped ? " after --map" : "")
            + "; rename them with --map 'OLD=layers.{k}.heads.{h}.W_Q' (one per factor W_K, W_Q, W_V, P; add --transpose for x @ W weights)"
            + " or choose --preset \(WeightLayout.allCases.dropFirst().map(\.rawValue).joined(separator: "|"))")
    }
}

/// Reads factors by name, remembering which tensors it used.
struct TensorReader {
    let tensors: [String: SafeTensors.Tensor]
    var used: Set<String> = []
    var perLayerHaiku = false

    mutating func matrix(_ name: String) throws(LayoutError) -> Matrix<Double> {
        guard let t = tensors[name] else { throw LayoutError("the file lacks tensor '\(name.escapingControlCharacters)'") }
        guard t.shape.count == 2 else { throw LayoutError("tensor '\(name.escapingControlCharacters)' has shape \(t.shape), not a matrix") }
        guard t.shape.allSatisfy({ $0 <= LSAFactors.maxTokenDimension }) else {
            throw LayoutError("tensor '\(name.escapingControlCharacters)' has shape \(t.shape); factors of an LSA are read up to \(LSAFactors.maxTokenDimension) a side")
        }
        used.insert(name)
        return Matrix(rows: t.shape[0], cols: t.shape[1], elements: t.values)
    }

    /// Layer (and head) numbers present for a pattern: `0..<count`, or an error naming the gap.
    func count(_ pattern: NamePattern, layer: Int? = nil, what: String) throws(LayoutError) -> Int {
        var numbers: Set<Int> = []
        for name in tensors.keys {
            guard let m = pattern.match(name) else { continue }
            if let layer, m.layer != layer { continue }
            if let n = pattern.usesHead && layer != nil ? m.head : m.layer { numbers.insert(n) }
        }
        guard let top = numbers.max() else { throw LayoutError("the file has no tensor named like '\(pattern)'") }
        for n in 0...top where !numbers.contains(n) {
            throw LayoutError("the file has \(what) up to \(top) but lacks \(what) \(n) ('\(pattern.filled(layer: layer ?? n, head: layer == nil ? nil : n))')")
        }
        return top + 1
    }

    mutating func documented(transpose: Bool) throws(LayoutError) -> [[LSAFactors.Head]] {
        let layerCount = try count(NamePattern("layers.{k}.heads.{h}.W_Q")!, what: "layer")
        var layers: [[LSAFactors.Head]] = []
        for k in 0..<layerCount {
            let heads = try count(NamePattern("layers.{k}.heads.{h}.W_Q")!, layer: k, what: "head")
            var layer: [LSAFactors.Head] = []
            for h in 0..<heads {
                var m: [Matrix<Double>] = []
                for factor in LSATensorNames.Factor.allCases {
                    let x = try matrix(LSATensorNames.name(layer: k, head: h, factor))
                    m.append(transpose ? x.transposed : x)
                }
                layer.append(try Self.checked(LSAFactors.Head(key: m[0], query: m[1], value: m[2], projection: m[3]), "layers.\(k).heads.\(h)"))
            }
            layers.append(layer)
        }
        return try Self.consistent(layers)
    }

    mutating func haiku(heads: Int, repeats: Int?) throws(LayoutError) -> [[LSAFactors.Head]] {
        let shared = "transformer/multi_head_attention"
        let blocks: [String]
        if tensors["\(shared)/query/w"] != nil {
            blocks = Array(repeating: shared, count: repeats ?? 1)
        } else if !tensors.keys.contains(where: { NamePattern("transformer/layer_{k}/query/w")!.match($0) != nil }) {
            let names = tensors.keys.sorted()
            throw LayoutError("the file has neither '\(shared)/query/w' (one block) nor 'transformer/layer_{k}/query/w' (a block per layer); it holds "
                + names.prefix(8).map { "'\($0.escapingControlCharacters)'" }.joined(separator: ", ") + (names.count > 8 ? ", ..." : ""))
        } else {
            perLayerHaiku = true
            let n = try count(NamePattern("transformer/layer_{k}/query/w")!, what: "layer")
            blocks = (0..<n).map { "transformer/layer_\($0)" }
        }
        for name in tensors.keys where name.hasPrefix("transformer/") && (name.hasSuffix("/b") || name.contains("norm")) {
            throw LayoutError("tensor '\(name.escapingControlCharacters)' is a bias or a layer norm: only attention without biases or norms is linear self-attention")
        }
        var layers: [[LSAFactors.Head]] = []
        for (k, block) in blocks.enumerated() {
            let q = try matrix("\(block)/query/w"), key = try matrix("\(block)/key/w"), v = try matrix("\(block)/value/w")
            let o = try matrix("\(block)/linear/w")
            layers.append(try Self.split(query: q.transposed, key: key.transposed, value: v.transposed, projection: o.transposed,
                                         heads: heads, label: "layer \(k) (\(block))"))
        }
        return try Self.consistent(layers)
    }

    mutating func torch(heads: Int) throws(LayoutError) -> [[LSAFactors.Head]] {
        let n = try count(NamePattern("layers.{k}.attn.q_proj.weight")!, what: "layer")
        for name in tensors.keys where name.hasSuffix(".bias") {
            throw LayoutError("tensor '\(name.escapingControlCharacters)' is a bias: only attention without biases is linear self-attention")
        }
        var layers: [[LSAFactors.Head]] = []
        for k in 0..<n {
            let prefix = "layers.\(k).attn"
            layers.append(try Self.split(query: matrix("\(prefix).q_proj.weight"), key: matrix("\(prefix).k_proj.weight"),
                                         value: matrix("\(prefix).v_proj.weight"), projection: matrix("\(prefix).o_proj.weight"),
                                         heads: heads, label: "layer \(k)"))
        }
        return try Self.consistent(layers)
    }

    mutating func gdPlusPlus(outputDimension: Int) throws(LayoutError) -> [[LSAFactors.Head]] {
        let layerCount = try count(NamePattern("layers.{k}.heads.{h}.Gamma")!, what: "layer")
        var layers: [[LSAFactors.Head]] = []
        for k in 0..<layerCount {
            let heads = try count(NamePattern("layers.{k}.heads.{h}.Gamma")!, layer: k, what: "head")
            var layer: [LSAFactors.Head] = []
            for h in 0..<heads {
                let prefix = "layers.\(k).heads.\(h)"
                let gamma = try matrix("\(prefix).Gamma"), omega = try matrix("\(prefix).Omega"), rho = try matrix("\(prefix).rho")
                let d = gamma.rows, dy = rho.rows
                guard gamma.cols == d, omega.rows == d, omega.cols == d, rho.cols == dy else {
                    throw LayoutError("\(prefix): Gamma \(gamma.rows)x\(gamma.cols), Omega \(omega.rows)x\(omega.cols), rho \(rho.rows)x\(rho.cols) are not d x d, d x d, d_y x d_y")
                }
                let zx = Matrix<Double>.zeros(d, dy), zy = Matrix<Double>.zeros(dy, d), zyy = Matrix<Double>.zeros(dy, dy)
                layer.append(LSAFactors.Head(key: Matrix(blocks: [[.identity(d), zx], [zy, zyy]]), query: Matrix(blocks: [[gamma, zx], [zy, zyy]]),
                                             value: Matrix(blocks: [[omega, zx], [zy, rho]]), projection: .identity(d + dy)))
            }
            layers.append(layer)
        }
        return try Self.consistent(layers)
    }

    /// Heads side by side: `query`, `key` (`H k x D`) and `value` (`H v x D`) by rows, `projection` (`D x H v`) by columns.
    static func split(query: Matrix<Double>, key: Matrix<Double>, value: Matrix<Double>, projection: Matrix<Double>,
                      heads: Int, label: String) throws(LayoutError) -> [LSAFactors.Head] {
        guard query.rows % heads == 0, value.rows % heads == 0, key.rows == query.rows, projection.cols == value.rows else {
            throw LayoutError("\(label): query \(query.rows) x \(query.cols), key \(key.rows) x \(key.cols), value \(value.rows) x \(value.cols), projection \(projection.rows) x \(projection.cols) (tokens as columns) do not split into \(heads) heads")
        }
        let k = query.rows / heads, v = value.rows / heads, D = query.cols
        var out: [LSAFactors.Head] = []
        for h in 0..<heads {
            out.append(try checked(LSAFactors.Head(key: key.block(rows: (h * k)..<((h + 1) * k), cols: 0..<D),
                                        query: query.block(rows: (h * k)..<((h + 1) * k), cols: 0..<D),
                                        value: value.block(rows: (h * v)..<((h + 1) * v), cols: 0..<value.cols),
                                        projection: projection.block(rows: 0..<projection.rows, cols: (h * v)..<((h + 1) * v))), "\(label), head \(h)"))
        }
        return out
    }

    /// A head whose factors multiply: `W_K`, `W_Q` both `k x D`, `W_V` `v x D`, `P` `D x v`.
    static func checked(_ head: LSAFactors.Head, _ label: String) throws(LayoutError) -> LSAFactors.Head {
        let D = head.key.cols
        guard head.query.rows == head.key.rows, head.query.cols == D, head.value.cols == D, head.projection.rows == D,
              head.projection.cols == head.value.rows else {
            throw LayoutError("\(label): W_K \(head.key.rows)x\(head.key.cols), W_Q \(head.query.rows)x\(head.query.cols), W_V \(head.value.rows)x\(head.value.cols), P \(head.projection.rows)x\(head.projection.cols) do not make W_K^T W_Q and P W_V (D x D; weights saved for x @ W need --transpose)")
        }
        return head
    }

    /// Every layer with the same token size and head count.
    static func consistent(_ layers: [[LSAFactors.Head]]) throws(LayoutError) -> [[LSAFactors.Head]] {
        let D = layers[0][0].key.cols, H = layers[0].count
        for (k, layer) in layers.enumerated() {
            guard layer.count == H else { throw LayoutError("layer \(k) has \(layer.count) heads, layer 0 has \(H)") }
            for head in layer where head.key.cols != D { throw LayoutError("layer \(k) works on tokens of size \(head.key.cols), layer 0 on \(D)") }
        }
        return layers
    }
}
