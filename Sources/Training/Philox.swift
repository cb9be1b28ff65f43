#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3",
/// SC 2011; the generator of cuRAND and JAX's `rbg` family): a keyed bijection of 128-bit
/// counters. Ten rounds of
///
///     (hi0, lo0) = M0 * c0,  (hi1, lo1) = M1 * c2     (32 x 32 -> 64-bit products)
///     c <- (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
///
/// with the key bumped by the Weyl constants `(W0, W1)` between rounds. Every output is a pure
/// function of (key, counter), so a draw is addressable: training data for (seed, step, task)
/// is the same on any number of threads, and a resumed run draws what an uninterrupted one would.
/// Known-answer vectors of Random123 are checked in `PhiloxTests`.
public enum Philox {
    static let m0: UInt64 = 0xD251_1F53, m1: UInt64 = 0xCD9E_8D57
    static let w0: UInt32 = 0x9E37_79B9, w1: UInt32 = 0xBB67_AE85

    /// The four output words for `counter` under `key`.
    @inline(__always)
    public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
        var c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3]
        var k0 = key[0], k1 = key[1]
        for round in 0..<10 {
            if round > 0 { k0 &+= w0; k1 &+= w1 }
            let p0 = m0 &* UInt64(c0), p1 = m1 &* UInt64(c2)
            let hi0 = UInt32(truncatingIfNeeded: p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(truncatingIfNeeded: p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
        }
        return SIMD4(c0, c1, c2, c3)
    }
}

/// A stream of random numbers addressed by `(seed, stream, step, item)`: the Philox key is the
/// 64-bit seed, the counter `(block, item, step, stream)`, and `block` counts up as words are
/// consumed, four per block. Two streams differ in at least one counter word, so they never
/// share a block.
///
/// Uniforms use one 32-bit word each, `u = (w + 1/2) 2^-32`, in the open interval `(0, 1)`
/// (resolution `2^-32`: ample for sampling tasks, and the logarithm in Box-Muller never sees 0).
public struct PhiloxStream {
    /// What a stream is used for; its raw value is the counter's last word.
    public enum Purpose: UInt32, Sendable {
        case training = 0
        case validation = 1
        case initialization = 2
        case test = 3
    }

    let key: SIMD2<UInt32>
    var counter: SIMD4<UInt32>
    var buffer: SIMD4<UInt32> = .zero
    var used = 4
    var spareGaussian: Double?

    /// The stream of `item` (e.g. a task index) at `step` for `purpose` under `seed`.
    public init(seed: UInt64, purpose: Purpose, step: UInt32, item: UInt32) {
        key = SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
        counter = SIMD4(0, item, step, purpose.rawValue)
    }

    /// The next 32-bit word.
    @inline(__always)
    public mutating func nextWord() -> UInt32 {
        if used == 4 {
            buffer = Philox.block(counter: counter, key: key)
            counter[0] &+= 1
            used = 0
        }
        defer { used += 1 }
        return buffer[used]
    }

    /// Uniform on the open interval `(0, 1)`.
    @inline(__always)
    public mutating func uniform() -> Double { (Double(nextWord()) + 0.5) * 0x1p-32 }

    /// Uniform on `(lower, upper)`.
    @inline(__always)
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * uniform() }

    /// A standard normal draw by the Box-Muller transform, `sqrt(-2 log u1) (cos, sin)(2 pi u2)`:
    /// each pair of uniforms gives two draws, the second kept for the next call.
    @inline(__always)
    public mutating func gaussian() -> Double {
        if let z = spareGaussian { spareGaussian = nil; return z }
        let radius = (-2 * log(uniform())).squareRoot()
        let angle = 2 * Double.pi * uniform()
        spareGaussian = radius * sin(angle)
        return radius * cos(angle)
    }

    /// A standard normal draw conditioned on `[-2, 2]` (by rejection: about 95% are accepted),
    /// for Haiku's truncated-normal initialiser (`Optim.VarianceScaling`).
    public mutating func truncatedGaussian() -> Double {
        while true {
            let z = gaussian()
            if abs(z) <= 2 { return z }
        }
    }
}
