import Linalg
import Testing

/// `Multimin` on a function with a known minimizer: every method finds it, reports why it
/// stopped, and the step-by-step accessors agree with `minimize`'s result.
@Suite struct MultiminTests {
    /// `f(x) = sum_i w_i (x_i - c_i)^2 + (x_0 - c_0)^2 (x_1 - c_1)^2`, minimum 0 at `c`; `w`
    /// unequal so the gradient methods must leave the diagonal.
    static let centre = [1.5, -2.0, 0.25], weights = [1.0, 4.0, 0.5]

    static func f(_ x: UnsafeBufferPointer<Double>, _ g: UnsafeMutableBufferPointer<Double>?) -> Double {
        let d = (0..<3).map { x[$0] - centre[$0] }
        if let g {
            for i in 0..<3 { g[i] = 2 * weights[i] * d[i] }
            g[0] += 2 * d[0] * d[1] * d[1]
            g[1] += 2 * d[1] * d[0] * d[0]
        }
        return (0..<3).reduce(0.0) { $0 + weights[$1] * d[$1] * d[$1] } + d[0] * d[0] * d[1] * d[1]
    }

    @Test(arguments: Multimin.Method.allCases)
    func everyMethodFindsTheMinimizer(_ method: Multimin.Method) throws {
        let tolerance = method.usesGradient ? 1e-8 : 1e-9
        let r = try Multimin.minimize(method, from: [0, 0, 0], stepSize: 0.1, tolerance: tolerance, maxIterations: 100_000,
                                      objective: Self.f)
        #expect(r.stop == .converged && r.status == gslSuccess, "\(method): \(r)")
        for i in 0..<3 { #expect(abs(r.point[i] - Self.centre[i]) < 1e-4, "\(method): \(r.point)") }
        #expect(r.value < 1e-8 && r.value >= 0, "\(method): f = \(r.value)")
        #expect((r.gradient == nil) == !method.usesGradient && (r.gradientNorm == nil) == !method.usesGradient)
        if let norm = r.gradientNorm { #expect(norm < tolerance) }
    }

    /// Step by step: the accessors read the same state, and `maxIterations` bounds the run.
    @Test func stepByStepMatchesTheLoop() throws {
        let m = try Multimin(.bfgs2, dimension: 3, objective: Self.f)
        try m.set(start: [0, 0, 0], stepSize: 0.1)
        #expect(m.value == [0.0, 0, 0].withUnsafeBufferPointer { Self.f($0, nil) })
        for _ in 0..<3 { #expect(m.iterate() == gslSuccess) }
        let loop = try Multimin.minimize(.bfgs2, from: [0, 0, 0], stepSize: 0.1, tolerance: 0, maxIterations: 3, objective: Self.f)
        #expect(loop.iterations == 3 && loop.stop == .maxIterations)
        #expect(m.point == loop.point && m.value == loop.value && m.gradient == loop.gradient)
        #expect((0..<3).map { m.point($0) } == m.point && (0..<3).map { m.gradient($0) } == m.gradient!)
        #expect(!m.testSize(1e300), "testSize is for the simplex only")
    }
}
