import Constructions
import Linalg

/// The sizes of a batched LSA computation: `d` inputs and `d_y` outputs per token
/// (`D = d + d_y`, the y-rows last), `N` context tokens and one query per task, `K` layers of
/// `H` heads. By default the query is updated but is neither a key nor a value
/// (REFERENCE.md section 1); `queryInContext` makes all `N + 1` tokens keys and values.
/// `tokenClip = c` clips every token entry to `[-c, c]` after every layer, the last included (so
/// the prediction too), as von Oswald et al. (A.12) do for K > 2; `nil` (the default) clips nothing.
public struct LSAShape: Sendable, Equatable, Hashable, Codable {
    public var inputDimension: Int
    public var outputDimension: Int
    public var contextCount: Int
    public var layers: Int
    public var heads: Int
    public var queryInContext: Bool
    /// Token entries are clipped to `[-tokenClip, tokenClip]` after every layer (`nil`: never).
    public var tokenClip: Double?

    public init(inputDimension: Int, outputDimension: Int = 1, contextCount: Int, layers: Int = 1, heads: Int = 1,
                queryInContext: Bool = false, tokenClip: Double? = nil) {
        precondition(inputDimension >= 1 && outputDimension >= 1 && contextCount >= 1 && layers >= 1 && heads >= 1,
                     "LSAShape needs d, d_y, N, K, H >= 1")
        precondition(tokenClip.map { $0 > 0 } ?? true, "the token clip must be positive")
        self.inputDimension = inputDimension
        self.outputDimension = outputDimension
        self.contextCount = contextCount
        self.layers = layers
        self.heads = heads
        self.queryInContext = queryInContext
        self.tokenClip = tokenClip
    }

    /// `D = d + d_y`.
    public var tokenDimension: Int { inputDimension + outputDimension }
    /// `N + 1` (the query is the last token of a task).
    public var tokensPerTask: Int { contextCount + 1 }
    /// The tokens that are keys and values: `N`, or `N + 1` with the query.
    public var keyCount: Int { queryInContext ? contextCount + 1 : contextCount }
}

/// An LSA stack by its folded products, per layer `l` and head `h`:
///
///     M_{l,h} = W_K^T W_Q    (`keyQuery`: the scores are e_i^T M e_j)
///     V_{l,h} = P W_V        (`projectionValue`)
///
/// so a layer maps each token to `e_j + sum_h V_h E_ctx E_ctx^T M_h e_j` (REFERENCE.md section
/// 1; only these products are identified, the factors carry a gauge freedom). Storage is
/// layer-major, then head, each `D x D` row-major. The same type holds a gradient with respect
/// to `M` and `V`.
public struct FoldedLSA: Sendable, Equatable {
    public let shape: LSAShape
    /// Every `M_{l,h} = W_K^T W_Q`, layer-major, then head, row-major.
    public var keyQuery: [Double]
    /// Every `V_{l,h} = P W_V`, in the same order.
    public var projectionValue: [Double]

    public init(shape: LSAShape, keyQuery: [Double], projectionValue: [Double]) {
        let count = shape.layers * shape.heads * shape.tokenDimension * shape.tokenDimension
        precondition(keyQuery.count == count && projectionValue.count == count, "FoldedLSA needs \(count) entries in M and in V")
        self.shape = shape
        self.keyQuery = keyQuery
        self.projectionValue = projectionValue
    }

    /// Zeros (e.g. a gradient accumulator).
    public init(zerosLike shape: LSAShape) {
        let count = shape.layers * shape.heads * shape.tokenDimension * shape.tokenDimension
        self.init(shape: shape, keyQuery: [Double](repeating: 0, count: count), projectionValue: [Double](repeating: 0, count: count))
    }

    /// Folds the factors of an `LSAStack` (every layer with `shape.heads` heads of size `D`).
    public init(_ stack: LSAStack<Double>, shape: LSAShape) {
        precondition(stack.layers.count == shape.layers && stack.layers.allSatisfy { $0.heads.count == shape.heads },
                     "the stack has \(stack.layers.count) layers, the shape \(shape.layers) with \(shape.heads) heads")
        var keyQuery: [Double] = [], projectionValue: [Double] = []
        for layer in stack.layers {
            for head in layer.heads {
                precondition(head.key.rows == shape.tokenDimension, "heads are \(head.key.rows) x \(head.key.rows), D = \(shape.tokenDimension)")
                keyQuery += gemm(head.key, head.query, transposeA: true).elements
                projectionValue += (head.projection * head.value).elements
            }
        }
        self.init(shape: shape, keyQuery: keyQuery, projectionValue: projectionValue)
    }

    func offset(layer: Int, head: Int) -> Int {
        (layer * shape.heads + head) * shape.tokenDimension * shape.tokenDimension
    }

    /// `M_{l,h}` as a matrix.
    public func keyQueryMatrix(layer: Int, head: Int) -> Matrix<Double> {
        let D = shape.tokenDimension, o = offset(layer: layer, head: head)
        return Matrix(rows: D, cols: D, elements: Array(keyQuery[o..<(o + D * D)]))
    }

    /// `V_{l,h} = P W_V` as a matrix.
    public func projectionValueMatrix(layer: Int, head: Int) -> Matrix<Double> {
        let D = shape.tokenDimension, o = offset(layer: layer, head: head)
        return Matrix(rows: D, cols: D, elements: Array(projectionValue[o..<(o + D * D)]))
    }

    public mutating func setKeyQueryMatrix(_ m: Matrix<Double>, layer: Int, head: Int) {
        let o = offset(layer: layer, head: head)
        keyQuery.replaceSubrange(o..<(o + m.elements.count), with: m.elements)
    }

    public mutating func setProjectionValueMatrix(_ m: Matrix<Double>, layer: Int, head: Int) {
        let o = offset(layer: layer, head: head)
        projectionValue.replaceSubrange(o..<(o + m.elements.count), with: m.elements)
    }
}
