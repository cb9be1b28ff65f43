import Linalg

/// One head of linear self-attention: `D x D` matrices `W_K, W_Q, W_V, P`.
public struct LSAHead<Scalar: FieldScalar>: Sendable, Equatable {
    public var key: Matrix<Scalar>
    public var query: Matrix<Scalar>
    public var value: Matrix<Scalar>
    public var projection: Matrix<Scalar>

    public init(key: Matrix<Scalar>, query: Matrix<Scalar>, value: Matrix<Scalar>, projection: Matrix<Scalar>) {
        let D = key.rows
        for (name, m) in [("W_K", key), ("W_Q", query), ("W_V", value), ("P", projection)] {
            precondition(m.rows == D && m.cols == D, "\(name) is \(m.rows) x \(m.cols), expected \(D) x \(D)")
        }
        self.key = key
        self.query = query
        self.value = value
        self.projection = projection
    }

    public func map<T: FieldScalar>(_ f: (Scalar) -> T) -> LSAHead<T> {
        LSAHead<T>(key: key.map(f), query: query.map(f), value: value.map(f), projection: projection.map(f))
    }
}

/// A residual linear self-attention layer (von Oswald et al. 2023, eq. 5):
///
///     e_j <- e_j + sum_h P_h W_V,h E (E^T W_K,h^T W_Q,h e_j),   j = 1..N+1,
///
/// where `E` holds the `N` context tokens only: the query token is updated but is neither a
/// key nor a value. No softmax and no `1/N` inside the attention; scaling lives in `P`.
public struct LSALayer<Scalar: FieldScalar>: Sendable, Equatable {
    public var heads: [LSAHead<Scalar>]

    public init(heads: [LSAHead<Scalar>]) {
        precondition(!heads.isEmpty, "an LSA layer needs at least one head")
        self.heads = heads
    }

    public var tokenDimension: Int { heads[0].key.rows }

    /// Applies the layer to `tokens` (`D x (N+1)`), whose first `contextCount` columns are the context.
    /// With `K = W_K E`, `Q = W_Q Z`, `V = W_V E`, the attention form `Z + P (V (K^T Q))` equals
    /// `Z + (P (V K^T)) Q`; the layer is computed in the second form, through the `D x D` matrix
    /// `V K^T = sum_i v_i k_i^T` (linear attention's state): `O(D^2 N + D^3)` operations per
    /// head instead of `O(D N^2 + D^2 N)`.
    public func callAsFunction(_ tokens: Matrix<Scalar>, contextCount: Int) -> Matrix<Scalar> {
        precondition(tokens.rows == tokenDimension, "tokens have \(tokens.rows) rows, the layer expects \(tokenDimension)")
        let context = tokens.block(rows: 0..<tokens.rows, cols: 0..<contextCount)
        var output = tokens
        for head in heads {
            let keys = head.key * context
            let queries = head.query * tokens
            let values = head.value * context
            let state = values * keys.transposed
            output += (head.projection * state) * queries
        }
        return output
    }

    public func map<T: FieldScalar>(_ f: (Scalar) -> T) -> LSALayer<T> { LSALayer<T>(heads: heads.map { $0.map(f) }) }
}

/// A stack of LSA layers applied in order; `trajectory` keeps the tokens after each layer.
public struct LSAStack<Scalar: FieldScalar>: Sendable, Equatable {
    public var layers: [LSALayer<Scalar>]
    public init(layers: [LSALayer<Scalar>]) { self.layers = layers }

    /// Tokens after each layer: element `k` is the output of layer `k + 1`.
    public func trajectory(_ tokens: Matrix<Scalar>, contextCount: Int) -> [Matrix<Scalar>] {
        var current = tokens
        return layers.map { layer in
            current = layer(current, contextCount: contextCount)
            return current
        }
    }

    public func callAsFunction(_ tokens: Matrix<Scalar>, contextCount: Int) -> Matrix<Scalar> {
        trajectory(tokens, contextCount: contextCount).last ?? tokens
    }
}
