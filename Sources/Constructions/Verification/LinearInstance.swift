import Linalg
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The sizes instances are drawn from.
public struct SizeRanges: Sendable, Equatable {
    public var inputDimension: ClosedRange<Int>
    public var outputDimension: ClosedRange<Int>
    public var contextCount: ClosedRange<Int>
    public var layers: ClosedRange<Int>

    public init(inputDimension: ClosedRange<Int>, outputDimension: ClosedRange<Int>,
                contextCount: ClosedRange<Int>, layers: ClosedRange<Int>) {
        self.inputDimension = inputDimension
        self.outputDimension = outputDimension
        self.contextCount = contextCount
        self.layers = layers
    }

    /// `d_x` 1..16, `d_y` 1..4, `N` 1..64, `K` 1..6.
    public static let standard = SizeRanges(inputDimension: 1...16, outputDimension: 1...4, contextCount: 1...64, layers: 1...6)
}

/// How a preconditioner `Gamma` is drawn.
public enum PreconditionerKind: String, CaseIterable, Sendable {
    /// `Gamma = I` (plain GD).
    case identity
    /// i.i.d. Gaussian entries scaled by `1/sqrt(d)`: not symmetric.
    case gaussian
    /// `A A^T / d + I/10`: symmetric positive definite.
    case symmetricPositive
    /// `G diag(10^u_i) H / ||.||_F` with `u_i ~ U(-3, 3)`: condition number up to about 1e6, not symmetric.
    case illConditioned
}

/// One random instance of in-context regression plus the algorithm's hyper-parameters.
public struct LinearInstance<S: FieldScalar>: Sendable {
    public var task: RegressionTask<S>
    public var initialWeights: Matrix<S>
    /// One learning rate per layer/step.
    public var etas: [S]
    /// One preconditioner per layer/step.
    public var preconditioners: [Matrix<S>]
    /// The GD++ curvature step `gamma`.
    public var curvatureStep: S

    public func map<T: FieldScalar>(_ f: (S) -> T) -> LinearInstance<T> {
        LinearInstance<T>(task: task.map(f), initialWeights: initialWeights.map(f), etas: etas.map(f),
                          preconditioners: preconditioners.map { $0.map(f) }, curvatureStep: f(curvatureStep))
    }
}

extension LinearInstance where S == Double {
    /// Draws sizes from `sizes`, data `x, y, x_q, W_0 ~ N(0, 1)`, `eta_k ~ U(0.05, 1)`, a
    /// preconditioner of a random kind per layer (`identity` only if `preconditioned` is false),
    /// and `gamma ~ U(0, 1) / (N d)` for GD++.
    public static func random(_ random: RandomSource, sizes: SizeRanges, layers: Int? = nil,
                              preconditioned: Bool) -> LinearInstance<Double> {
        let d = random.int(in: sizes.inputDimension)
        let dy = random.int(in: sizes.outputDimension)
        let n = random.int(in: sizes.contextCount)
        let k = layers ?? random.int(in: sizes.layers)
        let task = RegressionTask(x: random.gaussianMatrix(d, n), y: random.gaussianMatrix(dy, n),
                                  xQuery: random.gaussianMatrix(d, 1))
        let kinds = preconditioned ? PreconditionerKind.allCases : [.identity]
        let gammas = (0..<k).map { _ in preconditioner(kinds[random.int(in: 0...(kinds.count - 1))], d, random) }
        return LinearInstance(task: task, initialWeights: random.gaussianMatrix(dy, d),
                              etas: (0..<k).map { _ in random.uniform(in: 0.05..<1) },
                              preconditioners: gammas,
                              curvatureStep: random.uniform() / Double(n * d))
    }

    /// A `d x d` preconditioner of the given kind.
    public static func preconditioner(_ kind: PreconditionerKind, _ d: Int, _ random: RandomSource) -> Matrix<Double> {
        switch kind {
        case .identity:
            return .identity(d)
        case .gaussian:
            return random.gaussianMatrix(d, d, sd: 1 / Double(d).squareRoot())
        case .symmetricPositive:
            let a = random.gaussianMatrix(d, d)
            return (1 / Double(d)) * (a * a.transposed) + 0.1 * Matrix.identity(d)
        case .illConditioned:
            let scales = Matrix<Double>(rows: d, cols: d) { i, j in i == j ? pow(10, random.uniform(in: -3..<3)) : 0 }
            let m = random.gaussianMatrix(d, d) * scales * random.gaussianMatrix(d, d)
            return (1 / m.frobeniusNorm) * m
        }
    }

    /// The same instance with every entry rounded to a multiple of `1/16`, as exact rationals
    /// (the exact identities hold for any values; small denominators keep the arithmetic fast).
    public var roundedExact: LinearInstance<Rational> {
        map(roundedToSixteenths)
    }
}

/// `v` rounded to the nearest multiple of 1/16, as an exact rational: the exact checks draw their
/// instances this way (the identities hold for any values; small denominators keep them fast).
public func roundedToSixteenths(_ v: Double) -> Rational { Rational(Int((v * 16).rounded()), 16) }
