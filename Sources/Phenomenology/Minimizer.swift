@preconcurrency import CGSL
import Linalg

/// The GSL multidimensional minimizers offered for the loss.
public enum MinimizerMethod: String, CaseIterable, Sendable {
    /// `gsl_multimin_fdfminimizer_vector_bfgs2` (quasi-Newton, exact gradient).
    case bfgs2
    /// `gsl_multimin_fdfminimizer_conjugate_fr` (Fletcher-Reeves conjugate gradient).
    case cgFR = "cg-fr"
    /// `gsl_multimin_fdfminimizer_conjugate_pr` (Polak-Ribiere conjugate gradient).
    case cgPR = "cg-pr"
    /// `gsl_multimin_fdfminimizer_steepest_descent`.
    case steepest
    /// `gsl_multimin_fminimizer_nmsimplex2` (Nelder-Mead, derivative-free).
    case simplex

    /// GSL's name of the algorithm.
    public var gslName: String {
        switch self {
        case .bfgs2: return "vector_bfgs2"
        case .cgFR: return "conjugate_fr"
        case .cgPR: return "conjugate_pr"
        case .steepest: return "steepest_descent"
        case .simplex: return "nmsimplex2"
        }
    }

    /// Whether the method uses the gradient.
    public var usesGradient: Bool { self != .simplex }
}

/// Why a minimization stopped. The loss has no finite minimizer (it tends to 0 as the
/// parameters grow along the induction-head direction), so a run ends at a tolerance, at the
/// box, or when the method can make no more progress.
public enum MinimizationStop: String, Sendable {
    /// The loss fell to `lossTolerance`.
    case lossTolerance = "loss-tolerance"
    /// `|gradient|_2 <= gradientTolerance` (`gsl_multimin_test_gradient`).
    case gradientTolerance = "gradient-tolerance"
    /// The simplex size fell to `simplexTolerance` (`gsl_multimin_test_size`; simplex only).
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
    public var method: MinimizerMethod = .bfgs2
    /// The starting point (default: the origin).
    public var initial: Parameters = .zero
    /// First trial step (fdf methods) or initial simplex edge (simplex).
    public var stepSize: Double = 0.1
    /// Line-search tolerance of the fdf methods (GSL recommends 0.1 for bfgs2, 1e-4 otherwise
    /// is stricter; 0.1 is used for all).
    public var lineTolerance: Double = 0.1
    /// Stop when the loss is at or below this.
    public var lossTolerance: Double = 1e-4
    /// Stop when the gradient's Euclidean norm is at or below this.
    public var gradientTolerance: Double = 1e-10
    /// Stop when the simplex size is at or below this (simplex only).
    public var simplexTolerance: Double = 1e-10
    public var maxIterations: Int = 10_000
    /// Optional box `[lower, upper]`: a run stops when an iterate leaves it.
    public var box: (lower: Parameters, upper: Parameters)?

    public init() {}
}

/// The outcome of a minimization run.
public struct MinimizationResult: Sendable {
    public var method: MinimizerMethod
    public var iterations: Int
    /// Loss evaluations (including those done together with the gradient).
    public var lossEvaluations: Int
    public var gradientEvaluations: Int
    public var point: Parameters
    public var loss: Double
    public var gradient: Parameters
    public var gradientNorm: Double
    public var stop: MinimizationStop
    /// The status of GSL's last iterate call (0 = GSL_SUCCESS).
    public var gslStatus: Int32
    /// `gsl_strerror(gslStatus)`.
    public var gslMessage: String { String(cString: gsl_strerror(gslStatus)) }
}

/// Errors of a minimization run that leave no usable result.
public enum MinimizerError: Error, CustomStringConvertible {
    case gsl(GSLError)
    case nonFinite(Parameters)
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
    /// Minimizes the loss with a GSL multimin method (see `MinimizerOptions`).
    @_specialize(exported: true, where Attention == SoftmaxAttention)
    @_specialize(exported: true, where Attention == DirectAttention)
    public func minimize(_ options: MinimizerOptions = MinimizerOptions()) throws -> MinimizationResult {
        disableGSLAbort()
        guard options.stepSize > 0, options.stepSize.isFinite else { throw MinimizerError.invalidOptions("step size must be positive, got \(options.stepSize)") }
        guard options.maxIterations >= 0 else { throw MinimizerError.invalidOptions("max iterations must be >= 0") }
        if let box = options.box {
            guard all(box.lower .<= options.initial) && all(options.initial .<= box.upper) else {
                throw MinimizerError.invalidOptions("the initial point is outside the box")
            }
        }
        let objective = Objective(self)
        return options.method.usesGradient
            ? try minimizeWithGradient(objective, options)
            : try minimizeSimplex(objective, options)
    }
}

private func inside(_ x: Parameters, _ box: (lower: Parameters, upper: Parameters)?) -> Bool {
    guard let box else { return true }
    return all(box.lower .<= x) && all(x .<= box.upper)
}

private func fdfType(_ method: MinimizerMethod) -> UnsafePointer<gsl_multimin_fdfminimizer_type>? {
    switch method {
    case .bfgs2: return gsl_multimin_fdfminimizer_vector_bfgs2
    case .cgFR: return gsl_multimin_fdfminimizer_conjugate_fr
    case .cgPR: return gsl_multimin_fdfminimizer_conjugate_pr
    case .steepest: return gsl_multimin_fdfminimizer_steepest_descent
    case .simplex: return nil
    }
}

private func minimizeWithGradient(_ objective: Objective, _ options: MinimizerOptions) throws -> MinimizationResult {
    guard let s = gsl_multimin_fdfminimizer_alloc(fdfType(options.method), 3) else {
        throw MinimizerError.gsl(GSLError(operation: "gsl_multimin_fdfminimizer_alloc(\(options.method.gslName))", status: Int32(GSL_ENOMEM)))
    }
    defer { gsl_multimin_fdfminimizer_free(s) }
    var function = gsl_multimin_function_fdf(
        f: { x, ctx in Objective.from(ctx).value(Parameters(gsl: x!)) },
        df: { x, ctx, g in Objective.from(ctx).valueAndGradient(Parameters(gsl: x!)).1.store(into: g!) },
        fdf: { x, ctx, f, g in
            let (value, gradient) = Objective.from(ctx).valueAndGradient(Parameters(gsl: x!))
            f!.pointee = value
            gradient.store(into: g!)
        },
        n: 3, params: objective.context)
    let x0 = gsl_vector_alloc(3)!
    defer { gsl_vector_free(x0) }
    options.initial.store(into: x0)
    let setStatus = gsl_multimin_fdfminimizer_set(s, &function, x0, options.stepSize, options.lineTolerance)
    if objective.sawNonFinite { throw MinimizerError.nonFinite(options.initial) }
    do { try checkGSL(setStatus, "gsl_multimin_fdfminimizer_set(\(options.method.gslName))") } catch let error as GSLError { throw MinimizerError.gsl(error) }

    func current() -> (Parameters, Double, Parameters) {
        (Parameters(gsl: gsl_multimin_fdfminimizer_x(s)), gsl_multimin_fdfminimizer_minimum(s),
         Parameters(gsl: gsl_multimin_fdfminimizer_gradient(s)))
    }
    var (point, loss, gradient) = current()
    var iterations = 0
    var status = Int32(GSL_SUCCESS)
    var stop = MinimizationStop.maxIterations
    while true {
        if loss <= options.lossTolerance { stop = .lossTolerance; break }
        if gradient.norm <= options.gradientTolerance { stop = .gradientTolerance; break }
        if iterations >= options.maxIterations { stop = .maxIterations; break }
        status = gsl_multimin_fdfminimizer_iterate(s)
        iterations += 1
        if objective.sawNonFinite { throw MinimizerError.nonFinite(point) }
        if status != Int32(GSL_SUCCESS) { stop = .noProgress; break }
        let next = current()
        if !inside(next.0, options.box) { stop = .box; break }
        (point, loss, gradient) = next
    }
    return MinimizationResult(method: options.method, iterations: iterations,
                              lossEvaluations: objective.lossEvaluations, gradientEvaluations: objective.gradientEvaluations,
                              point: point, loss: loss, gradient: gradient, gradientNorm: gradient.norm,
                              stop: stop, gslStatus: status)
}

private func minimizeSimplex(_ objective: Objective, _ options: MinimizerOptions) throws -> MinimizationResult {
    guard let s = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, 3) else {
        throw MinimizerError.gsl(GSLError(operation: "gsl_multimin_fminimizer_alloc(nmsimplex2)", status: Int32(GSL_ENOMEM)))
    }
    defer { gsl_multimin_fminimizer_free(s) }
    var function = gsl_multimin_function(
        f: { x, ctx in Objective.from(ctx).value(Parameters(gsl: x!)) },
        n: 3, params: objective.context)
    let x0 = gsl_vector_alloc(3)!, steps = gsl_vector_alloc(3)!
    defer { gsl_vector_free(x0); gsl_vector_free(steps) }
    options.initial.store(into: x0)
    gsl_vector_set_all(steps, options.stepSize)
    let setStatus = gsl_multimin_fminimizer_set(s, &function, x0, steps)
    if objective.sawNonFinite { throw MinimizerError.nonFinite(options.initial) }
    do { try checkGSL(setStatus, "gsl_multimin_fminimizer_set(nmsimplex2)") } catch let error as GSLError { throw MinimizerError.gsl(error) }

    var point = options.initial
    // Before the first iterate GSL's recorded minimum is not yet the value at the start.
    var loss = objective.value(point)
    var iterations = 0
    var status = Int32(GSL_SUCCESS)
    var stop = MinimizationStop.maxIterations
    while true {
        if loss <= options.lossTolerance { stop = .lossTolerance; break }
        if gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), options.simplexTolerance) == Int32(GSL_SUCCESS) { stop = .simplexSize; break }
        if iterations >= options.maxIterations { stop = .maxIterations; break }
        status = gsl_multimin_fminimizer_iterate(s)
        iterations += 1
        if objective.sawNonFinite { throw MinimizerError.nonFinite(point) }
        if status != Int32(GSL_SUCCESS) { stop = .noProgress; break }
        let next = Parameters(gsl: gsl_multimin_fminimizer_x(s))
        if !inside(next, options.box) { stop = .box; break }
        point = next
        loss = gsl_multimin_fminimizer_minimum(s)
    }
    // The simplex never needs the gradient; it is evaluated once here for the report.
    let gradient = objective.lossAndGradient(point).gradient
    return MinimizationResult(method: options.method, iterations: iterations,
                              lossEvaluations: objective.lossEvaluations, gradientEvaluations: 0,
                              point: point, loss: loss, gradient: gradient, gradientNorm: gradient.norm,
                              stop: stop, gslStatus: status)
}
