@preconcurrency import CGSL
import Glibc
import Linalg

/// The gradient flow `dtheta/dt = -grad Loss(theta)` of a `ReddyModel`, its parts under one
/// name in the manner of GSL's odeiv2 (step type, control, evolve, driver): `Stepper` is the
/// step type, `Options` the control's tolerances and the driver's limits, `Trajectory` what
/// the driver records, `Error` why it could not go on. `ReddyModel.gradientFlow(_:)`
/// integrates it; `ReddyModel.gradientDescent(learningRate:...)`, its discretization, records
/// a `Trajectory` too.
public enum GradientFlow {}

extension GradientFlow {
    /// The GSL odeiv2 steppers offered for the gradient flow.
    public enum Stepper: String, CaseIterable, Sendable {
        /// `gsl_odeiv2_step_rk8pd`: explicit embedded Runge-Kutta Prince-Dormand (8, 9), adaptive.
        case rk8pd
        /// `gsl_odeiv2_step_rkf45`: explicit embedded Runge-Kutta-Fehlberg (4, 5).
        case rkf45
        /// `gsl_odeiv2_step_rkck`: explicit embedded Runge-Kutta Cash-Karp (4, 5).
        case rkck
        /// `gsl_odeiv2_step_msadams`: variable-order Adams (explicit/implicit), non-stiff.
        case msadams
        /// `gsl_odeiv2_step_rk4imp`: implicit Gaussian 4th order Runge-Kutta; uses the Jacobian.
        case rk4imp
        /// `gsl_odeiv2_step_bsimp`: implicit Bulirsch-Stoer (Bader-Deuflhard); uses the Jacobian.
        case bsimp
        /// `gsl_odeiv2_step_msbdf`: variable-order BDF, for stiff problems; uses the exact
        /// Jacobian `d(-grad)/dtheta = -Hessian`.
        case msbdf

        /// GSL's step type.
        var stepType: UnsafePointer<gsl_odeiv2_step_type>! {
            switch self {
            case .rk8pd: return gsl_odeiv2_step_rk8pd
            case .rkf45: return gsl_odeiv2_step_rkf45
            case .rkck: return gsl_odeiv2_step_rkck
            case .msadams: return gsl_odeiv2_step_msadams
            case .rk4imp: return gsl_odeiv2_step_rk4imp
            case .bsimp: return gsl_odeiv2_step_bsimp
            case .msbdf: return gsl_odeiv2_step_msbdf
            }
        }
    }

    /// Settings of a gradient-flow integration `dtheta/dt = -grad Loss(theta)`.
    ///
    /// The defaults were chosen by measurement (`icl phen steppers`) as the cheapest combination
    /// that locates the cliff within 1e-6 relative of a 1e-13 reference with a margin: Cash-Karp
    /// (4, 5) at `rtol = atol = 1e-7` with the cliff refined by 16 sub-steps stays within 2.7e-7
    /// for N from 2 to 256 (28 pairs (N, L), L from N + 1 to 25N), with about half the evaluations
    /// of rk8pd at 1e-10, whose unrefined cliff time was off by up to 7e-5; at 1e-6 it reaches
    /// 1.8e-6 (N = 2, L = 8).
    public struct Options: Sendable {
        public var method: Stepper = .rkck
        /// The starting point (default: the origin).
        public var initial: ReddyPoint = .origin
        /// `gsl_odeiv2_control_y_new(absoluteTolerance, relativeTolerance)`.
        public var absoluteTolerance = 1e-7
        public var relativeTolerance = 1e-7
        /// First trial step.
        public var initialStep = 1e-3
        /// Largest step (nil: unlimited), to sample a slow phase more finely.
        public var maxStep: Double?
        /// Stop integrating at this time.
        public var timeLimit = 1e7
        /// Stop once the loss is at or below this (nil: `0.01 log L`, 1% of chance) ...
        public var stopLoss: Double?
        /// ... after running on for this fraction of the time taken to reach it (to show the tail).
        public var extraTimeFraction = 0.2
        public var maxSteps = 1_000_000
        /// After the run, the two steps around the sample of largest slope are integrated again
        /// with steps of at most a `cliffRefinement`-th of that window (0: not refined), so the
        /// cliff (the maximum of the slope, read off a cubic Hermite interpolant) is located on
        /// finely spaced samples: its error falls like the fourth power of the spacing.
        public var cliffRefinement = 16

        public init() {}
    }

    /// Errors of the dynamics (the flow and gradient descent).
    public enum Error: Swift.Error, CustomStringConvertible {
        case gsl(GSLError)
        case nonFinite(time: Double, point: ReddyPoint)
        case invalidOptions(String)

        public var description: String {
            switch self {
            case .gsl(let e): return e.description + " (try smaller tolerances, or the msbdf stepper)"
            case let .nonFinite(t, p): return "the gradient is not finite at t = \(t), (beta, alpha, xi) = (\(p.beta), \(p.alpha), \(p.xi))"
            case .invalidOptions(let s): return s
            }
        }
    }
}

extension ReddyModel {
    /// The default stop level of the dynamics: 1% of the chance loss `log L`.
    public var defaultStopLoss: Double { 0.01 * log(Double(labels)) }

    /// Integrates the gradient flow with GSL odeiv2 (`gsl_odeiv2_evolve_apply` on a driver's
    /// step, control and evolve objects), recording every accepted step.
    @_specialize(exported: true, where Attention == SoftmaxAttention)
    @_specialize(exported: true, where Attention == DirectAttention)
    public func gradientFlow(_ options: GradientFlow.Options = GradientFlow.Options()) throws -> GradientFlow.Trajectory {
        disableGSLAbort()
        guard options.timeLimit > 0, options.initialStep > 0, options.absoluteTolerance >= 0, options.relativeTolerance >= 0,
              options.absoluteTolerance + options.relativeTolerance > 0 else {
            throw GradientFlow.Error.invalidOptions("time limit and first step must be positive, tolerances non-negative and not both 0")
        }
        let objective = Objective(self)
        let system = UnsafeMutablePointer<gsl_odeiv2_system>.allocate(capacity: 1)
        defer { system.deallocate() }
        system.initialize(to: gsl_odeiv2_system(
            function: { _, y, dydt, ctx in
                let o = Objective.from(ctx)
                let g = o.gradient(ReddyPoint(beta: y![0], alpha: y![1], xi: y![2]))
                for i in 0..<3 { dydt![i] = -g[i] }
                return o.sawNonFinite ? Int32(GSL_EBADFUNC) : Int32(GSL_SUCCESS)
            },
            jacobian: { _, y, dfdy, dfdt, ctx in
                let h = Objective.from(ctx).hessianAt(ReddyPoint(beta: y![0], alpha: y![1], xi: y![2]))
                for i in 0..<3 {
                    dfdt![i] = 0
                    for j in 0..<3 { dfdy![3 * i + j] = -h[i, j] }
                }
                return Int32(GSL_SUCCESS)
            },
            dimension: 3, params: objective.context))
        guard let driver = gsl_odeiv2_driver_alloc_y_new(system, options.method.stepType, options.initialStep,
                                                         options.absoluteTolerance, options.relativeTolerance) else {
            throw GradientFlow.Error.gsl(GSLError(operation: "gsl_odeiv2_driver_alloc_y_new(\(options.method.rawValue))", status: Int32(GSL_ENOMEM)))
        }
        defer { gsl_odeiv2_driver_free(driver) }

        var trajectory = GradientFlow.Trajectory(kind: .flow(options.method))
        trajectory.coordinateNames = ReddyCoordinates.names(attention)
        var y = [options.initial[0], options.initial[1], options.initial[2]]
        var t = 0.0
        var h = options.initialStep
        trajectory.record(self, time: t, point: options.initial)
        let stopLoss = options.stopLoss ?? defaultStopLoss
        var end = options.timeLimit
        var reached = trajectory.losses[0] <= stopLoss
        if reached { end = 0 }
        trajectory.stop = reached ? .lossTarget : .timeLimit
        /// One accepted step of at most `hmax` towards `end` (GSL's evolve: step, control, retry).
        func step(_ t: inout Double, _ end: Double, _ h: inout Double, _ y: inout [Double], hmax: Double?) throws {
            if let hmax { h = min(h, hmax) }
            let status = withExtendedLifetime(objective) {
                gsl_odeiv2_evolve_apply(driver.pointee.e, driver.pointee.c, driver.pointee.s, system, &t, end, &h, &y)
            }
            if objective.sawNonFinite { throw GradientFlow.Error.nonFinite(time: t, point: ReddyPoint(beta: y[0], alpha: y[1], xi: y[2])) }
            do { try checkGSL(status, "gsl_odeiv2_evolve_apply(\(options.method.rawValue)) at t = \(t)") } catch let e as GSLError {
                throw GradientFlow.Error.gsl(e)
            }
        }
        while t < end {
            if trajectory.steps >= options.maxSteps { trajectory.stop = .stepLimit; break }
            try step(&t, end, &h, &y, hmax: options.maxStep)
            trajectory.steps += 1
            trajectory.record(self, time: t, point: ReddyPoint(beta: y[0], alpha: y[1], xi: y[2]))
            if !reached && trajectory.losses.last! <= stopLoss {
                reached = true
                trajectory.stop = .lossTarget
                end = min(options.timeLimit, t * (1 + options.extraTimeFraction))
            }
        }
        if options.cliffRefinement > 0,
           let i = trajectory.slopes.indices.max(by: { trajectory.slopes[$0] < trajectory.slopes[$1] }),
           i > 0, i < trajectory.count - 1 {
            let (start, end) = (trajectory.times[i - 1], trajectory.times[i + 1])
            let largest = (end - start) / Double(options.cliffRefinement)
            var window = GradientFlow.Trajectory(kind: trajectory.kind)
            let p = trajectory.points[i - 1]
            var (y, t, h) = ([p[0], p[1], p[2]], start, largest)
            gsl_odeiv2_driver_reset(driver)
            while t < end {
                try step(&t, end, &h, &y, hmax: largest)
                window.steps += 1
                window.record(self, time: t, point: ReddyPoint(beta: y[0], alpha: y[1], xi: y[2]))
            }
            trajectory.replaceSamples(i...(i + 1), with: window)
        }
        trajectory.evaluations = objective.gradientEvaluations
        return trajectory
    }

    /// Discrete gradient descent `theta_{k+1} = theta_k - learningRate grad Loss(theta_k)`,
    /// recording every step at time `k * learningRate`, with the same stop rule as the flow.
    @_specialize(exported: true, where Attention == SoftmaxAttention)
    @_specialize(exported: true, where Attention == DirectAttention)
    public func gradientDescent(learningRate: Double, initial: ReddyPoint = .origin, timeLimit: Double = 1e7,
                                stopLoss: Double? = nil, extraTimeFraction: Double = 0.2,
                                maxSteps: Int = 1_000_000) throws -> GradientFlow.Trajectory {
        guard learningRate > 0, learningRate.isFinite else {
            throw GradientFlow.Error.invalidOptions("the learning rate must be positive, got \(learningRate)")
        }
        var trajectory = GradientFlow.Trajectory(kind: .descent(learningRate: learningRate))
        trajectory.coordinateNames = ReddyCoordinates.names(attention)
        var theta = initial
        trajectory.record(self, time: 0, point: theta)
        let stop = stopLoss ?? defaultStopLoss
        var endStep = Int(min(Double(maxSteps), (timeLimit / learningRate).rounded(.down)))
        var reached = trajectory.losses[0] <= stop
        if reached { endStep = 0 }
        trajectory.stop = reached ? .lossTarget : (Double(maxSteps) * learningRate < timeLimit ? .stepLimit : .timeLimit)
        var k = 0
        while k < endStep {
            let g = trajectory.gradients.last!
            theta.vector -= learningRate * g
            k += 1
            trajectory.record(self, time: Double(k) * learningRate, point: theta)
            guard trajectory.losses.last!.isFinite, (trajectory.gradients.last! * trajectory.gradients.last!).sum().isFinite else {
                throw GradientFlow.Error.nonFinite(time: Double(k) * learningRate, point: theta)
            }
            if !reached && trajectory.losses.last! <= stop {
                reached = true
                trajectory.stop = .lossTarget
                endStep = min(endStep, Int((Double(k) * (1 + extraTimeFraction)).rounded(.up)))
            }
        }
        trajectory.steps = k
        trajectory.evaluations = k + 1
        return trajectory
    }
}
