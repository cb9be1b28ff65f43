import BigInt

/// A source of exact uniform integers below `2^32`, from which `uniformInteger(below:)` builds
/// exact uniform integers of any size. Class-bound: a source is a stream with state.
public protocol UniformWordSource: AnyObject {
    /// An integer uniform on `0..<n`, exactly, for `1 <= n <= 2^32 - 1`.
    func uniformWord(below n: UInt32) -> UInt32
}

extension UniformWordSource {
    /// An integer uniform on `0..<n`, exactly (no floating point).
    ///
    /// One `uniformWord(below: n)` for `n <= 2^32 - 1`; above that the value is built from
    /// 16-bit draws (`uniformWord(below: 2^16)`) and rejected when `>= n` after masking to the
    /// bit length of `n - 1` (fewer than 2 rounds on average).
    public func uniformInteger(below n: UInt64) -> UInt64 {
        precondition(n > 0, "uniformInteger(below:) needs n > 0")
        if n <= 0xFFFF_FFFF { return UInt64(uniformWord(below: UInt32(n))) }
        let bits = UInt64.bitWidth - (n - 1).leadingZeroBitCount
        let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        while true {
            var x: UInt64 = 0
            for _ in 0..<((bits + 15) / 16) { x = x << 16 | UInt64(uniformWord(below: 0x1_0000)) }
            x &= mask
            if x < n { return x }
        }
    }

    /// A `BigUInt` uniform on `0..<n`, exactly: 16-bit draws masked to the bit length of
    /// `n - 1`, rejected when `>= n`.
    public func uniformInteger(below n: BigUInt) -> BigUInt {
        precondition(n > 0, "uniformInteger(below:) needs n > 0")
        if let small = UInt64(exactly: n) { return BigUInt(uniformInteger(below: small)) }
        let bits = (n - 1).bitWidth
        let wordCount = (bits + 63) / 64
        let topBits = bits - 64 * (wordCount - 1)
        while true {
            var words = [UInt](repeating: 0, count: wordCount)
            for k in 0..<wordCount {
                let b = k == wordCount - 1 ? topBits : 64
                var w: UInt64 = 0
                for _ in 0..<((b + 15) / 16) { w = w << 16 | UInt64(uniformWord(below: 0x1_0000)) }
                if b < 64 { w &= (1 << UInt64(b)) - 1 }
                words[k] = UInt(w)
            }
            let x = BigUInt(words: words)
            if x < n { return x }
        }
    }
}
