import Random
import Constructions
import Linalg
import Optim

/// How a trainable LSA stores its weights.
public enum Parameterization: String, Codable, Sendable, CaseIterable {
    /// `W_K, W_Q, W_V, P` per head, each `D x D` (4 D^2 numbers).
    case full
    /// The reduced GD++ form (von Oswald et al. A.10; Ahn et al.'s sparse form with a curvature
    /// block): per head `Gamma` (`d x d`), `Omega` (`d x d`), `rho` (`d_y x d_y`), with
    ///
    ///     M = W_K^T W_Q = [[Gamma, 0], [0, 0]],   V = P W_V = [[Omega, 0], [0, rho]],
    ///
    /// so `x_j <- x_j + Omega X X^T Gamma x_j` and `y_j <- y_j + rho Y X^T Gamma x_j`. GD with
    /// preconditioner `Gamma` is `Omega = 0`, `rho = -eta/N`; GD++ adds `Omega = -gamma I`. As
    /// factors: `W_K = [[I, 0], [0, 0]]`, `W_Q = [[Gamma, 0], [0, 0]]`, `W_V = [[Omega, 0], [0, rho]]`, `P = I`.
    case gdPlusPlus = "gd-plus-plus"
}

/// The architecture of a trainable LSA: sizes, layers, heads, weight sharing across layers,
/// the parameterization, whether the query is a key and value, and the token clip (`LSAShape`).
public struct LSAModelConfig: Codable, Equatable, Sendable {
    public var inputDimension: Int
    public var outputDimension: Int
    public var contextCount: Int
    public var layers: Int
    public var heads: Int
    /// One set of weights used by every layer.
    public var sharedLayers: Bool
    public var parameterization: Parameterization
    public var queryInContext: Bool
    /// Token entries clipped to `[-tokenClip, tokenClip]` after every layer (`nil`: never).
    public var tokenClip: Double?

    public init(inputDimension: Int, outputDimension: Int = 1, contextCount: Int, layers: Int = 1, heads: Int = 1,
                sharedLayers: Bool = false, parameterization: Parameterization = .full, queryInContext: Bool = false,
                tokenClip: Double? = nil) {
        self.inputDimension = inputDimension
        self.outputDimension = outputDimension
        self.contextCount = contextCount
        self.layers = layers
        self.heads = heads
        self.sharedLayers = sharedLayers
        self.parameterization = parameterization
        self.queryInContext = queryInContext
        self.tokenClip = tokenClip
    }

    public var shape: LSAShape {
        LSAShape(inputDimension: inputDimension, outputDimension: outputDimension, contextCount: contextCount,
                 layers: layers, heads: heads, queryInContext: queryInContext, tokenClip: tokenClip)
    }

    public var tokenDimension: Int { inputDimension + outputDimension }
    /// Layers with their own weights: 1 when shared.
    public var distinctLayers: Int { sharedLayers ? 1 : layers }

    /// Parameters of one head.
    public var parametersPerHead: Int {
        let D = tokenDimension, d = inputDimension, dy = outputDimension
        switch parameterization {
        case .full: return 4 * D * D
        case .gdPlusPlus: return 2 * d * d + dy * dy
        }
    }

    public var parameterCount: Int { distinctLayers * heads * parametersPerHead }

    /// Throws unless every size is at least 1 and the full parameter count
    /// `layers x heads x 4 (d + d_y)^2` (at least the GD++ one) is an `Int` (the library's
    /// check; the CLI names the flag).
    public func validate() throws(ModelError) {
        for (name, value) in [("d", inputDimension), ("d_y", outputDimension), ("N", contextCount), ("layers", layers), ("heads", heads)] {
            guard value >= 1 else { throw ModelError("\(name) must be at least 1, got \(value)") }
        }
        var overflow = false
        func times(_ a: Int, _ b: Int) -> Int { let (p, o) = a.multipliedReportingOverflow(by: b); overflow = overflow || o; return p }
        let (D, sumOverflow) = inputDimension.addingReportingOverflow(outputDimension)
        _ = times(times(distinctLayers, heads), times(4, times(D, D)))
        guard !sumOverflow, !overflow else {
            throw ModelError("the model's parameter count layers x heads x 4 (d + d_y)^2 exceeds \(Int.max) (d = \(inputDimension), d_y = \(outputDimension), \(layers) layers, \(heads) heads)")
        }
        if let c = tokenClip, !(c > 0 && c.isFinite) { throw ModelError("the token clip must be a positive finite number, got \(c)") }
    }
}

/// A model configuration or weight file that cannot define a model.
public struct ModelError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A trainable K-layer, H-head LSA: a configuration and one flat parameter buffer (the layout
/// the optimisers of `Optim` update), folded into `M`, `V` for the kernel and differentiated
/// back through the factors:
///
///     M = W_K^T W_Q:  dW_K = W_Q dM^T,  dW_Q = W_K dM;      V = P W_V:  dP = dV W_V^T,  dW_V = P^T dV
///
/// (each `D x D` product; with shared weights the layers' gradients add up).
public struct LSAModel: Sendable, Equatable {
    public let config: LSAModelConfig
    /// Per distinct layer, per head: `W_K, W_Q, W_V, P` (full) or `Gamma, Omega, rho` (GD++), row-major.
    public var parameters: [Double]

    public init(config: LSAModelConfig, parameters: [Double]) {
        precondition(parameters.count == config.parameterCount, "\(config.parameterCount) parameters expected, got \(parameters.count)")
        self.config = config
        self.parameters = parameters
    }

    /// The paper's small initialisation: every weight matrix by Haiku's variance scaling
    /// (`Optim.VarianceScaling`, truncated normal, fan-in = the matrix's columns) with scale
    /// `0.002 / K` by default, drawn from the Philox stream of (`seed`, initialization).
    public static func initialized(_ config: LSAModelConfig, seed: UInt64, scaling: VarianceScaling? = nil) -> LSAModel {
        let scaling = scaling ?? .vonOswald(layers: config.layers)
        var parameters: [Double] = []
        parameters.reserveCapacity(config.parameterCount)
        let D = config.tokenDimension, d = config.inputDimension, dy = config.outputDimension
        let blocks: [(count: Int, fanIn: Int)] = config.parameterization == .full
            ? Array(repeating: (D * D, D), count: 4) : [(d * d, d), (d * d, d), (dy * dy, dy)]
        var item: UInt32 = 0
        for _ in 0..<(config.distinctLayers * config.heads) {
            for block in blocks {
                var stream = PhiloxStream(seed: seed, purpose: .initialization, step: 0, item: item)
                parameters += scaling.weights(count: block.count, fanIn: block.fanIn) { stream.truncatedGaussian() }
                item += 1
            }
        }
        return LSAModel(config: config, parameters: parameters)
    }

    func headOffset(layer: Int, head: Int) -> Int {
        ((config.sharedLayers ? 0 : layer) * config.heads + head) * config.parametersPerHead
    }

    /// The factors `W_K, W_Q, W_V, P` of a head (for the GD++ form, the factors given in `Parameterization`).
    public func head(layer: Int, head: Int) -> LSAHead<Double> {
        let D = config.tokenDimension, d = config.inputDimension, dy = config.outputDimension
        let o = headOffset(layer: layer, head: head)
        func block(_ k: Int, _ rows: Int) -> Matrix<Double> {
            Matrix(rows: rows, cols: rows, elements: Array(parameters[(o + k)..<(o + k + rows * rows)]))
        }
        switch config.parameterization {
        case .full:
            return LSAHead(key: block(0, D), query: block(D * D, D), value: block(2 * D * D, D), projection: block(3 * D * D, D))
        case .gdPlusPlus:
            let gamma = block(0, d), omega = block(d * d, d), rho = block(2 * d * d, dy)
            let selectX = Matrix(blocks: [[Matrix<Double>.identity(d), .zeros(d, dy)], [.zeros(dy, d), .zeros(dy, dy)]])
            return LSAHead(key: selectX,
                           query: Matrix(blocks: [[gamma, .zeros(d, dy)], [.zeros(dy, d), .zeros(dy, dy)]]),
                           value: Matrix(blocks: [[omega, .zeros(d, dy)], [.zeros(dy, d), rho]]),
                           projection: .identity(D))
        }
    }

    /// The model as an `LSAStack` of factors (every layer, shared weights repeated).
    public var stack: LSAStack<Double> {
        LSAStack(layers: (0..<config.layers).map { l in LSALayer(heads: (0..<config.heads).map { head(layer: l, head: $0) }) })
    }

    /// A model from factors (`layers x heads`), e.g. read from a checkpoint. For the GD++ form the
    /// factors must have its structure (`W_K`, `P` fixed, zero blocks zero); with shared weights
    /// every layer must carry the same factors.
    public init(config: LSAModelConfig, heads: [[LSAHead<Double>]]) throws(ModelError) {
        let D = config.tokenDimension, d = config.inputDimension, dy = config.outputDimension
        guard heads.count == config.layers, heads.allSatisfy({ $0.count == config.heads }) else {
            throw ModelError("expected \(config.layers) layers of \(config.heads) heads, got \(heads.map(\.count))")
        }
        for layer in heads { for h in layer { guard h.key.rows == D else { throw ModelError("heads are \(h.key.rows) x \(h.key.rows), expected D = \(D)") } } }
        if config.sharedLayers && heads.contains(where: { $0 != heads[0] }) {
            throw ModelError("the model shares its layers, but the layers' weights differ")
        }
        var parameters: [Double] = []
        for layer in heads.prefix(config.distinctLayers) {
            for h in layer {
                switch config.parameterization {
                case .full:
                    parameters += h.key.elements + h.query.elements + h.value.elements + h.projection.elements
                case .gdPlusPlus:
                    let gamma = h.query.block(rows: 0..<d, cols: 0..<d)
                    let omega = h.value.block(rows: 0..<d, cols: 0..<d), rho = h.value.block(rows: d..<D, cols: d..<D)
                    var expected = h
                    expected.query = Matrix(blocks: [[gamma, .zeros(d, dy)], [.zeros(dy, d), .zeros(dy, dy)]])
                    expected.value = Matrix(blocks: [[omega, .zeros(d, dy)], [.zeros(dy, d), rho]])
                    expected.key = Matrix(blocks: [[Matrix<Double>.identity(d), .zeros(d, dy)], [.zeros(dy, d), .zeros(dy, dy)]])
                    expected.projection = .identity(D)
                    guard expected == h else { throw ModelError("the weights do not have the GD++ structure (W_K = [[I,0],[0,0]], P = I, zero off-diagonal blocks)") }
                    parameters += gamma.elements + omega.elements + rho.elements
                }
            }
        }
        self.init(config: config, parameters: parameters)
    }

    /// `M_{l,h}` and `V_{l,h}` for every layer (the kernel's input).
    public func folded() -> FoldedLSA {
        var f = FoldedLSA(zerosLike: config.shape)
        let D = config.tokenDimension, d = config.inputDimension
        parameters.withUnsafeBufferPointer { p in
            for l in 0..<config.layers {
                for h in 0..<config.heads {
                    let o = headOffset(layer: l, head: h), target = f.offset(layer: l, head: h)
                    switch config.parameterization {
                    case .full:
                        let wk = p.baseAddress! + o, wq = wk + D * D, wv = wq + D * D, pr = wv + D * D
                        // M = W_K^T W_Q, V = P W_V.
                        for i in 0..<D { for j in 0..<D {
                            var sm = 0.0, sv = 0.0
                            for k in 0..<D { sm += wk[k * D + i] * wq[k * D + j]; sv += pr[i * D + k] * wv[k * D + j] }
                            f.keyQuery[target + i * D + j] = sm
                            f.projectionValue[target + i * D + j] = sv
                        } }
                    case .gdPlusPlus:
                        let dy = config.outputDimension
                        for i in 0..<d { for j in 0..<d {
                            f.keyQuery[target + i * D + j] = p[o + i * d + j]
                            f.projectionValue[target + i * D + j] = p[o + d * d + i * d + j]
                        } }
                        for i in 0..<dy { for j in 0..<dy { f.projectionValue[target + (d + i) * D + d + j] = p[o + 2 * d * d + i * dy + j] } }
                    }
                }
            }
        }
        return f
    }

    /// The gradient with respect to `parameters` from one with respect to every `M_{l,h}`, `V_{l,h}`.
    public func parameterGradient(_ g: FoldedLSA) -> [Double] {
        var out = [Double](repeating: 0, count: parameters.count)
        let D = config.tokenDimension, d = config.inputDimension, dy = config.outputDimension
        parameters.withUnsafeBufferPointer { p in
        out.withUnsafeMutableBufferPointer { out in
            for l in 0..<config.layers {
                for h in 0..<config.heads {
                    let o = headOffset(layer: l, head: h), source = g.offset(layer: l, head: h)
                    switch config.parameterization {
                    case .full:
                        let wk = p.baseAddress! + o, wq = wk + D * D, wv = wq + D * D, pr = wv + D * D
                        let gk = out.baseAddress! + o, gq = gk + D * D, gv = gq + D * D, gp = gv + D * D
                        for i in 0..<D { for j in 0..<D {
                            var sk = 0.0, sq = 0.0, sp = 0.0, sv = 0.0
                            for k in 0..<D {
                                sk += wq[i * D + k] * g.keyQuery[source + j * D + k]      // (W_Q dM^T)_ij
                                sq += wk[i * D + k] * g.keyQuery[source + k * D + j]      // (W_K dM)_ij
                                sp += g.projectionValue[source + i * D + k] * wv[j * D + k]      // (dV W_V^T)_ij
                                sv += pr[k * D + i] * g.projectionValue[source + k * D + j]      // (P^T dV)_ij
                            }
                            gk[i * D + j] += sk; gq[i * D + j] += sq; gp[i * D + j] += sp; gv[i * D + j] += sv
                        } }
                    case .gdPlusPlus:
                        for i in 0..<d { for j in 0..<d {
                            out[o + i * d + j] += g.keyQuery[source + i * D + j]
                            out[o + d * d + i * d + j] += g.projectionValue[source + i * D + j]
                        } }
                        for i in 0..<dy { for j in 0..<dy { out[o + 2 * d * d + i * dy + j] += g.projectionValue[source + (d + i) * D + d + j] } }
                    }
                }
            }
        } }
        return out
    }
}
