import Dispatch

extension ReddyModel {
    /// Loss and gradient at many independent points, split into contiguous chunks over all
    /// cores: `losses[k]`, `gradients[k]` at `points[k]`.
    @_specialize(exported: true, where Attention == SoftmaxAttention)
    @_specialize(exported: true, where Attention == DirectAttention)
    public func lossesAndGradients(at points: [Parameters]) -> (losses: [Double], gradients: [Parameters]) {
        let n = points.count
        var gradients: [Parameters] = []
        let losses = [Double](unsafeUninitializedCapacity: n) { lossBuffer, lossCount in
            gradients = [Parameters](unsafeUninitializedCapacity: n) { gradientBuffer, gradientCount in
                nonisolated(unsafe) let (l, g) = (lossBuffer, gradientBuffer)
                let chunks = max(1, min(64, n / 4096))
                let model = self
                points.withUnsafeBufferPointer { p in
                    nonisolated(unsafe) let p = p
                    DispatchQueue.concurrentPerform(iterations: chunks) { c in
                        for k in (c * n / chunks)..<((c + 1) * n / chunks) {
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
}
