@preconcurrency import CGSL

/// The mean of independent runs (e.g. one per seed) with a two-sided confidence interval from
/// Student's t: `mean +- t_{(1+level)/2, n-1} s / sqrt(n)` (`s` the sample standard deviation;
/// no interval for a single run).
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
        guard count > 1 else { return }
        let m = mean
        let s = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(count - 1)).squareRoot()
        let t = gsl_cdf_tdist_Pinv((1 + level) / 2, Double(count - 1))
        standardDeviation = s
        lower = mean - t * s / Double(count).squareRoot()
        upper = mean + t * s / Double(count).squareRoot()
    }
}
