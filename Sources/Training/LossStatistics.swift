/// What a loss over test tasks is, beyond its mean: the per-task losses
/// `l_b = 1/(2 d_y) ||yhat_b - y_b||^2` summarised by their mean, the mean's standard error
/// `s / sqrt(B)` (`s` the sample standard deviation), the median, and the share of tasks whose
/// loss exceeds `tailThreshold` (heavy tails: a model that diverges on a few tasks has a mean
/// far above its median, and the mean's standard error then understates the uncertainty).
public struct LossStatistics: Codable, Equatable, Sendable {
    public var tasks: Int
    public var mean: Double
    public var standardError: Double
    public var median: Double
    public var tailThreshold: Double
    /// The share of tasks with a loss above `tailThreshold`.
    public var tailFraction: Double

    public init(_ losses: [Double], tailThreshold: Double) {
        precondition(!losses.isEmpty, "statistics need at least one loss")
        tasks = losses.count
        let n = Double(losses.count)
        mean = losses.reduce(0, +) / n
        let m = mean
        let variance = losses.count > 1 ? losses.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1) : 0
        standardError = (variance / n).squareRoot()
        let sorted = losses.sorted()
        median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        self.tailThreshold = tailThreshold
        tailFraction = Double(losses.filter { $0 > tailThreshold }.count) / n
    }
}

/// Two models on the same tasks: the mean of the per-task differences `a_b - b_b` and its
/// standard error (a paired comparison: the tasks' shared difficulty cancels).
public struct PairedDifference: Codable, Equatable, Sendable {
    public var mean: Double
    public var standardError: Double

    public init(_ a: [Double], _ b: [Double]) {
        precondition(a.count == b.count && !a.isEmpty, "a paired difference needs losses on the same tasks")
        let s = LossStatistics(zip(a, b).map { $0 - $1 }, tailThreshold: .infinity)
        (mean, standardError) = (s.mean, s.standardError)
    }

    /// How `a` compares with `b` at `z` standard errors (2 by default, about 95%).
    public func verdict(z: Double = 2) -> Comparison {
        mean < -z * standardError ? .lower : (mean > z * standardError ? .higher : .indistinguishable)
    }

    public enum Comparison: String, Codable, Sendable {
        /// `a`'s mean loss is below `b`'s by more than `z` standard errors.
        case lower
        /// Within `z` standard errors of each other.
        case indistinguishable
        /// Above by more than `z` standard errors.
        case higher
    }
}

extension LSAKernel {
    /// The per-task losses `1/(2 d_y) ||yhat_b - y_b||^2` of `model` on `batch` (their mean is `loss`).
    public func taskLosses(_ model: FoldedLSA, _ batch: TaskBatch) -> [Double] {
        let predictions = self.predictions(model, batch), dy = shape.outputDimension
        return (0..<batch.taskCount).map { b in
            var sum = 0.0
            for k in 0..<dy {
                let r = predictions[b * dy + k] - batch.targets[b * dy + k]
                sum += r * r
            }
            return sum / Double(2 * dy)
        }
    }
}
