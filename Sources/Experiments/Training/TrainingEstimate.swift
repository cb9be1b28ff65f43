import Foundation
import Training

extension TrainRequest {
    /// Peak memory of the run, in doubles counted in `Double` arithmetic (so absurd sizes do not
    /// overflow `Int`), with `D_p = D + 4` (the kernel pads `D = d + d_y` to a multiple of 4 or
    /// of its BLAS width), `T = N + 1` tokens, `W = K H D_p^2` folded weights per kind:
    ///
    ///     16 W                          (parameters, gradients, optimiser moments, folded M, V and their gradients)
    ///     + ceil(B / 16) * 2 W          (one gradient accumulator per chunk of 16 tasks)
    ///     + cores * ((K + 3) T D_p + (H + 3) K D_p^2)   (one task workspace per core)
    ///     + (B + validation tasks) (T D + d_y)           (the training and validation batches)
    ///
    /// times 8 bytes and a 25% margin. Time is not estimated (a run's length is its `--steps`,
    /// shown with an ETA as it goes).
    public var estimate: ResourceEstimate {
        let model = config.model
        let d = Double(model.inputDimension), dy = Double(model.outputDimension)
        let D = d + dy, Dp = D + 4, T = Double(model.contextCount) + 1
        let K = Double(model.layers), H = Double(model.heads)
        let W = K * H * Dp * Dp
        let chunks = (Double(config.batchSize) / 16).rounded(.up)
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        let workspaces = cores * ((K + 3) * T * Dp + (H + 3) * K * Dp * Dp)
        let batches = (Double(config.batchSize) + Double(validationTasks)) * (T * D + dy)
        let doubles = 16 * W + chunks * 2 * W + workspaces + batches
        return ResourceEstimate(bytes: 1.25 * 8 * doubles, seconds: 0)
    }
}
