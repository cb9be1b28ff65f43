extension GradientFlow {
    /// A trajectory of the dynamics, sampled at the accepted steps, with the derivatives of
    /// every recorded quantity along the gradient flow so that values between samples come from
    /// cubic Hermite interpolation (no re-integration; at the default tolerances it agrees with a
    /// re-integration to about 1e-4 relative, checked in DynamicsTests):
    ///
    ///     dtheta/dt = -g,   dLoss/dt = -|g|^2 = -s,   ds/dt = -2 g^T H g
    ///
    /// (`g` the gradient, `H` the Hessian, `s` the loss slope). For discrete gradient descent the
    /// time of step k is `k * learningRate` and the same flow derivatives are recorded: the
    /// measurements then describe GD as a sampled approximation of the flow.
    public struct Trajectory: Sendable {
        public enum Kind: Sendable, Equatable {
            case flow(Stepper)
            case descent(learningRate: Double)
        }

        /// Why the integration ended.
        public enum Stop: String, Sendable {
            /// The loss reached the stop level (and the run went on for the requested extra time).
            case lossTarget = "loss-target"
            /// The time limit was reached.
            case timeLimit = "time-limit"
            /// The step limit was reached.
            case stepLimit = "step-limit"
        }

        public var kind: Kind
        /// The model's coordinate names (`ReddyCoordinates.names`), for headers and legends.
        public var coordinateNames = ReddyCoordinates.standard
        public var times: [Double] = []
        public var points: [ReddyPoint] = []
        public var losses: [Double] = []
        public var gradients: [SIMD3<Double>] = []
        /// `s = |g|^2`, the rate of loss decrease along the flow.
        public var slopes: [Double] = []
        /// `ds/dt = -2 g^T H g`.
        public var slopeRates: [Double] = []
        public var stop: Stop = .timeLimit
        /// ODE steps or GD steps taken.
        public var steps = 0
        /// Gradient (right-hand side) evaluations, including the Jacobian calls of msbdf.
        public var evaluations = 0

        public init(kind: Kind) { self.kind = kind }

        public var count: Int { times.count }

        /// Appends a sample, evaluating the model there.
        mutating func record<A>(_ model: ReddyModel<A>, time: Double, point: ReddyPoint) {
            let e = model.evaluate(at: point)
            let g = e.gradient
            times.append(time)
            points.append(point)
            losses.append(e.loss)
            gradients.append(g)
            slopes.append((g * g).sum())
            slopeRates.append(-2 * (g * e.hessian.apply(g)).sum())
        }

        /// Replaces the samples in `range` by those of `window` (a re-integration of the same
        /// stretch of time) and counts its steps.
        mutating func replaceSamples(_ range: ClosedRange<Int>, with window: Trajectory) {
            times.replaceSubrange(range, with: window.times)
            points.replaceSubrange(range, with: window.points)
            losses.replaceSubrange(range, with: window.losses)
            gradients.replaceSubrange(range, with: window.gradients)
            slopes.replaceSubrange(range, with: window.slopes)
            slopeRates.replaceSubrange(range, with: window.slopeRates)
            steps += window.steps
        }

        /// The index `i` with `times[i] <= t <= times[i+1]` (clamped to the ends).
        func interval(containing t: Double) -> Int {
            var lo = 0, hi = times.count - 1
            if t <= times[0] { return 0 }
            if t >= times[hi] { return max(0, hi - 1) }
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if times[mid] <= t { lo = mid } else { hi = mid }
            }
            return lo
        }

        /// Cubic Hermite interpolation of a sampled quantity with derivative samples.
        func hermite(_ values: (Int) -> Double, _ derivatives: (Int) -> Double, at t: Double) -> Double {
            guard times.count > 1 else { return values(0) }
            let i = interval(containing: t)
            let h = times[i + 1] - times[i]
            guard h > 0 else { return values(i) }
            let x = min(max((t - times[i]) / h, 0), 1)
            let x2 = x * x, x3 = x2 * x
            return (2 * x3 - 3 * x2 + 1) * values(i) + (x3 - 2 * x2 + x) * h * derivatives(i)
                + (-2 * x3 + 3 * x2) * values(i + 1) + (x3 - x2) * h * derivatives(i + 1)
        }

        /// The loss at time `t` (Hermite, with `dLoss/dt = -s`).
        public func loss(at t: Double) -> Double {
            hermite({ losses[$0] }, { -slopes[$0] }, at: t)
        }

        /// Coordinate `k` of the parameters at time `t` (Hermite, with `dtheta/dt = -g`).
        public func parameter(_ k: Int, at t: Double) -> Double {
            hermite({ points[$0][k] }, { -gradients[$0][k] }, at: t)
        }

        /// The loss slope `s = -dLoss/dt` at time `t` (Hermite, with `ds/dt`).
        public func slope(at t: Double) -> Double {
            hermite({ slopes[$0] }, { slopeRates[$0] }, at: t)
        }

        /// The first time at which `f(i)` crosses from `false` to `true` between samples, located
        /// by bisection on the interpolant `value(t)` (nil if it never does).
        func firstTime(where sampled: (Int) -> Bool, _ value: (Double) -> Bool) -> Double? {
            guard let i = times.indices.first(where: sampled) else { return nil }
            if i == 0 { return times[0] }
            var lo = times[i - 1], hi = times[i]
            for _ in 0..<100 where hi - lo > 0 {
                let mid = lo + (hi - lo) / 2
                if mid <= lo || mid >= hi { break }
                if value(mid) { hi = mid } else { lo = mid }
            }
            return hi
        }

        /// The first time at which `|theta_k| > threshold` (nil if never on the trajectory).
        public func firstExceeds(_ k: Int, threshold: Double) -> Double? {
            firstTime(where: { abs(points[$0][k]) > threshold }, { abs(parameter(k, at: $0)) > threshold })
        }

        /// The first time at which the loss is at or below `level` (nil if never).
        public func firstTime(lossAtOrBelow level: Double) -> Double? {
            firstTime(where: { losses[$0] <= level }, { loss(at: $0) <= level })
        }
    }
}
