import Foundation
import Linalg
import Random
import Testing
import Training

@Suite struct TaskTests {
    let uniform = TaskDistribution(inputDimension: 3, outputDimension: 2, contextCount: 6, inputs: .uniform(width: 2), noise: 0)

    /// A task depends on (seed, purpose, step, index) only: a batch's first tasks are the smaller
    /// batch, the same call gives the same bits, another step or purpose other tasks.
    @Test func tasksAreAddressable() {
        let big = uniform.batch(seed: 9, step: 3, tasks: 100), small = uniform.batch(seed: 9, step: 3, tasks: 10)
        let per = 7 * 5
        #expect(Array(big.tokens.prefix(10 * per)) == small.tokens && Array(big.targets.prefix(20)) == small.targets)
        #expect(uniform.batch(seed: 9, step: 3, tasks: 10) == small)
        #expect(uniform.batch(seed: 9, step: 4, tasks: 10) != small)
        #expect(uniform.batch(seed: 9, purpose: .validation, step: 3, tasks: 10) != small)
        #expect(uniform.batch(seed: 10, step: 3, tasks: 10) != small)
    }

    /// The documented draw order: `W` (row-major normals), the inputs token by token (the query
    /// last), then the noise; labels `y = W x`, the query's y-rows 0, its label the target.
    @Test func drawOrderIsTheDocumentedOne() {
        for noise in [0.0, 0.5] {
            var tasks = uniform
            tasks.noise = noise
            let batch = tasks.batch(seed: 1, step: 2, tasks: 5)
            for b in 0..<5 {
                var stream = PhiloxStream(seed: 1, purpose: .training, step: 2, item: UInt32(b))
                let w = (0..<6).map { _ in stream.gaussian() }
                let z = batch.tokenMatrix(b)
                for t in 0..<7 { for i in 0..<3 { #expect(z[i, t] == stream.uniform(-1, 1)) } }
                for t in 0..<7 {
                    for k in 0..<2 {
                        var y = 0.0
                        for i in 0..<3 { y += w[k * 3 + i] * z[i, t] }
                        if noise > 0 { y += noise * stream.gaussian() }
                        if t < 6 { #expect(z[3 + k, t] == y) } else { #expect(z[3 + k, t] == 0 && batch.targets[b * 2 + k] == y) }
                    }
                }
            }
        }
    }

    /// Gaussian inputs have covariance Sigma: each sample covariance entry within 5 standard
    /// errors (`sqrt((S_ii S_jj + S_ij^2) / n)`).
    @Test func gaussianInputsHaveSigma() throws {
        let sigma = [2.0, 0.5, 0.5, 1.0]
        let tasks = TaskDistribution(inputDimension: 2, contextCount: 9, inputs: .gaussian(covariance: sigma))
        try tasks.validate()
        let batch = tasks.batch(seed: 4, step: 0, tasks: 4000)
        var s = [0.0, 0.0, 0.0, 0.0], n = 0.0
        for b in 0..<batch.taskCount {
            let z = batch.tokenMatrix(b)
            for t in 0..<10 { for i in 0..<2 { for j in 0..<2 { s[i * 2 + j] += z[i, t] * z[j, t] } }; n += 1 }
        }
        for i in 0..<2 { for j in 0..<2 {
            let se = ((sigma[i * 3] * sigma[j * 3] + sigma[i * 2 + j] * sigma[i * 2 + j]) / n).squareRoot()
            #expect(abs(s[i * 2 + j] / n - sigma[i * 2 + j]) <= 5 * se)
        } }
    }

    @Test(arguments: [
        (TaskDistribution(inputDimension: 2, contextCount: 3, inputs: .gaussian(covariance: [1, 2, 2, 1])), "not positive definite"),
        (TaskDistribution(inputDimension: 2, contextCount: 3, inputs: .gaussian(covariance: [1, 0.1, 0, 1])), "not symmetric"),
        (TaskDistribution(inputDimension: 2, contextCount: 3, inputs: .gaussian(covariance: [1])), "expected d x d = 4"),
        (TaskDistribution(inputDimension: 2, contextCount: 0), "must be at least 1"),
        (TaskDistribution(inputDimension: 2, contextCount: 3, inputs: .uniform(width: 0)), "width r must be positive"),
        (TaskDistribution(inputDimension: 2, contextCount: 3, noise: -1), "noise level"),
    ])
    func badDistributionsAreRefused(tasks: TaskDistribution, message: String) {
        do { try tasks.validate(); Issue.record("accepted \(tasks)") } catch { #expect(error.description.contains(message), "\(error)") }
    }
}
