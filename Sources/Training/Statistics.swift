@preconcurrency import CGSL

/// The mean of independent runs (e.g. one per seed) with a two-sided confidence interval from
/// Student's t: `mean +- t_{(1+level)/2, n-1} s / sqrt(n)` (`s` the sample standard deviation;
/// no interval for a single run). Values near the double range are summed scaled by the
/// largest magnitude, so the mean of two values near 1.7e308 is finite; a bound of the
/// interval may still overflow (to infinity), which the caller reports.
public struct MeanInterval: Codable, Equatable, Sendable {
    public var count: Int
    public var mean: Double
    public var standardDeviation: Double?
    public var lower: Double?
    public var upper: Double?

    public init(_ values: [Double], level: Double = 0.95) {
        precondition(!values.isEmpty && level > 0 && level < 1, "a mean needs values and a level in (0, 1)")
        count = values.count
        mean = values.reduce(0, +) / Double(count)
        var s = 0.0
        if count > 1 {
            let m = mean
            s = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(count - 1)).squareRoot()
        }
        if !mean.isFinite || !s.isFinite {
            // The sums overflowed (values near the double range): the same formulas on the values
            // divided by the largest magnitude, scaled back (s as a root, so it does not overflow).
            let scale = values.map(\.magnitude).max()!
            let scaled = values.map { $0 / scale }
            let m = scaled.reduce(0, +) / Double(count)
            mean = m * scale
            if count > 1 { s = (scaled.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(count - 1)).squareRoot() * scale }
        }
        guard count > 1 else { return }
        let t = gsl_cdf_tdist_Pinv((1 + level) / 2, Double(count - 1))
        standardDeviation = s
        lower = mean - t * s / Double(count).squareRoot()
        upper = mean + t * s / Double(count).squareRoot()
    }
}
