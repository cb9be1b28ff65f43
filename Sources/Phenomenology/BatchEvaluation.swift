import CVectorMath
import Dispatch

extension ReddyModel {
    /// Loss and gradient at many independent points, split into contiguous chunks over all
    /// cores: `losses[k]`, `gradients[k]` at `points[k]`. For the softmax map on a CPU with
    /// AVX-512F or AVX2 + FMA, blocks of points go through `icl_reddy_loss_gradient` (CVectorMath:
    /// the same operations as `lossAndGradient`, eight or four points at a time, SLEEF's 1.0-ulp
    /// exp, expm1 and log1p); everything else, and the last `n mod 8` points of a chunk, point by point.
    @_specialize(exported: true, where Attention == SoftmaxAttention)
    @_specialize(exported: true, where Attention == DirectAttention)
    public func lossesAndGradients(at points: [ReddyPoint]) -> (losses: [Double], gradients: [SIMD3<Double>]) {
        let n = points.count
        var gradients: [SIMD3<Double>] = []
        let softmax = attention as? SoftmaxAttention
        let losses = [Double](unsafeUninitializedCapacity: n) { lossBuffer, lossCount in
            gradients = [SIMD3<Double>](unsafeUninitializedCapacity: n) { gradientBuffer, gradientCount in
                nonisolated(unsafe) let (l, g) = (lossBuffer, gradientBuffer)
                let chunks = max(1, min(64, n / 4096))
                let model = self
                points.withUnsafeBufferPointer { p in
                    nonisolated(unsafe) let p = p
                    DispatchQueue.concurrentPerform(iterations: chunks) { c in
                        var k = c * n / chunks
                        let end = (c + 1) * n / chunks
                        if let softmax { k = model.vectorBlocks(p, from: k, to: end, attentionTwoN: softmax.twoN, l, g) }
                        for k in k..<end {
                            let (loss, gradient) = model.lossAndGradient(at: p[k])
                            l[k] = loss
                            g[k] = gradient
                        }
                    }
                }
                gradientCount = n
            }
            lossCount = n
        }
        return (losses, gradients)
    }

    /// Points `start..<end` in blocks of up to 1024 (a multiple of 8) through the vector
    /// kernel; returns the first point it did not evaluate.
    private func vectorBlocks(_ p: UnsafeBufferPointer<ReddyPoint>, from start: Int, to end: Int, attentionTwoN: Double,
                              _ l: UnsafeMutableBufferPointer<Double>, _ g: UnsafeMutableBufferPointer<SIMD3<Double>>) -> Int {
        let block = 1024
        var columns = [Double](repeating: 0, count: 7 * block)
        var k = start
        while end - k >= 8 {
            let m = min(block, (end - k) / 8 * 8)
            let done = columns.withUnsafeMutableBufferPointer { s -> Bool in
                let (beta, alpha, xi) = (s.baseAddress!, s.baseAddress! + block, s.baseAddress! + 2 * block)
                let (loss, dBeta, dAlpha, dXi) = (s.baseAddress! + 3 * block, s.baseAddress! + 4 * block,
                                                  s.baseAddress! + 5 * block, s.baseAddress! + 6 * block)
                for j in 0..<m { (beta[j], alpha[j], xi[j]) = (p[k + j][0], p[k + j][1], p[k + j][2]) }
                guard icl_reddy_loss_gradient(beta, alpha, xi, m, attentionTwoN, twoN, logNMinus1, logLMinusN, loss, dBeta, dAlpha, dXi) != 0 else {
                    return false
                }
                for j in 0..<m {
                    l[k + j] = loss[j]
                    g[k + j] = SIMD3(dBeta[j], dAlpha[j], dXi[j])
                }
                return true
            }
            guard done else { return k }
            k += m
        }
        return k
    }
}
