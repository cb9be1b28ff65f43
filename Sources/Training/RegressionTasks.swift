@preconcurrency import CGSL
import Random
import Dispatch
import Foundation
import Linalg

/// The distribution of in-context linear-regression tasks (REFERENCE.md sections 1 and 2):
/// per task `W ~ N(0, I)` (`d_y x d`), `N + 1` inputs `x` i.i.d. (uniform on a cube or
/// Gaussian), labels `y = W x + sigma eps` with `eps ~ N(0, I)`; the first `N` pairs are the
/// context, the last input is the query `(x_q, 0)`, and its label is the target.
public struct TaskDistribution: Codable, Equatable, Sendable {
    public enum Inputs: Codable, Equatable, Sendable {
        /// `x ~ U(-r/2, r/2)^d` (the paper: r = 1).
        case uniform(width: Double)
        /// `x ~ N(0, Sigma)` (`d x d`, symmetric positive definite, row-major).
        case gaussian(covariance: [Double])
    }

    public var inputDimension: Int
    public var outputDimension: Int
    public var contextCount: Int
    public var inputs: Inputs
    /// `sigma`, the label noise's standard deviation (0: none).
    public var noise: Double

    public init(inputDimension: Int, outputDimension: Int = 1, contextCount: Int, inputs: Inputs = .uniform(width: 1), noise: Double = 0) {
        self.inputDimension = inputDimension
        self.outputDimension = outputDimension
        self.contextCount = contextCount
        self.inputs = inputs
        self.noise = noise
    }

    /// `Sigma` as a matrix (the identity for uniform inputs times `r^2/12`, their covariance).
    public var covariance: Matrix<Double> {
        let d = inputDimension
        switch inputs {
        case .uniform(let r): return (r * r / 12) * Matrix<Double>.identity(d)
        case .gaussian(let sigma): return Matrix(rows: d, cols: d, elements: sigma)
        }
    }

    /// Throws unless the sizes are at least 1, `r > 0` and finite, `Sigma` is `d x d` symmetric
    /// positive definite, and `sigma >= 0` is finite.
    public func validate() throws(TaskError) {
        guard inputDimension >= 1, outputDimension >= 1, contextCount >= 1 else {
            throw TaskError("d, d_y and N must be at least 1, got \(inputDimension), \(outputDimension), \(contextCount)")
        }
        guard noise >= 0 && noise.isFinite else { throw TaskError("the noise level must be a finite number >= 0, got \(noise)") }
        switch inputs {
        case .uniform(let r):
            guard r > 0 && r.isFinite else { throw TaskError("the input width r must be positive and finite, got \(r)") }
        case .gaussian(let sigma):
            let d = inputDimension
            let (entries, overflow) = d.multipliedReportingOverflow(by: d)
            guard !overflow, sigma.count == entries else { throw TaskError("Sigma has \(sigma.count) entries, expected d x d = \(overflow ? "\(d) x \(d)" : "\(entries)")") }
            guard sigma.allSatisfy(\.isFinite) else { throw TaskError("Sigma has a non-finite entry") }
            for i in 0..<d { for j in 0..<i where sigma[i * d + j] != sigma[j * d + i] {
                throw TaskError("Sigma is not symmetric: entry (\(i), \(j)) is \(sigma[i * d + j]), entry (\(j), \(i)) is \(sigma[j * d + i])")
            } }
            do { _ = try covariance.cholesky() } catch { throw TaskError("Sigma is not positive definite") }
        }
    }

    /// The batch for (`seed`, `purpose`, `step`): task `b` is drawn from the Philox stream
    /// (seed, purpose, step, b) alone, so any subset of tasks, on any number of threads, is the
    /// same. Draw order per task: `W` (row-major), then each token's input (the query last),
    /// then the labels' noise.
    public func batch(seed: UInt64, purpose: PhiloxStream.Purpose = .training, step: Int, tasks: Int) -> TaskBatch {
        let d = inputDimension, dy = outputDimension, T = contextCount + 1
        var batch = TaskBatch(inputDimension: d, outputDimension: dy, contextCount: contextCount, taskCount: tasks,
                              tokens: [Double](repeating: 0, count: tasks * T * (d + dy)), targets: [Double](repeating: 0, count: tasks * dy))
        fill(&batch, seed: seed, purpose: purpose, step: step)
        return batch
    }

    /// `batch(seed:purpose:step:tasks:)` into an existing batch of this distribution's sizes
    /// (reusing its memory, as a training loop does every step).
    public func fill(_ batch: inout TaskBatch, seed: UInt64, purpose: PhiloxStream.Purpose = .training, step: Int) {
        precondition(step >= 0 && step <= Int(UInt32.max), "step \(step) is outside 0...2^32-1")
        precondition(batch.inputDimension == inputDimension && batch.outputDimension == outputDimension && batch.contextCount == contextCount,
                     "the batch's sizes differ from the distribution's")
        let d = inputDimension, dy = outputDimension, D = d + dy, T = contextCount + 1, tasks = batch.taskCount
        let factor: [Double]? = {
            guard case .gaussian = inputs else { return nil }
            return try! covariance.cholesky().elements
        }()
        let width: Double = { if case .uniform(let r) = inputs { return r } else { return 0 } }()
        let noise = self.noise
        batch.tokens.withUnsafeMutableBufferPointer { tokenBuffer in
        batch.targets.withUnsafeMutableBufferPointer { targetBuffer in
            nonisolated(unsafe) let tk = tokenBuffer.baseAddress!, tg = targetBuffer.baseAddress!
            let chunk = 64, chunks = (tasks + chunk - 1) / chunk
            let key = SIMD2<UInt32>(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
            let words = dy * d + T * d + (noise > 0 ? T * dy : 0)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                // Each task's words in bulk (the order of `PhiloxStream`), then read in sequence.
                let buffer = UnsafeMutablePointer<UInt32>.allocate(capacity: (words + 15) / 16 * 16)
                let w = UnsafeMutablePointer<Double>.allocate(capacity: dy * d), z = UnsafeMutablePointer<Double>.allocate(capacity: d)
                defer { buffer.deallocate(); w.deallocate(); z.deallocate() }
                for b in (c * chunk)..<min(tasks, (c + 1) * chunk) {
                    Philox.fill(buffer, count: words, UInt32(b), UInt32(step), purpose.rawValue, key: key)
                    var next = 0
                    for i in 0..<(dy * d) { w[i] = gsl_cdf_ugaussian_Pinv(Philox.uniform(buffer[next])); next += 1 }
                    let base = tk + b * T * D
                    for t in 0..<T {
                        let x = base + t * D
                        if let factor {
                            for i in 0..<d { z[i] = gsl_cdf_ugaussian_Pinv(Philox.uniform(buffer[next + i])) }
                            for i in 0..<d {
                                var s = 0.0
                                for j in 0...i { s += factor[i * d + j] * z[j] }
                                x[i] = s
                            }
                        } else {
                            for i in 0..<d { x[i] = -width / 2 + width * Philox.uniform(buffer[next + i]) }
                        }
                        next += d
                    }
                    for t in 0..<T {
                        let x = base + t * D
                        for k in 0..<dy {
                            var s = 0.0
                            for i in 0..<d { s += w[k * d + i] * x[i] }
                            if noise > 0 { s += noise * gsl_cdf_ugaussian_Pinv(Philox.uniform(buffer[next])); next += 1 }
                            if t < T - 1 { x[d + k] = s } else { tg[b * dy + k] = s; x[d + k] = 0 }
                        }
                    }
                }
            }
        } }
    }
}

/// A task distribution that cannot be sampled.
public struct TaskError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
