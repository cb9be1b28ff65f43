import Linalg

/// Weight constructions that make LSA layers run gradient descent, in the token convention
/// `e = (x, y)` with `x` in the first `d` rows and `y` in the last `d_y` rows.
public enum LSAConstruction {
    /// Proposition 1 of von Oswald et al. (2023), right-preconditioned as in Ahn et al. (2023):
    ///
    ///     W_K = [[I_d, 0], [0, 0]],  W_Q = [[Gamma, 0], [0, 0]],
    ///     W_V = [[0, 0], [W_0, -I_{d_y}]],  P = (eta/N) I_D,
    ///
    /// so `W_K^T W_Q` has x-block `Gamma` (`Gamma = I` gives plain GD) and every token becomes
    /// `(x_j, y_j - dW x_j)` with `dW = -(eta/N) (W_0 X - Y) X^T Gamma`.
    public static func gradientStep<S>(initialWeights w0: Matrix<S>, eta: S, contextCount n: Int,
                                       preconditioner: Matrix<S>? = nil) -> LSALayer<S> {
        let dy = w0.rows, d = w0.cols
        let gamma = preconditioner ?? Matrix<S>.identity(d)
        precondition(gamma.rows == d && gamma.cols == d, "the preconditioner must be \(d) x \(d)")
        let key = Matrix(blocks: [[Matrix<S>.identity(d), .zeros(d, dy)], [.zeros(dy, d), .zeros(dy, dy)]])
        let query = Matrix(blocks: [[gamma, .zeros(d, dy)], [.zeros(dy, d), .zeros(dy, dy)]])
        let value = Matrix(blocks: [[Matrix<S>.zeros(d, d), .zeros(d, dy)], [w0, -Matrix<S>.identity(dy)]])
        let projection = (eta / S(n)) * Matrix<S>.identity(d + dy)
        return LSALayer(heads: [LSAHead(key: key, query: query, value: value, projection: projection)])
    }

    /// K layers = K steps of (preconditioned) GD with per-layer `eta_k`, `Gamma_k`.
    ///
    /// Every layer's `W_V` carries the *initial* `W_0`: after `k` layers the context labels are
    /// `y_i - (W_k - W_0) x_i`, so `W_0 x_i - y_i^(k) = W_k x_i - y_i` is the residual at the
    /// current iterate. Putting the current iterate `W_k` in `W_V` instead would count the
    /// progress twice (see `LSAMultistepTests`).
    public static func multistep<S>(initialWeights w0: Matrix<S>, etas: [S], contextCount n: Int,
                                    preconditioners: [Matrix<S>?]) -> LSAStack<S> {
        precondition(etas.count == preconditioners.count, "one eta per preconditioner")
        return LSAStack(layers: zip(etas, preconditioners).map { eta, gamma in
            gradientStep(initialWeights: w0, eta: eta, contextCount: n, preconditioner: gamma)
        })
    }

    /// GD++ (von Oswald et al. 2023, appendix A.10):
    ///
    ///     W_K = W_Q = [[I, 0], [0, 0]],  W_V = [[I, 0], [W, -I]],
    ///     P = [[-gamma I, 0], [0, (eta/N) I]],
    ///
    /// giving `x_j <- (I - gamma X X^T) x_j` and `y_j <- y_j - dW x_j` for every token.
    public static func plusPlus<S>(weights w: Matrix<S>, eta: S, gamma: S, contextCount n: Int) -> LSALayer<S> {
        let dy = w.rows, d = w.cols
        let selectX = Matrix(blocks: [[Matrix<S>.identity(d), .zeros(d, dy)], [.zeros(dy, d), .zeros(dy, dy)]])
        let value = Matrix(blocks: [[Matrix<S>.identity(d), .zeros(d, dy)], [w, -Matrix<S>.identity(dy)]])
        let projection = Matrix(blocks: [[(-gamma) * Matrix<S>.identity(d), .zeros(d, dy)],
                                         [.zeros(dy, d), (eta / S(n)) * Matrix<S>.identity(dy)]])
        return LSALayer(heads: [LSAHead(key: selectX, query: selectX, value: value, projection: projection)])
    }
}
