import Linalg
import PropertyBased
import Testing

/// `LevenbergMarquardt` on problems with known minimisers.
@Suite struct LevenbergMarquardtTests {
    /// Rosenbrock as least squares, `r = (10 (x_2 - x_1^2), 1 - x_1)`: the only minimiser is
    /// `(1, 1)` with `f = 0`, reached from the classic start `(-1.2, 1)` along the curved valley.
    @Test func rosenbrockReachesItsMinimiser() {
        let run = LevenbergMarquardt.minimize(from: [-1.2, 1], tolerance: 1e-12, maxIterations: 500) { x in
            let r = [10 * (x[1] - x[0] * x[0]), 1 - x[0]]
            let j = [[-20 * x[0], 10], [-1, 0]]
            let g = (0..<2).map { p in r[0] * j[0][p] + r[1] * j[1][p] }
            let h = (0..<2).flatMap { p in (0..<2).map { q in j[0][p] * j[0][q] + j[1][p] * j[1][q] } }
            return ((r[0] * r[0] + r[1] * r[1]) / 2, g, h)
        }
        #expect(run.stop == .converged && run.gradientNorm! <= 1e-12)
        #expect(abs(run.point[0] - 1) <= 1e-10 && abs(run.point[1] - 1) <= 1e-10, "\(run.point)")
    }

    /// Linear least squares `min |A x - b|^2 / 2` (random `A` of 8 x 3): the minimiser is the
    /// normal equations' solution `(A^T A)^-1 A^T b`, solved here by GSL's LU on its own. A
    /// gradient below `1e-10` leaves `x` within `1e-10 / lambda_min(A^T A)` of it.
    @Test func linearLeastSquaresIsTheNormalEquations() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let a = random.gaussianMatrix(8, 3), b = random.gaussianMatrix(8, 1)
            let normal = a.transposed * a
            let expected = try! normal.solve(a.transposed * b)
            let run = LevenbergMarquardt.minimize(from: [0, 0, 0], tolerance: 1e-10, maxIterations: 200) { x in
                let r = a * Matrix(rows: 3, cols: 1, elements: x) - b
                let g = (a.transposed * r).elements
                return (r.elements.reduce(0) { $0 + $1 * $1 } / 2, g, normal.elements)
            }
            #expect(run.stop == .converged, "seed \(seed): \(run.stop) after \(run.iterations), |g| \(run.gradientNorm!), f \(run.value)")
            let smallest = (try! normal.inverse()).elements.map(abs).max()!  // >= 1 / lambda_min / 3
            for (x, y) in zip(run.point, expected.elements) {
                #expect(abs(x - y) <= 3e-10 * smallest + 1e-12 * abs(y), "seed \(seed): \(x) vs \(y)")
            }
        }
    }

    /// A function it cannot lower from the start (a model whose every step raises `f`): it stops
    /// with `noProgress`, at the start, after no accepted step.
    @Test func stopsWithoutProgress() {
        let run = LevenbergMarquardt.minimize(from: [1], tolerance: 1e-12, maxIterations: 50) { x in
            (x[0] == 1 ? 0 : 1, [1], [1])  // a minimum the (wrong) gradient points away from
        }
        #expect(run.stop == .noProgress && run.point == [1] && run.iterations == 0)
    }
}
