@preconcurrency import CGSL

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

    /// Four consecutive blocks at once (counters `(first + j, c1, c2, c3)`, j = 0..3), lane `j` of
    /// word `i` being word `i` of block `j`: the same numbers as four calls of `block`, with the
    /// 32 x 32 -> 64-bit products done four lanes at a time.
    @inline(__always)
    public static func blocks(first: UInt32, _ c1: UInt32, _ c2: UInt32, _ c3: UInt32, key: SIMD2<UInt32>)
        -> (SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>) {
        var x0 = SIMD4<UInt32>(first, first &+ 1, first &+ 2, first &+ 3)
        var x1 = SIMD4<UInt32>(repeating: c1), x2 = SIMD4<UInt32>(repeating: c2), x3 = SIMD4<UInt32>(repeating: c3)
        var k0 = key[0], k1 = key[1]
        let mul0 = SIMD4<UInt64>(repeating: m0), mul1 = SIMD4<UInt64>(repeating: m1)
        for round in 0..<10 {
            if round > 0 { k0 &+= w0; k1 &+= w1 }
            let p0 = SIMD4<UInt64>(truncatingIfNeeded: x0) &* mul0, p1 = SIMD4<UInt64>(truncatingIfNeeded: x2) &* mul1
            let hi0 = SIMD4<UInt32>(truncatingIfNeeded: p0 &>> 32), lo0 = SIMD4<UInt32>(truncatingIfNeeded: p0)
            let hi1 = SIMD4<UInt32>(truncatingIfNeeded: p1 &>> 32), lo1 = SIMD4<UInt32>(truncatingIfNeeded: p1)
            (x0, x1, x2, x3) = (hi1 ^ x1 ^ SIMD4(repeating: k0), lo1, hi0 ^ x3 ^ SIMD4(repeating: k1), lo0)
        }
        return (x0, x1, x2, x3)
    }
}


extension Philox {
    /// Words `0 ..< count` of the stream with counter `(block, c1, c2, c3)` (word `k` is word
    /// `k mod 4` of block `k / 4`, as `PhiloxStream` reads them) into `words`, which must hold
    /// `count` rounded up to a multiple of 16.
    @inline(__always)
    public static func fill(_ words: UnsafeMutablePointer<UInt32>, count: Int, _ c1: UInt32, _ c2: UInt32, _ c3: UInt32, key: SIMD2<UInt32>) {
        var block: UInt32 = 0
        var k = 0
        while k < count {
            let (a, b, c, d) = blocks(first: block, c1, c2, c3, key: key)
            for j in 0..<4 {
                words[k + 4 * j] = a[j]; words[k + 4 * j + 1] = b[j]; words[k + 4 * j + 2] = c[j]; words[k + 4 * j + 3] = d[j]
            }
            block &+= 4
            k += 16
        }
    }

    /// `(w + 1/2) 2^-32`, the uniform on `(0, 1)` of a word (as `PhiloxStream.uniform`).
    @inline(__always)
    public static func uniform(_ w: UInt32) -> Double { (Double(w) + 0.5) * 0x1p-32 }
}

/// A stream of random numbers addressed by `(seed, purpose, step, item)`: the Philox key is the
/// 64-bit seed, the counter `(block, item, step, purpose)`, and `block` counts up as words are
/// consumed: word `k` of a stream is word `k mod 4` of block `k / 4`. Two streams differ in at
/// least one counter word, so they never share a block. Words are made four blocks at a time.
///
/// Each draw uses one 32-bit word: a uniform is `u = (w + 1/2) 2^-32`, in the open interval
/// `(0, 1)` (resolution `2^-32`: ample for sampling tasks); a standard normal is `Phi^-1(u)`
/// (GSL's `gsl_cdf_ugaussian_Pinv`, Wichura's AS 241, accurate to about 1e-16; the tails are
/// cut at `|z| = Phi^-1(2^-33)`, about 6.2, a probability of 1e-9 per draw).
public struct PhiloxStream {
    /// What a stream is used for; its raw value is the counter's last word. A module that
    /// needs a purpose of its own adds a constant with an unused raw value.
    public struct Purpose: RawRepresentable, Hashable, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let training = Purpose(rawValue: 0)
        public static let validation = Purpose(rawValue: 1)
        public static let initialization = Purpose(rawValue: 2)
        public static let test = Purpose(rawValue: 3)
        /// The seeded starts of a fit (e.g. `reproduce multilayer`'s GD and GD++ step sizes).
        public static let fitStarts = Purpose(rawValue: 4)
    }

    let key: SIMD2<UInt32>
    let item: UInt32, step: UInt32, purpose: UInt32
    var nextBlock: UInt32 = 0
    var buffer = SIMD16<UInt32>()
    var used = 16

    /// The stream of `item` (e.g. a task index) at `step` for `purpose` under `seed`.
    public init(seed: UInt64, purpose: Purpose, step: UInt32, item: UInt32) {
        key = SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
        self.item = item
        self.step = step
        self.purpose = purpose.rawValue
    }

    /// The next 32-bit word.
    @inline(__always)
    public mutating func nextWord() -> UInt32 {
        if used == 16 {
            let (a, b, c, d) = Philox.blocks(first: nextBlock, item, step, purpose, key: key)
            buffer = SIMD16(a[0], b[0], c[0], d[0], a[1], b[1], c[1], d[1], a[2], b[2], c[2], d[2], a[3], b[3], c[3], d[3])
            nextBlock &+= 4
            used = 0
        }
        let w = buffer[used]
        used += 1
        return w
    }

    /// Uniform on the open interval `(0, 1)`.
    @inline(__always)
    public mutating func uniform() -> Double { Philox.uniform(nextWord()) }

    /// Uniform on `(lower, upper)`.
    @inline(__always)
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * uniform() }

    /// A standard normal draw, `Phi^-1(u)`.
    @inline(__always)
    public mutating func gaussian() -> Double { gsl_cdf_ugaussian_Pinv(uniform()) }

    /// A standard normal draw conditioned on `[-2, 2]` (by rejection: about 95% are accepted),
    /// for Haiku's truncated-normal initialiser (`Optim.VarianceScaling`).
    public mutating func truncatedGaussian() -> Double {
        while true {
            let z = gaussian()
            if abs(z) <= 2 { return z }
        }
    }
}
