import Constructions
import Linalg

/// What `icl construct` builds: the LSA weights that run GD (Proposition 1, K layers, or
/// GD++) on a given instance, and the query prediction from the LSA forward pass and from
/// GD, which must agree.
public struct ConstructRequest: Sendable {
    /// The learning rate (overrides the file's `eta`; default 1/10 when neither is given).
    public var eta: Rational?
    /// K layers = K steps.
    public var layers = 1
    /// Build the GD++ layer (von Oswald A.10) with curvature step `gamma` (or the file's).
    public var plusPlus = false
    public var gamma: Rational?
    /// Ignore the file's preconditioner.
    public var ignorePreconditioner = false
    /// Compute in exact rationals instead of `Double`.
    public var exact = false

    public init() {}
}

/// The weights per layer and both predictions; entries are numbers or exact `"p/q"`.
public struct ConstructReport: Encodable, Sendable {
    public struct LayerWeights: Encodable, Sendable {
        public var WK: [[JSONScalar]]
        public var WQ: [[JSONScalar]]
        public var WV: [[JSONScalar]]
        public var P: [[JSONScalar]]
    }

    public struct Prediction: Encodable, Sendable {
        /// Minus the query's y-part after the last layer.
        public var lsa: [JSONScalar]
        /// `W_K x_q` after K steps of (preconditioned) GD, or one step for GD++.
        public var gd: [JSONScalar]
    }

    public var weights: [LayerWeights]
    public var prediction: Prediction

    /// Builds the construction for `file` as `request` says. `progress(done, total)` is called
    /// after each layer of the forward pass and after the GD side (`total = layers + 1`).
    /// - Throws: `ConstructError`, among them `.notFinite` when a `Double` result overflows.
    public init(_ file: InstanceFile, _ request: ConstructRequest,
                progress: (Int, Int) -> Void = { _, _ in }) throws(ConstructError) {
        var file = file
        if let eta = request.eta { file.eta = eta }
        if let gamma = request.gamma { file.gamma = gamma }
        if request.ignorePreconditioner { file.preconditioner = nil }
        guard file.eta != .zero else { throw .zeroLearningRate }
        guard request.layers >= 1 else { throw .noLayers }
        let plusPlusGamma: Rational?
        if request.plusPlus {
            guard let g = file.gamma else { throw .plusPlusNeedsGamma }
            guard request.layers == 1 else { throw .plusPlusIsOneLayer }
            plusPlusGamma = g
        } else {
            plusPlusGamma = nil
        }
        if request.exact {
            self = Self.build(file, layers: request.layers, plusPlusGamma: plusPlusGamma, scalar: { $0 }, entry: { .exact($0.description) },
                              progress: progress)
        } else {
            self = Self.build(file, layers: request.layers, plusPlusGamma: plusPlusGamma, scalar: { $0.doubleValue }, entry: { .number($0) },
                              progress: progress)
            try checkFinite(layers: request.layers)
        }
    }

    /// A `Double` construction whose numbers overflowed is an error, never a printed result.
    func checkFinite(layers: Int) throws(ConstructError) {
        func finite(_ entries: [JSONScalar]) -> Bool {
            entries.allSatisfy { if case .number(let x) = $0 { x.isFinite } else { true } }
        }
        for (k, layer) in weights.enumerated() {
            for (name, m) in [("W_K", layer.WK), ("W_Q", layer.WQ), ("W_V", layer.WV), ("P", layer.P)] where !finite(m.flatMap { $0 }) {
                throw .notFinite(quantity: "\(name) of layer \(k + 1)", layers: layers)
            }
        }
        if !finite(prediction.lsa) { throw .notFinite(quantity: "the LSA prediction", layers: layers) }
        if !finite(prediction.gd) { throw .notFinite(quantity: "the GD prediction", layers: layers) }
    }

    /// The construction in scalar type `S`.
    static func build<S: FieldScalar>(_ file: InstanceFile, layers: Int, plusPlusGamma: Rational?,
                                      scalar: (Rational) -> S, entry: (S) -> JSONScalar,
                                      progress: (Int, Int) -> Void) -> ConstructReport {
        let task = file.task.map(scalar)
        let w0 = file.initialWeights.map(scalar)
        let eta = scalar(file.eta ?? Rational(1, 10))
        let n = task.contextCount
        let stack: LSAStack<S>
        let gd: Matrix<S>
        if let plusPlusGamma {
            stack = LSAStack(layers: [LSAConstruction.plusPlus(weights: w0, eta: eta, gamma: scalar(plusPlusGamma), contextCount: n)])
            gd = GradientDescent.step(w0, x: task.x, y: task.y, eta: eta) * task.xQuery
        } else {
            let gammas = Array(repeating: file.preconditioner?.map(scalar), count: layers)
            let etas = Array(repeating: eta, count: layers)
            stack = LSAConstruction.multistep(initialWeights: w0, etas: etas, contextCount: n, preconditioners: gammas)
            gd = GradientDescent.iterates(from: w0, x: task.x, y: task.y, etas: etas, preconditioners: gammas).last! * task.xQuery
        }
        var tokens = task.tokens(initialWeights: w0)
        for (k, layer) in stack.layers.enumerated() {
            tokens = layer(tokens, contextCount: n)
            progress(k + 1, stack.layers.count + 1)
        }
        let lsa = readout(tokens, inputDimension: task.inputDimension)
        progress(stack.layers.count + 1, stack.layers.count + 1)
        func rows(_ m: Matrix<S>) -> [[JSONScalar]] { m.rowArrays.map { $0.map(entry) } }
        let weights = stack.layers.map { layer in
            let head = layer.heads[0]
            return LayerWeights(WK: rows(head.key), WQ: rows(head.query), WV: rows(head.value), P: rows(head.projection))
        }
        return ConstructReport(weights: weights, prediction: Prediction(lsa: lsa.elements.map(entry), gd: gd.elements.map(entry)))
    }

    init(weights: [LayerWeights], prediction: Prediction) {
        self.weights = weights
        self.prediction = prediction
    }

    /// The weights layer by layer and both predictions, for a terminal.
    public var text: String {
        var lines: [String] = []
        for (k, layer) in weights.enumerated() {
            lines.append("layer \(k + 1)")
            for (name, m) in [("W_K", layer.WK), ("W_Q", layer.WQ), ("W_V", layer.WV), ("P", layer.P)] {
                lines.append("  \(name) =")
                lines.append(contentsOf: m.map { "    [" + $0.map(\.description).joined(separator: ", ") + "]" })
            }
        }
        lines.append("prediction (LSA readout): [" + prediction.lsa.map(\.description).joined(separator: ", ") + "]")
        lines.append("prediction (GD):          [" + prediction.gd.map(\.description).joined(separator: ", ") + "]")
        return lines.joined(separator: "\n")
    }
}

/// A construction request that cannot be built.
public enum ConstructError: Error, Equatable, CustomStringConvertible {
    case zeroLearningRate
    case noLayers
    case plusPlusNeedsGamma
    case plusPlusIsOneLayer
    /// A `Double` quantity overflowed (GD diverging over many layers, or entries near 1e308).
    case notFinite(quantity: String, layers: Int)

    public var description: String {
        switch self {
        case .zeroLearningRate: return "eta must be nonzero"
        case .noLayers: return "the number of layers must be at least 1"
        case .plusPlusNeedsGamma: return "GD++ needs gamma (the curvature step)"
        case .plusPlusIsOneLayer: return "GD++ builds one layer"
        case let .notFinite(quantity, layers):
            return "\(quantity) is not finite in floating point (overflow after \(layers) layer\(layers == 1 ? "" : "s"): the iterates "
                + "diverge for this eta, or the entries are too large); use exact arithmetic, fewer layers or a smaller eta"
        }
    }
}
