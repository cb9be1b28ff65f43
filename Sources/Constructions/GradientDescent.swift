import Linalg

/// Reference algorithms on the least-squares loss `L(W) = 1/(2N) sum_i ||W x_i - y_i||^2`,
/// written directly from their definitions (no attention anywhere).
public enum GradientDescent {
    /// `L(W) = 1/(2N) ||W X - Y||_F^2`.
    public static func loss<S>(_ w: Matrix<S>, x: Matrix<S>, y: Matrix<S>) -> S {
        let r = w * x - y
        return r.elements.reduce(S.zero) { $0 + $1 * $1 } / S(2 * x.cols)
    }

    /// `grad L(W) = (1/N) sum_i (W x_i - y_i) x_i^T = (1/N) (W X - Y) X^T`.
    public static func gradient<S>(_ w: Matrix<S>, x: Matrix<S>, y: Matrix<S>) -> Matrix<S> {
        (S.one / S(x.cols)) * ((w * x - y) * x.transposed)
    }

    /// One step of right-preconditioned GD, `W - eta grad L(W) Gamma` (`Gamma = I` if nil).
    public static func step<S>(_ w: Matrix<S>, x: Matrix<S>, y: Matrix<S>, eta: S,
                               preconditioner: Matrix<S>? = nil) -> Matrix<S> {
        var g = gradient(w, x: x, y: y)
        if let gamma = preconditioner { g = g * gamma }
        return w - eta * g
    }

    /// The iterates `W_1, ..., W_K` of `K` preconditioned steps with per-step `eta_k`, `Gamma_k`.
    public static func iterates<S>(from w0: Matrix<S>, x: Matrix<S>, y: Matrix<S>,
                                   etas: [S], preconditioners: [Matrix<S>?]) -> [Matrix<S>] {
        precondition(etas.count == preconditioners.count, "one eta per preconditioner")
        var w = w0
        return zip(etas, preconditioners).map { eta, gamma in
            w = step(w, x: x, y: y, eta: eta, preconditioner: gamma)
            return w
        }
    }

    /// GD++ (von Oswald et al. 2023, appendix A.10): one GD step on the labels and a
    /// curvature correction on the inputs, both from the data before the step:
    ///
    ///     x_j <- (I - gamma X X^T) x_j,    y_j <- y_j - dW x_j,   dW = -(eta/N) (W X - Y) X^T.
    ///
    /// Returns the new inputs (`d x M`) and labels (`d_y x M`) of the given points.
    public static func plusPlusStep<S>(w: Matrix<S>, x: Matrix<S>, y: Matrix<S>, eta: S, gamma: S,
                                       points: Matrix<S>, labels: Matrix<S>) -> (x: Matrix<S>, y: Matrix<S>) {
        let d = x.rows
        let curvature = Matrix<S>.identity(d) - gamma * (x * x.transposed)
        let deltaW = step(w, x: x, y: y, eta: eta) - w
        return (curvature * points, labels - deltaW * points)
    }
}
