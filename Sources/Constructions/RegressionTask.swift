import Linalg

/// One in-context linear-regression task: `N` context pairs `(x_i, y_i)` and a query `x_q`.
///
/// Inputs are columns: `x` is `d x N`, `y` is `d_y x N`, `xQuery` is `d x 1`.
public struct RegressionTask<Scalar: FieldScalar>: Sendable {
    public var x: Matrix<Scalar>
    public var y: Matrix<Scalar>
    public var xQuery: Matrix<Scalar>

    public init(x: Matrix<Scalar>, y: Matrix<Scalar>, xQuery: Matrix<Scalar>) {
        precondition(x.cols == y.cols, "x has \(x.cols) examples, y has \(y.cols)")
        precondition(xQuery.rows == x.rows && xQuery.cols == 1, "xQuery must be \(x.rows) x 1")
        self.x = x
        self.y = y
        self.xQuery = xQuery
    }

    public var inputDimension: Int { x.rows }
    public var outputDimension: Int { y.rows }
    public var contextCount: Int { x.cols }
    /// Token dimension `D = d + d_y`.
    public var tokenDimension: Int { x.rows + y.rows }

    /// The tokens as columns `e_j = (x_j, y_j)`, `j = 1..N`, then the query `(x_q, y_q0)`.
    /// The readout convention of Proposition 1 starts the query at `y_q0 = -W_0 x_q`.
    public func tokens(initialWeights w0: Matrix<Scalar>) -> Matrix<Scalar> {
        let queryLabel = -(w0 * xQuery)
        return Matrix(blocks: [[x, xQuery], [y, queryLabel]])
    }

    /// The same task with every entry mapped (e.g. `Double -> Rational` exactly).
    public func map<T: FieldScalar>(_ f: (Scalar) -> T) -> RegressionTask<T> {
        RegressionTask<T>(x: x.map(f), y: y.map(f), xQuery: xQuery.map(f))
    }
}

/// The query prediction read off tokens: minus the query's y-block, `yhat = -y_{N+1}`.
public func readout<Scalar>(_ tokens: Matrix<Scalar>, inputDimension d: Int) -> Matrix<Scalar> {
    -tokens.block(rows: d..<tokens.rows, cols: (tokens.cols - 1)..<tokens.cols)
}
