import Foundation
import Linalg

/// A central difference `(f(x + h) - f(x - h)) / 2h` of a function of one variable with its error
/// bound: truncation `h^2/6 |f'''|` (f''' estimated by the 5-point difference with step `H`, plus
/// that estimate's own rounding, doubled for the estimate's truncation) plus rounding
/// `rounding / h`, where `rounding` bounds the error of one evaluation of f.
/// `h = u^(1/3) max(1, |x|)` and `H = u^(1/5) max(1, |x|)` balance the two (the same rule as the
/// Reddy checks' `centralDifference`).
public func centralDifference(_ f: (Double) -> Double, at x: Double, rounding: Double) -> (value: Double, bound: Double) {
    let scale = max(1, abs(x))
    func step(_ h: Double) -> Double { (x + h) - x }  // exactly representable
    let h = step(pow(unitRoundoff, 1.0 / 3) * scale), bigH = step(pow(unitRoundoff, 1.0 / 5) * scale)
    let cd = (f(x + h) - f(x - h)) / (2 * h)
    let third = (f(x + 2 * bigH) - 2 * f(x + bigH) + 2 * f(x - bigH) - f(x - 2 * bigH)) / (2 * bigH * bigH * bigH)
    let thirdError = 3 * rounding / (bigH * bigH * bigH)
    let bound = 2 * h * h / 6 * (abs(third) + thirdError) + rounding / h
    return (cd, bound)
}

/// An upper bound on `f'(x)` for a polynomial `f` with nonnegative coefficients at `x >= 0`
/// (e.g. a majorant of a loss as a function of one weight's magnitude): such an `f` is convex
/// on `[0, inf)`, so the forward difference `(f(x + h) - f(x)) / h` is at least `f'(x)`; the
/// evaluation's relative rounding `(2 + k) u` is added back.
public func forwardDifferenceUpperBound(_ f: (Double) -> Double, at x: Double, roundings k: Int) -> Double {
    let h = max(abs(x), 1) * 1e-4
    let difference = (f(x + h) - f(x)) / h
    return max(difference, 0) * (1 + gamma(k + 2)) + gamma(k + 2) * abs(f(x + h)) / h
}
