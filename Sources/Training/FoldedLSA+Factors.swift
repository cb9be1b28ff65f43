import Weights

extension FoldedLSA {
    /// The folded products of factors read from a file (`LSAFactors`, any head sizes `k`, `v`):
    ///
    ///     M_{l,h} = W_K^T W_Q,   V_{l,h} = P W_V      (each D x D)
    ///
    /// summed in the order `LSAModel.folded` sums them (`k` ascending from 0), so a file written by
    /// `icl train` folds to the bits the run evaluated. `d = D - outputDimension`.
    public init(_ factors: LSAFactors, outputDimension: Int = 1, contextCount: Int, queryInContext: Bool = false, tokenClip: Double? = nil) {
        let D = factors.tokenDimension
        precondition(outputDimension >= 1 && outputDimension < D, "d_y must be in 1..<D")
        let shape = LSAShape(inputDimension: D - outputDimension, outputDimension: outputDimension, contextCount: contextCount,
                             layers: factors.layers.count, heads: factors.layers[0].count, queryInContext: queryInContext, tokenClip: tokenClip)
        var f = FoldedLSA(zerosLike: shape)
        for (l, layer) in factors.layers.enumerated() {
            for (h, head) in layer.enumerated() {
                let target = f.offset(layer: l, head: h)
                for i in 0..<D { for j in 0..<D {
                    var sm = 0.0, sv = 0.0
                    for k in 0..<head.key.rows { sm += head.key[k, i] * head.query[k, j] }
                    for k in 0..<head.value.rows { sv += head.projection[i, k] * head.value[k, j] }
                    f.keyQuery[target + i * D + j] = sm
                    f.projectionValue[target + i * D + j] = sv
                } }
            }
        }
        self = f
    }
}
