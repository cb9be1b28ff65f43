@preconcurrency import CGSL

/// One of GSL's multidimensional minimizers (`gsl_multimin`) running on a Swift objective
/// `f: R^n -> R`: the project's one wrapper of `gsl_multimin_fdfminimizer` and
/// `gsl_multimin_fminimizer`.
///
/// - The gradient methods (`vector_bfgs2`, `conjugate_fr`, `conjugate_pr`, `steepest_descent`)
///   use `f` and `grad f`: the first line search tries a step of `stepSize` along the descent
///   direction and each line search stops at `|p . grad f| < lineTolerance |p| |grad f|`.
/// - Nelder-Mead (`nmsimplex2`) uses `f` alone, from the simplex with edges `stepSize` along
///   every axis from the start.
///
/// The objective is one closure `objective(x, gradient) -> f(x)`; when `gradient` is not nil
/// it also writes `grad f(x)` there. GSL's three callbacks call it: `f` with no gradient,
/// `df` (the value is discarded) and `fdf`.
///
/// Run it step by step (`set`, then `iterate()` and read `point`, `value`, `gradient`,
/// `testGradient`, `testSize`), to stop by one's own rules, or with `minimize`, GSL's usual
/// loop. Both make the same GSL calls as hand-written glue would, in the same order.
public final class Multimin {
    /// The algorithms, named as on the command line.
    public enum Method: String, CaseIterable, Sendable {
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

    /// `f(x)`, and `grad f(x)` written into `gradient` when it is given.
    public typealias Objective = (_ x: UnsafeBufferPointer<Double>, _ gradient: UnsafeMutableBufferPointer<Double>?) -> Double

    public let method: Method
    /// `n`, the number of variables.
    public let dimension: Int
    private let objective: Objective
    private let gradientMinimizer: UnsafeMutablePointer<gsl_multimin_fdfminimizer>?
    private let simplexMinimizer: UnsafeMutablePointer<gsl_multimin_fminimizer>?
    /// GSL keeps a pointer to the function it minimizes, so it lives as long as the minimizer.
    private let gradientFunction: UnsafeMutablePointer<gsl_multimin_function_fdf>?
    private let simplexFunction: UnsafeMutablePointer<gsl_multimin_function>?

    /// Allocates the minimizer (`gsl_multimin_fdfminimizer_alloc` or `gsl_multimin_fminimizer_alloc`).
    /// - Throws: `GSLError` when GSL cannot allocate it.
    public init(_ method: Method, dimension: Int, objective: @escaping Objective) throws {
        disableGSLAbort()
        let gradientMinimizer = method.usesGradient ? gsl_multimin_fdfminimizer_alloc(Multimin.gradientType(method), dimension) : nil
        let simplexMinimizer = method.usesGradient ? nil : gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, dimension)
        guard gradientMinimizer != nil || simplexMinimizer != nil else {
            let kind = method.usesGradient ? "fdfminimizer" : "fminimizer"
            throw GSLError(operation: "gsl_multimin_\(kind)_alloc(\(method.gslName))", status: Int32(GSL_ENOMEM))
        }
        (self.method, self.dimension, self.objective) = (method, dimension, objective)
        (self.gradientMinimizer, self.simplexMinimizer) = (gradientMinimizer, simplexMinimizer)
        gradientFunction = method.usesGradient ? .allocate(capacity: 1) : nil
        simplexFunction = method.usesGradient ? nil : .allocate(capacity: 1)
        let context = Unmanaged.passUnretained(self).toOpaque()
        gradientFunction?.initialize(to: gsl_multimin_function_fdf(
            f: { x, context in Multimin.from(context).evaluate(x!, nil) },
            df: { x, context, g in _ = Multimin.from(context).evaluate(x!, g!) },
            fdf: { x, context, f, g in f!.pointee = Multimin.from(context).evaluate(x!, g!) },
            n: dimension, params: context))
        simplexFunction?.initialize(to: gsl_multimin_function(
            f: { x, context in Multimin.from(context).evaluate(x!, nil) },
            n: dimension, params: context))
    }

    deinit {
        if let gradientMinimizer { gsl_multimin_fdfminimizer_free(gradientMinimizer) }
        if let simplexMinimizer { gsl_multimin_fminimizer_free(simplexMinimizer) }
        gradientFunction?.deallocate()
        simplexFunction?.deallocate()
    }

    private static func gradientType(_ method: Method) -> UnsafePointer<gsl_multimin_fdfminimizer_type>? {
        switch method {
        case .bfgs2: return gsl_multimin_fdfminimizer_vector_bfgs2
        case .cgFR: return gsl_multimin_fdfminimizer_conjugate_fr
        case .cgPR: return gsl_multimin_fdfminimizer_conjugate_pr
        case .steepest: return gsl_multimin_fdfminimizer_steepest_descent
        case .simplex: return nil
        }
    }

    private static func from(_ context: UnsafeMutableRawPointer?) -> Multimin {
        Unmanaged<Multimin>.fromOpaque(context!).takeUnretainedValue()
    }

    /// Calls the objective on GSL's vectors (contiguous in every GSL method; copied if not).
    private func evaluate(_ x: UnsafePointer<gsl_vector>, _ g: UnsafeMutablePointer<gsl_vector>?) -> Double {
        let n = dimension
        guard x.pointee.stride == 1, g.map({ $0.pointee.stride == 1 }) ?? true else {
            let xs = (0..<n).map { gsl_vector_get(x, $0) }
            var gs = [Double](repeating: 0, count: n)
            let value = xs.withUnsafeBufferPointer { xb in
                g == nil ? objective(xb, nil) : gs.withUnsafeMutableBufferPointer { objective(xb, $0) }
            }
            if let g { for i in 0..<n { gsl_vector_set(g, i, gs[i]) } }
            return value
        }
        return objective(UnsafeBufferPointer(start: x.pointee.data, count: n),
                         g.map { UnsafeMutableBufferPointer(start: $0.pointee.data, count: n) })
    }

    /// Starts from `start` (`gsl_multimin_fdfminimizer_set(start, stepSize, lineTolerance)`, or
    /// `gsl_multimin_fminimizer_set` with every initial simplex edge `stepSize`); this evaluates
    /// the objective at the start.
    /// - Throws: `GSLError` when GSL refuses the start.
    @inlinable
    public func set(start: [Double], stepSize: Double, lineTolerance: Double = 0.1) throws {
        try start.withUnsafeBufferPointer { try set(start: $0, stepSize: stepSize, lineTolerance: lineTolerance) }
    }

    /// `set(start:stepSize:lineTolerance:)` from a buffer (GSL copies it; nothing is allocated).
    public func set(start: UnsafeBufferPointer<Double>, stepSize: Double, lineTolerance: Double = 0.1) throws {
        precondition(start.count == dimension, "the start has \(start.count) coordinates, the minimizer \(dimension)")
        var x0 = gsl_vector_view_array(UnsafeMutablePointer(mutating: start.baseAddress!), dimension)
        if let s = gradientMinimizer {
            let status = gsl_multimin_fdfminimizer_set(s, gradientFunction, &x0.vector, stepSize, lineTolerance)
            try checkGSL(status, "gsl_multimin_fdfminimizer_set(\(method.gslName))")
        } else if let s = simplexMinimizer {
            var edges = [Double](repeating: stepSize, count: dimension)
            let status = edges.withUnsafeMutableBufferPointer { e in
                var steps = gsl_vector_view_array(e.baseAddress!, dimension)
                return gsl_multimin_fminimizer_set(s, simplexFunction, &x0.vector, &steps.vector)
            }
            try checkGSL(status, "gsl_multimin_fminimizer_set(\(method.gslName))")
        }
    }

    /// One iteration (`gsl_multimin_fdfminimizer_iterate` or `gsl_multimin_fminimizer_iterate`);
    /// returns GSL's status (`gslSuccess`, or e.g. `GSL_ENOPROG` when the line search cannot
    /// improve the point).
    public func iterate() -> Int32 {
        if let s = gradientMinimizer { return gsl_multimin_fdfminimizer_iterate(s) }
        return gsl_multimin_fminimizer_iterate(simplexMinimizer!)
    }

    /// The current best point.
    public var point: [Double] {
        let x = gradientMinimizer.map { gsl_multimin_fdfminimizer_x($0) } ?? gsl_multimin_fminimizer_x(simplexMinimizer!)
        return (0..<dimension).map { gsl_vector_get(x, $0) }
    }

    /// Coordinate `i` of `point`, read without making an array.
    public func point(_ i: Int) -> Double {
        gsl_vector_get(gradientMinimizer.map { gsl_multimin_fdfminimizer_x($0) } ?? gsl_multimin_fminimizer_x(simplexMinimizer!), i)
    }

    /// The current state in one call: `point` into `x`, `grad f` into `gradient` (gradient
    /// methods only), and `value` returned; for a caller reading every iterate.
    public func read(point x: UnsafeMutableBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>?) -> Double {
        if let s = gradientMinimizer {
            let xv = gsl_multimin_fdfminimizer_x(s)!, gv = gsl_multimin_fdfminimizer_gradient(s)!
            for i in 0..<dimension { x[i] = gsl_vector_get(xv, i) }
            if let g { for i in 0..<dimension { g[i] = gsl_vector_get(gv, i) } }
            return gsl_multimin_fdfminimizer_minimum(s)
        }
        let xv = gsl_multimin_fminimizer_x(simplexMinimizer!)!
        for i in 0..<dimension { x[i] = gsl_vector_get(xv, i) }
        return gsl_multimin_fminimizer_minimum(simplexMinimizer!)
    }

    /// `f` at `point` (for Nelder-Mead, GSL's record of it, meaningful after the first iterate).
    public var value: Double {
        gradientMinimizer.map { gsl_multimin_fdfminimizer_minimum($0) } ?? gsl_multimin_fminimizer_minimum(simplexMinimizer!)
    }

    /// `grad f` at `point` (nil for Nelder-Mead).
    public var gradient: [Double]? {
        guard let s = gradientMinimizer else { return nil }
        let g = gsl_multimin_fdfminimizer_gradient(s)
        return (0..<dimension).map { gsl_vector_get(g, $0) }
    }

    /// Component `i` of `gradient`, read without making an array (gradient methods only).
    public func gradient(_ i: Int) -> Double {
        gsl_vector_get(gsl_multimin_fdfminimizer_gradient(gradientMinimizer!), i)
    }

    /// `gsl_multimin_test_gradient`: whether `|grad f|_2 < tolerance` (false for Nelder-Mead).
    public func testGradient(_ tolerance: Double) -> Bool {
        guard let s = gradientMinimizer else { return false }
        return gsl_multimin_test_gradient(gsl_multimin_fdfminimizer_gradient(s), tolerance) == gslSuccess
    }

    /// `gsl_multimin_test_size` of `gsl_multimin_fminimizer_size`: whether the simplex's mean
    /// distance from its centre is below `tolerance` (false for the gradient methods).
    public func testSize(_ tolerance: Double) -> Bool {
        guard let s = simplexMinimizer else { return false }
        return gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), tolerance) == gslSuccess
    }

    /// Why `minimize` stopped.
    public enum Stop: String, Sendable {
        /// `testGradient(tolerance)` (gradient methods) or `testSize(tolerance)` (Nelder-Mead) held.
        case converged
        /// An iterate returned a status other than `gslSuccess` (given in `Result.status`).
        case noProgress = "no-progress"
        /// `maxIterations` iterates were taken.
        case maxIterations = "max-iterations"
    }

    /// The outcome of `minimize`.
    public struct Result: Sendable {
        public var point: [Double]
        public var value: Double
        /// `grad f` at `point` (nil for Nelder-Mead).
        public var gradient: [Double]?
        /// `sqrt(sum_i g_i^2)`, summed in index order (nil for Nelder-Mead).
        public var gradientNorm: Double?
        public var iterations: Int
        public var stop: Stop
        /// The status of the last iterate (`gslSuccess` unless `stop == .noProgress`).
        public var status: Int32
    }

    /// GSL's usual loop: `set(start:stepSize:lineTolerance:)`, then iterate until an iterate
    /// fails, the convergence test holds after an iterate (`testGradient(tolerance)` for the
    /// gradient methods, `testSize(tolerance)` for Nelder-Mead), or after `maxIterations` iterates.
    /// - Throws: `GSLError` when GSL cannot allocate the minimizer or refuses the start.
    public static func minimize(_ method: Method, from start: [Double], stepSize: Double, lineTolerance: Double = 0.1,
                                tolerance: Double, maxIterations: Int, objective: @escaping Objective) throws -> Result {
        let minimizer = try Multimin(method, dimension: start.count, objective: objective)
        try minimizer.set(start: start, stepSize: stepSize, lineTolerance: lineTolerance)
        var iterations = 0, status = gslSuccess, stop = Stop.maxIterations
        while iterations < maxIterations {
            status = minimizer.iterate()
            iterations += 1
            if status != gslSuccess { stop = .noProgress; break }
            if method.usesGradient ? minimizer.testGradient(tolerance) : minimizer.testSize(tolerance) { stop = .converged; break }
        }
        let gradient = minimizer.gradient
        let norm = gradient.map { g in g.reduce(0.0) { $0 + $1 * $1 }.squareRoot() }
        return Result(point: minimizer.point, value: minimizer.value, gradient: gradient, gradientNorm: norm,
                      iterations: iterations, stop: stop, status: status)
    }
}
