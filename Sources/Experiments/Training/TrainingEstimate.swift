import Foundation
import Training

extension TrainRequest {
    /// Peak memory of a run, in doubles counted in `Double` arithmetic (so absurd sizes do not
    /// overflow `Int`), with `D_p = D + 4` (the kernel pads `D = d + d_y` to a multiple of 4 or
    /// of its BLAS width), `T = N + 1` tokens, `W = K H D_p^2` folded weights per kind, `B` the
    /// batch and `V` the validation tasks:
    ///
    ///     16 W                               (parameters, gradients, optimiser moments, folded M, V and their gradients)
    ///     + ceil(B / 16) 2W                  (a gradient accumulator per chunk of 16 training tasks; loss passes keep none)
    ///     + cores ((K + 3) T D_p + (H + 3) K D_p^2)   (one task workspace per core)
    ///     + (B + V) (T D + d_y)              (the training and validation batches)
    ///     + 3 d^2                            (Gaussian inputs: the covariance and its factor)
    ///
    /// times 8 bytes and a 25% margin. Time is not estimated (a run's length is its `--steps`,
    /// shown with an ETA as it goes).
    public static func estimate(model: LSAModelConfig, gaussianInputs: Bool, batchSize: Int,
                                validationTasks: Int = defaultValidationTasks) -> ResourceEstimate {
        let d = Double(model.inputDimension), dy = Double(model.outputDimension)
        let D = d + dy, Dp = D + 4, T = Double(model.contextCount) + 1
        let K = Double(model.layers), H = Double(model.heads)
        let W = K * H * Dp * Dp
        let (B, V) = (Double(batchSize), Double(validationTasks))
        let chunks = (B / 16).rounded(.up)
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        let workspaces = cores * ((K + 3) * T * Dp + (H + 3) * K * Dp * Dp)
        let batches = (B + V) * (T * D + dy)
        let covariance = gaussianInputs ? 3 * d * d : 0
        let doubles = 16 * W + chunks * 2 * W + workspaces + batches + covariance
        return ResourceEstimate(bytes: 1.25 * 8 * doubles, seconds: 0)
    }

    /// `estimate(model:gaussianInputs:batchSize:validationTasks:)` of this request's config.
    public var estimate: ResourceEstimate {
        let gaussian: Bool
        if case .gaussian = config.tasks.inputs { gaussian = true } else { gaussian = false }
        return Self.estimate(model: config.model, gaussianInputs: gaussian, batchSize: config.batchSize, validationTasks: validationTasks)
    }
}
