/// Global-norm gradient clipping (Pascanu et al. 2013; optax's `clip_by_global_norm`): the
/// gradient, spread over any number of buffers, is rescaled as one vector,
///
///     ||g|| = sqrt(sum over all buffers and entries of g_i^2)
///     g <- c g,   c = min(1, maxNorm / ||g||),
///
/// so its direction is kept and its norm becomes `min(||g||, maxNorm)`. The factor `c` is the
/// same for every entry (DualForm's per-step scalar `c_t`); it is rounded once and each entry
/// is multiplied by it (optax divides each entry by the norm and multiplies by `maxNorm`, equal
/// up to rounding).
///
/// The norm is a plain sum of squares when that sum lies well inside the normal range; when it
/// overflows or falls below `2^-968` the sum is redone on the entries scaled by a power of two
/// (exact) chosen from the largest magnitude, so `1e200` and `1e-200` entries give their true
/// norm. A non-finite norm (an infinite or NaN entry) leaves the gradient unchanged and is
/// returned, for the caller to stop on.
public enum GradientClipping {
    /// The norm before clipping and the factor `c` that was applied.
    public struct Result: Equatable, Sendable {
        public var norm: Double
        public var scale: Double
    }

    /// `||g||` over all the buffers.
    public static func globalNorm(_ buffers: [UnsafeBufferPointer<Double>]) -> Double { norm(of: buffers) }

    /// `||g||` of one buffer.
    public static func globalNorm(_ gradient: UnsafeBufferPointer<Double>) -> Double { norm(of: CollectionOfOne(gradient)) }

    /// `||g||` of an array.
    public static func globalNorm(_ gradient: [Double]) -> Double {
        gradient.withUnsafeBufferPointer { norm(of: CollectionOfOne($0)) }
    }

    /// Clips the buffers in place to global norm at most `maxNorm` (> 0).
    @discardableResult
    public static func clipByGlobalNorm(_ buffers: [UnsafeMutableBufferPointer<Double>], maxNorm: Double) -> Result {
        clip(buffers, maxNorm: maxNorm)
    }

    /// Clips one buffer in place to norm at most `maxNorm` (> 0).
    @discardableResult
    public static func clipByGlobalNorm(_ gradient: UnsafeMutableBufferPointer<Double>, maxNorm: Double) -> Result {
        clip(CollectionOfOne(gradient), maxNorm: maxNorm)
    }

    /// Clips an array in place to norm at most `maxNorm` (> 0).
    @discardableResult
    public static func clipByGlobalNorm(_ gradient: inout [Double], maxNorm: Double) -> Result {
        gradient.withUnsafeMutableBufferPointer { clip(CollectionOfOne($0), maxNorm: maxNorm) }
    }

    static func norm<C: Collection<UnsafeBufferPointer<Double>>>(of buffers: C) -> Double {
        var sum = 0.0
        for b in buffers { sum += sumOfSquares(b, scaledBy: 1) }
        if sum.isNaN { return .nan }
        if sum.isFinite && sum >= 0x1p-968 { return sum.squareRoot() }
        // Overflow or underflow: redo with the entries scaled by 2^-e, e the largest exponent.
        var largest = 0.0
        for b in buffers { for x in b { largest = max(largest, abs(x)) } }
        if largest == 0 || !largest.isFinite { return largest }
        let k = min(-largest.exponent, Double.greatestFiniteMagnitude.exponent)  // 2^k stays finite
        let down = Double(sign: .plus, exponent: k, significand: 1)
        let up = Double(sign: .plus, exponent: -k, significand: 1)
        var scaled = 0.0
        for b in buffers { scaled += sumOfSquares(b, scaledBy: down) }
        return scaled.squareRoot() * up
    }

    static func clip<C: Collection<UnsafeMutableBufferPointer<Double>>>(_ buffers: C, maxNorm: Double) -> Result {
        precondition(maxNorm > 0, "clipByGlobalNorm needs maxNorm > 0")
        let norm = norm(of: buffers.lazy.map { UnsafeBufferPointer($0) })
        guard norm.isFinite && norm > maxNorm else { return Result(norm: norm, scale: 1) }
        let scale = maxNorm / norm
        for b in buffers {
            guard let x = b.baseAddress else { continue }
            for i in 0..<b.count { x[i] = scale * x[i] }
        }
        return Result(norm: norm, scale: scale)
    }

    /// `sum_i (s x_i)^2` with four partial sums (independent additions the CPU can overlap).
    static func sumOfSquares(_ buffer: UnsafeBufferPointer<Double>, scaledBy s: Double) -> Double {
        guard let x = buffer.baseAddress else { return 0 }
        let n = buffer.count
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        if s == 1 {
            while i + 4 <= n {
                s0 += x[i] * x[i]; s1 += x[i + 1] * x[i + 1]; s2 += x[i + 2] * x[i + 2]; s3 += x[i + 3] * x[i + 3]
                i += 4
            }
            while i < n { s0 += x[i] * x[i]; i += 1 }
        } else {
            while i < n { let y = s * x[i]; s0 += y * y; i += 1 }
        }
        return (s0 + s1) + (s2 + s3)
    }
}
