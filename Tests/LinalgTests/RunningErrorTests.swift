import Linalg
import PropertyBased
import Testing

/// The running bound covers the true rounding error: random chains of +, -, *, / on random
/// inputs, evaluated on `RunningError` and exactly in `Rational` from the same inputs; the
/// exact value lies within `error` of the computed one, and the bound is not vacuous.
@Suite struct RunningErrorTests {
    @Test func boundCoversTheExactValue() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let inputs = (0..<6).map { _ in random.uniform(in: -4..<4) }
            var approx = inputs.map { RunningError(exact: $0) }
            var exact = inputs.map { Rational(approximating: $0) }
            for _ in 0..<40 {
                let i = random.int(in: 0...(approx.count - 1)), j = random.int(in: 0...(approx.count - 1))
                switch random.int(in: 0...3) {
                case 0: approx.append(approx[i] + approx[j]); exact.append(exact[i] + exact[j])
                case 1: approx.append(approx[i] - approx[j]); exact.append(exact[i] - exact[j])
                case 2: approx.append(approx[i] * approx[j]); exact.append(exact[i] * exact[j])
                default:
                    // Divide only by values safely away from zero (the bound is infinite otherwise).
                    guard abs(approx[j].value) > 0.1, approx[j].error < 0.01 * abs(approx[j].value) else { continue }
                    approx.append(approx[i] / approx[j]); exact.append(exact[i] / exact[j])
                }
            }
            for (a, e) in zip(approx, exact) where a.error.isFinite && abs(a.value) < 1e100 {
                let deviation = abs((Rational(approximating: a.value) - e).doubleValue)
                #expect(deviation <= a.error, "seed \(seed): value \(a.value), exact \(e.doubleValue), deviation \(deviation) > bound \(a.error)")
                #expect(a.error <= 1e-6 * max(1, abs(a.value)) || a.error.isInfinite, "seed \(seed): vacuous bound \(a.error) on \(a.value)")
            }
        }
    }

    /// The specialised product (eight columns at a time on AVX-512F; on AVX2 eight, then four,
    /// then the last n mod 4 as a zero-padded group of four) is the generic triple loop, bit for
    /// bit (values and bounds).
    @Test func productIsTheGenericLoop() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let (m, k, n) = (random.int(in: 1...7), random.int(in: 1...7), random.int(in: 1...37))
            func matrix(_ r: Int, _ c: Int) -> Matrix<RunningError> {
                Matrix(rows: r, cols: c, elements: (0..<(r * c)).map { _ in
                    random.int(in: 0...3) == 0 ? .zero : RunningError(value: random.uniform(in: -2..<2), error: random.uniform(in: 0..<1e-12))
                })
            }
            let a = matrix(m, k), b = matrix(k, n)
            #expect(a * b == Matrix.naiveProduct(a, b), "seed \(seed)")
        }
    }

    /// One operation on exact inputs carries exactly its own rounding bound, `u (1 + 2u) |result|`;
    /// negation and exact inputs carry none.
    @Test func oneOperationCarriesItsRounding() {
        let a = RunningError(exact: 3), b = RunningError(exact: 0.7), u = 0x1p-53 * (1 + 0x1p-52)
        for r in [a + b, a - b] { #expect(r.error == u * abs(r.value)) }
        for r in [a * b, a / b] { #expect(r.error == u * abs(r.value) + Double.leastNonzeroMagnitude) }
        // A product that underflows to zero is not exact: its bound is not zero.
        let tiny = RunningError(exact: 0x1p-600) * RunningError(exact: 0x1p-600)
        #expect(tiny.value == 0 && tiny.error == Double.leastNonzeroMagnitude)
        #expect((-a).error == 0 && a.error == 0 && RunningError(7).error == 0)
    }
}
