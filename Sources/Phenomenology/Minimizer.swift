import Linalg

/// Why a minimization stopped. The loss has no finite minimizer (it tends to 0 as the
/// parameters grow along the induction-head direction), so a run ends at a tolerance, at the
/// box, or when the method can make no more progress.
public enum MinimizationStop: String, Sendable {
    /// The loss fell to `lossTolerance`.
    case lossTolerance = "loss-tolerance"
    /// `|gradient|_2 <= gradientTolerance`.
    case gradientTolerance = "gradient-tolerance"
    /// The simplex size fell below `simplexTolerance` (`Multimin.testSize`; simplex only).
    case simplexSize = "simplex-size"
    /// The next iterate left the box; the result is the last iterate inside.
    case box
    /// `maxIterations` reached.
    case maxIterations = "max-iterations"
    /// GSL reported that the iteration cannot improve the point (`GSL_ENOPROG`, or another
    /// iterate status, given in `gslStatus`).
    case noProgress = "no-progress"
}

/// Settings of a minimization run.
public struct MinimizerOptions: Sendable {
    public var method: Multimin.Method = .bfgs2
    /// The starting point (default: the origin).
    public var initial: ReddyPoint = .origin
    /// First trial step (fdf methods) or initial simplex edge (simplex).
    public var stepSize: Double = 0.1
    /// Line-search tolerance of the gradient methods: a line search ends when
    /// `|p . g| < lineTolerance |p| |g|` (GSL's manual: 0.1 suits most purposes).
    public var lineTolerance: Double = 0.1
    /// Stop when the loss is at or below this.
    public var lossTolerance: Double = 1e-4
    /// Stop when the gradient's Euclidean norm is at or below this.
    public var gradientTolerance: Double = 1e-10
    /// Stop when the simplex size is below this (simplex only).
    public var simplexTolerance: Double = 1e-10
    public var maxIterations: Int = 10_000
    /// Optional box `[lower, upper]`: a run stops when an iterate leaves it.
    public var box: (lower: ReddyPoint, upper: ReddyPoint)?

    public init() {}
}

/// The outcome of a minimization run.
public struct MinimizationResult: Sendable {
    public var method: Multimin.Method
    public var iterations: Int
    /// Loss evaluations (including those done together with the gradient).
    public var lossEvaluations: Int
    public var gradientEvaluations: Int
    public var point: ReddyPoint
    public var loss: Double
    public var gradient: SIMD3<Double>
    public var gradientNorm: Double
    public var stop: MinimizationStop
    /// The status of GSL's last iterate call (0 = GSL_SUCCESS).
    public var gslStatus: Int32
    /// `gsl_strerror(gslStatus)`.
    public var gslMessage: String { Linalg.gslMessage(gslStatus) }
}

/// Errors of a minimization run that leave no usable result.
public enum MinimizerError: Error, CustomStringConvertible {
    case gsl(GSLError)
    case nonFinite(ReddyPoint)
    case invalidOptions(String)

    public var description: String {
        switch self {
        case .gsl(let e): return e.description
        case .nonFinite(let p): return "the loss or its gradient is not finite near (beta, alpha, xi) = (\(p.beta), \(p.alpha), \(p.xi)); start closer to the origin or bound the search with a box"
        case .invalidOptions(let s): return s
        }
    }
}

extension ReddyModel {
    /// Minimizes the loss with one of GSL's multidimensional minimizers (`Multimin`; see `MinimizerOptions`).
    @_specialize(exported: true, where Attention == SoftmaxAttention)
    @_specialize(exported: true, where Attention == DirectAttention)
    public func minimize(_ options: MinimizerOptions = MinimizerOptions()) throws -> MinimizationResult {
        disableGSLAbort()
        guard options.stepSize > 0, options.stepSize.isFinite else { throw MinimizerError.invalidOptions("step size must be positive, got \(options.stepSize)") }
        guard options.maxIterations >= 0 else { throw MinimizerError.invalidOptions("max iterations must be >= 0") }
        if let box = options.box {
            guard all(box.lower.vector .<= options.initial.vector) && all(options.initial.vector .<= box.upper.vector) else {
                throw MinimizerError.invalidOptions("the initial point is outside the box")
            }
        }
        let objective = Objective(self)
        return options.method.usesGradient
            ? try minimizeWithGradient(objective, options)
            : try minimizeSimplex(objective, options)
    }
}

/// `body` on the three coordinates of `vector` in place (no array allocated per iterate).
private func withUnsafeMutableCoordinates<R>(_ vector: inout SIMD3<Double>, _ body: (UnsafeMutableBufferPointer<Double>) throws -> R) rethrows -> R {
    try withUnsafeMutableBytes(of: &vector) { try body(UnsafeMutableBufferPointer(start: $0.baseAddress!.assumingMemoryBound(to: Double.self), count: 3)) }
}

/// `body` on the point's three coordinates in place (no array allocated per minimization).
private func withCoordinates<R>(_ point: ReddyPoint, _ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
    var vector = point.vector
    return try withUnsafeBytes(of: &vector) { try body(UnsafeBufferPointer(start: $0.baseAddress!.assumingMemoryBound(to: Double.self), count: 3)) }
}

private func inside(_ x: ReddyPoint, _ box: (lower: ReddyPoint, upper: ReddyPoint)?) -> Bool {
    guard let box else { return true }
    return all(box.lower.vector .<= x.vector) && all(x.vector .<= box.upper.vector)
}

private func minimizeWithGradient(_ objective: Objective, _ options: MinimizerOptions) throws -> MinimizationResult {
    let minimizer: Multimin
    do {
        minimizer = try Multimin(options.method, dimension: 3) { x, g in
            let point = ReddyPoint(beta: x[0], alpha: x[1], xi: x[2])
            guard let g else { return objective.value(point) }
            let (value, gradient) = objective.valueAndGradient(point)
            for i in 0..<3 { g[i] = gradient[i] }
            return value
        }
        try withCoordinates(options.initial) { try minimizer.set(start: $0, stepSize: options.stepSize, lineTolerance: options.lineTolerance) }
    } catch let error as GSLError {
        if objective.sawNonFinite { throw MinimizerError.nonFinite(options.initial) }
        throw MinimizerError.gsl(error)
    }
    if objective.sawNonFinite { throw MinimizerError.nonFinite(options.initial) }

    func current() -> (ReddyPoint, Double, SIMD3<Double>) {
        var x = SIMD3<Double>(), g = SIMD3<Double>()
        let value = withUnsafeMutableCoordinates(&x) { x in withUnsafeMutableCoordinates(&g) { g in minimizer.read(point: x, gradient: g) } }
        return (ReddyPoint(beta: x[0], alpha: x[1], xi: x[2]), value, g)
    }
    var (point, loss, gradient) = current()
    var iterations = 0
    var status = gslSuccess
    var stop = MinimizationStop.maxIterations
    while true {
        if loss <= options.lossTolerance { stop = .lossTolerance; break }
        if euclideanNorm(gradient) <= options.gradientTolerance { stop = .gradientTolerance; break }
        if iterations >= options.maxIterations { stop = .maxIterations; break }
        status = minimizer.iterate()
        iterations += 1
        if objective.sawNonFinite { throw MinimizerError.nonFinite(point) }
        if status != gslSuccess { stop = .noProgress; break }
        let next = current()
        if !inside(next.0, options.box) { stop = .box; break }
        (point, loss, gradient) = next
    }
    return MinimizationResult(method: options.method, iterations: iterations,
                              lossEvaluations: objective.lossEvaluations, gradientEvaluations: objective.gradientEvaluations,
                              point: point, loss: loss, gradient: gradient, gradientNorm: euclideanNorm(gradient),
                              stop: stop, gslStatus: status)
}

private func minimizeSimplex(_ objective: Objective, _ options: MinimizerOptions) throws -> MinimizationResult {
    let minimizer: Multimin
    do {
        minimizer = try Multimin(.simplex, dimension: 3) { x, _ in objective.value(ReddyPoint(beta: x[0], alpha: x[1], xi: x[2])) }
        try withCoordinates(options.initial) { try minimizer.set(start: $0, stepSize: options.stepSize) }
    } catch let error as GSLError {
        if objective.sawNonFinite { throw MinimizerError.nonFinite(options.initial) }
        throw MinimizerError.gsl(error)
    }
    if objective.sawNonFinite { throw MinimizerError.nonFinite(options.initial) }

    var point = options.initial
    // Before the first iterate GSL's recorded minimum is not yet the value at the start.
    var loss = objective.value(point)
    var iterations = 0
    var status = gslSuccess
    var stop = MinimizationStop.maxIterations
    while true {
        if loss <= options.lossTolerance { stop = .lossTolerance; break }
        if minimizer.testSize(options.simplexTolerance) { stop = .simplexSize; break }
        if iterations >= options.maxIterations { stop = .maxIterations; break }
        status = minimizer.iterate()
        iterations += 1
        if objective.sawNonFinite { throw MinimizerError.nonFinite(point) }
        if status != gslSuccess { stop = .noProgress; break }
        let next = ReddyPoint(beta: minimizer.point(0), alpha: minimizer.point(1), xi: minimizer.point(2))
        if !inside(next, options.box) { stop = .box; break }
        point = next
        loss = minimizer.value
    }
    // The simplex never needs the gradient; it is evaluated once here for the report.
    let gradient = objective.lossAndGradient(point).gradient
    return MinimizationResult(method: options.method, iterations: iterations,
                              lossEvaluations: objective.lossEvaluations, gradientEvaluations: 0,
                              point: point, loss: loss, gradient: gradient, gradientNorm: euclideanNorm(gradient),
                              stop: stop, gslStatus: status)
}
