import Constructions
import Linalg
import Testing

/// The failing side of each guard in a check: a bound above its limit does not "hold", an error
/// above its bound does not, a NaN never does.
@Suite struct CheckResultTests {
    /// The documented contract (README, `icl verify`): a bound passes only below `1e-4` of the
    /// signal, so a mistake that changes the result by a thousandth of the signal cannot hide
    /// under a loose bound. The limit is written here, not read from the constant under test.
    @Test func boundAboveTheDiscriminationLimitDoesNotHold() {
        let limit = 1e-4
        #expect(CheckResult.discrimination <= limit)
        #expect(!CheckResult(error: 0, bound: 1e-3, signal: 1, withinBound: true, exact: false).holds)
        #expect(CheckResult(error: 0, bound: 0.5 * limit, signal: 1, withinBound: true, exact: false).holds)
        #expect(!CheckResult(error: 0, bound: 2 * limit, signal: 1, withinBound: true, exact: false).holds)
        #expect(!CheckResult(error: 0, bound: 0, signal: 1, withinBound: false, exact: false).holds)
        #expect(CheckResult(error: 0, bound: 1, signal: 1, withinBound: true, exact: true).holds)
    }

    /// The signal a bound is measured against is the largest change the reference makes to the
    /// tokens, not their size (hand-computed: the initial tokens tiled over the trajectory's
    /// columns; the largest change 0.5 sits beside entries of size 100, so a tiny change is never
    /// mistaken for a large signal).
    @Test func signalIsTheChangeNotTheTokens() {
        let initial = Matrix<Double>(rows: 2, cols: 2, elements: [100, 2, 3, -100])
        let reference = Matrix<Double>(rows: 2, cols: 4, elements: [100, 2.25, 100.5, 2, 3, -100, 3, -99.75])
        #expect(LSASides.signal(reference, initial: initial) == 0.5)
        #expect(LSASides.signal(initial, initial: initial) == 0)
    }

    @Test func errorAboveTheBoundOrNaNFails() {
        let a = Matrix<Double>([[1, 2]]), bound = Matrix<Double>([[1e-3, 1e-3]])
        #expect(boundedComparison(a, Matrix([[1.0005, 2]]), bound: bound, signal: 1).withinBound)
        #expect(!boundedComparison(a, Matrix([[1.002, 2]]), bound: bound, signal: 1).withinBound)
        #expect(!boundedComparison(a, Matrix([[Double.nan, 2]]), bound: bound, signal: 1).withinBound)
    }
}
