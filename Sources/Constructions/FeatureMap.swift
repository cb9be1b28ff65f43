import Linalg
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A random two-layer perceptron `m(x) = W_2 tanh(W_1 x + b_1)` used as a fixed feature map
/// (Proposition 2 of von Oswald et al. 2023: an MLP, then LSA = GD on the features).
public struct FeatureMap: Sendable {
    public var inner: Matrix<Double>
    public var bias: Matrix<Double>
    public var outer: Matrix<Double>

    /// Weights `N(0, 1/fan_in)`, biases `N(0, 0.1^2)`; `hidden` units, `features` outputs.
    public init(inputDimension d: Int, hidden: Int, features: Int, random: RandomSource) {
        inner = random.gaussianMatrix(hidden, d, sd: 1 / Double(d).squareRoot())
        bias = random.gaussianMatrix(hidden, 1, sd: 0.1)
        outer = random.gaussianMatrix(features, hidden, sd: 1 / Double(hidden).squareRoot())
    }

    public var featureDimension: Int { outer.rows }

    /// `m` applied to each column of `x`.
    public func callAsFunction(_ x: Matrix<Double>) -> Matrix<Double> {
        var pre = inner * x
        for i in 0..<pre.rows { for j in 0..<pre.cols { pre[i, j] = tanh(pre[i, j] + bias[i, 0]) } }
        return outer * pre
    }

    /// The same task with every input replaced by its features `m(x)`.
    public func featurize(_ task: RegressionTask<Double>) -> RegressionTask<Double> {
        RegressionTask(x: self(task.x), y: task.y, xQuery: self(task.xQuery))
    }
}

/// The kernel-smoothing form of one GD step from `W_0 = 0` on features:
/// `yhat = (eta/N) sum_i y_i m(x_i)^T m(x_q)` (kernel `k(x, x') = m(x)^T m(x')`).
public func kernelSmoother<S>(_ features: RegressionTask<S>, eta: S) -> Matrix<S> {
    let kernel = features.x.transposed * features.xQuery        // N x 1: m(x_i)^T m(x_q)
    return (eta / S(features.contextCount)) * (features.y * kernel)
}
