import Foundation
import Linalg
import Optim
import PropertyBased
import Testing

/// Convergence on a convex quadratic `f(x) = 1/2 (x - x*)^T A (x - x*)` with a random rotation
/// `A = Q diag(lambda) Q^T`, eigenvalues from `mu = 1` to `L = 10` (condition 10), `d = 10`.
@Suite struct ConvergenceTests {
    struct Quadratic {
        var a: Matrix<Double>
        var optimum: [Double]
        let smallest = 1.0, largest = 10.0

        init(_ random: RandomSource, dimension d: Int = 10) {
            // Q: Gram-Schmidt on a Gaussian matrix (columns), twice for orthogonality to rounding.
            var q = random.gaussianMatrix(d, d)
            for _ in 0..<2 {
                for j in 0..<d {
                    for k in 0..<j {
                        let dot = (0..<d).reduce(0.0) { $0 + q[$1, j] * q[$1, k] }
                        for i in 0..<d { q[i, j] -= dot * q[i, k] }
                    }
                    let norm = (0..<d).reduce(0.0) { $0 + q[$1, j] * q[$1, j] }.squareRoot()
                    for i in 0..<d { q[i, j] /= norm }
                }
            }
            let lambdas = (0..<d).map { 1 + 9 * Double($0) / Double(d - 1) }
            let diagonal = Matrix<Double>(rows: d, cols: d) { $0 == $1 ? lambdas[$0] : 0 }
            a = q * diagonal * q.transposed
            optimum = (0..<d).map { _ in random.gaussian() }
        }

        func gradient(_ x: [Double]) -> [Double] {
            (a * Matrix(column: zip(x, optimum).map { $0 - $1 })).elements
        }

        func distance(_ x: [Double], to target: [Double]) -> Double {
            zip(x, target).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        }
    }

    /// Heavy ball with Polyak's parameters `eta = 4 / (sqrt L + sqrt mu)^2`,
    /// `mu_m = ((sqrt kappa - 1) / (sqrt kappa + 1))^2` contracts like `rho^t`,
    /// `rho = (sqrt kappa - 1) / (sqrt kappa + 1) = 0.52` (times a factor linear in t): after 300
    /// steps that is below 1e-80, so only rounding remains; we require 1e-10 of the start.
    @Test func heavyBallConverges() async {
        await propertyCheck(count: 20, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let f = Quadratic(random)
            let kappa = f.largest / f.smallest
            let eta = 4 / pow(f.largest.squareRoot() + f.smallest.squareRoot(), 2)
            let momentum = pow((kappa.squareRoot() - 1) / (kappa.squareRoot() + 1), 2)
            var sgd = SGD(parameterCount: 10, momentum: momentum)
            var x = (0..<10).map { _ in random.gaussian() }
            let start = f.distance(x, to: f.optimum)
            for _ in 0..<300 { sgd.step(parameters: &x, gradient: f.gradient(x), learningRate: eta) }
            #expect(f.distance(x, to: f.optimum) <= 1e-10 * start, "seed \(seed)")
        }
    }

    /// Nesterov with `eta = 1/L`, `mu_m = (sqrt kappa - 1) / (sqrt kappa + 1)`: contraction
    /// `1 - 1/sqrt(kappa) = 0.68` per step in the worst case; after 400 steps below 1e-60.
    @Test func nesterovConverges() async {
        await propertyCheck(count: 20, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let f = Quadratic(random)
            let kappa = f.largest / f.smallest
            var sgd = SGD(parameterCount: 10, momentum: (kappa.squareRoot() - 1) / (kappa.squareRoot() + 1), nesterov: true)
            var x = (0..<10).map { _ in random.gaussian() }
            let start = f.distance(x, to: f.optimum)
            for _ in 0..<400 { sgd.step(parameters: &x, gradient: f.gradient(x), learningRate: 1 / f.largest) }
            #expect(f.distance(x, to: f.optimum) <= 1e-10 * start, "seed \(seed)")
        }
    }

    /// Coupled weight decay minimises `f(x) + lambda/2 ||x||^2`: the limit solves
    /// `(A + lambda I) x = A x*` (a different point from `x*`, so the test sees the decay).
    @Test func coupledDecayConvergesToRegularisedMinimiser() async {
        await propertyCheck(count: 20, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let f = Quadratic(random)
            let lambda = 0.5
            let target = try! ((f.a + lambda * Matrix<Double>.identity(10)).solve(f.a * Matrix(column: f.optimum))).elements
            var sgd = SGD(parameterCount: 10, momentum: 0.5, weightDecay: lambda)
            var x = (0..<10).map { _ in random.gaussian() }
            let start = f.distance(x, to: target)
            for _ in 0..<400 { sgd.step(parameters: &x, gradient: f.gradient(x), learningRate: 0.1) }
            #expect(f.distance(x, to: target) <= 1e-10 * start, "seed \(seed)")
            #expect(f.distance(target, to: f.optimum) > 1e-3)
        }
    }

    /// Adam and AdamW (no decay) with a warm-up cosine schedule annealed to 0 reach the optimum:
    /// with a constant rate Adam hovers at a distance of order eta (its steps have size about
    /// eta per coordinate), so the schedule is what makes the end point accurate. We require
    /// 1e-4 of the start after 3000 steps; the paper's b2 = 0.98 and the default 0.999 both.
    @Test func adamWithCosineScheduleConverges() async {
        await propertyCheck(count: 10, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let f = Quadratic(random)
            for beta2 in [0.98, 0.999] {
                let schedule = Schedule.warmupCosineDecay(initialValue: 0, peakValue: 0.1, warmupSteps: 100, decaySteps: 3000, endValue: 0)
                var adam = Adam(parameterCount: 10, beta2: beta2)
                var x = (0..<10).map { _ in random.gaussian() }
                let start = f.distance(x, to: f.optimum)
                for t in 0..<3000 { adam.step(parameters: &x, gradient: f.gradient(x), learningRate: schedule(t)) }
                #expect(f.distance(x, to: f.optimum) <= 1e-4 * start, "seed \(seed) beta2 \(beta2): \(f.distance(x, to: f.optimum)) from \(start)")
            }
        }
    }
}
