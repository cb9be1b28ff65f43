import Foundation
import Testing
import Training

/// `LossStatistics` and `PairedDifference` against hand-computed values, and the heavy-tail flag
/// on a constructed model that diverges on some tasks.
@Suite struct LossStatisticsTests {
    /// `[1, 2, 3, 4]`: mean 5/2, sample variance 5/3, standard error `sqrt(5/12)`, median 5/2;
    /// two of four above 2.5. `[4, 1, 3]`: median 3 (the middle of the sorted list).
    @Test func handComputedValues() {
        let s = LossStatistics([4, 1, 3, 2], tailThreshold: 2.5)
        #expect(s.tasks == 4 && s.mean == 2.5 && s.median == 2.5 && s.tailFraction == 0.5)
        #expect(abs(s.standardError - (5.0 / 12).squareRoot()) <= 1e-15)
        let odd = LossStatistics([4, 1, 3], tailThreshold: 3)
        #expect(odd.median == 3 && odd.tailFraction == 1.0 / 3)
        #expect(LossStatistics([7], tailThreshold: 1).standardError == 0)
    }

    /// Paired differences `a - b` = `[-1, -1.2, -0.8, -1]`: mean -1, standard error
    /// `sqrt(0.08/3/4)`, far below 2 standard errors: `a` is lower; swapped, higher; with
    /// differences of both signs around 0, indistinguishable.
    @Test func pairedVerdicts() {
        let a = [1.0, 2.0, 3.0, 4.0], b = [2.0, 3.2, 3.8, 5.0]
        let d = PairedDifference(a, b)
        #expect(abs(d.mean + 1) <= 1e-15 && abs(d.standardError - (0.08 / 3 / 4).squareRoot()) <= 1e-15)
        #expect(d.verdict() == .lower && PairedDifference(b, a).verdict() == .higher)
        #expect(PairedDifference([1, 2, 3, 4], [1.5, 1.5, 3.5, 3.5]).verdict() == .indistinguishable)
    }

    /// Five GD steps with `eta/N = 0.8` on the von Oswald tasks: on a task whose Gram matrix has
    /// an eigenvalue above `2/0.8`, the residual's factor `|1 - 0.8 lambda|` exceeds one and the
    /// error grows with every step; elsewhere GD converges. The tail share the statistics report is
    /// the share of tasks whose loss, computed eigenvalue by eigenvalue (`SpectralTasks`, not the
    /// kernel), exceeds 10x the zero predictor's; some tasks are in it and most are not, and the
    /// mean sits far above the median.
    @Test func heavyTailOfADivergingModel() {
        let tasks = TaskDistribution(inputDimension: 10, contextCount: 10, inputs: .uniform(width: 1))
        let batch = tasks.batch(seed: 3, purpose: .test, step: 0, tasks: 2000)
        let shape = LSAShape(inputDimension: 10, contextCount: 10, layers: 5)
        let etas = Array(repeating: 8.0, count: 5), gammas = Array(repeating: 0.0, count: 5)
        let threshold = 10 * batch.zeroPredictorLoss
        let stats = LossStatistics(LSAKernel(shape: shape).taskLosses(Baselines.gradientDescent(shape, etas: etas), batch), tailThreshold: threshold)
        let spectral = SpectralTasks(batch)
        let above = (0..<batch.taskCount).filter { spectral.loss(etas: etas, gammas: gammas, tasks: [$0]) > threshold }.count
        #expect(above > 0 && above < batch.taskCount / 2, "\(above) of \(batch.taskCount) tasks above the threshold")
        #expect(stats.tailFraction == Double(above) / Double(batch.taskCount))
        #expect(stats.mean > 10 * stats.median, "mean \(stats.mean), median \(stats.median)")
    }
}
