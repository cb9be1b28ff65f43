import BigInt

extension DFA {
    /// `c_n`, the number of members of length `n`, for `n = 0...maxLength`, exactly.
    ///
    /// With `f_m(q)` the number of strings of length m leading from q to an accepting state,
    /// `f_0(q) = [q accepting]`, `f_m(q) = sum_a f_{m-1}(delta(q, a))` and `c_n = f_n(start)`:
    /// O(maxLength * states * symbols) additions. `f_m(q) <= s^m`, so row m needs
    /// `m ceil(log2 s) + 1` bits; the rows are kept as fixed-width 64-bit limbs and added with
    /// 128-bit accumulators (no allocation in the loop), and each `c_n` becomes a `BigUInt`.
    public func memberCounts(maxLength: Int) -> [BigUInt] {
        precondition(maxLength >= 0, "maxLength must be >= 0")
        var rows = PathCountRows(self, maxLength: maxLength)
        var counts = [rows.value(start)]
        counts.reserveCapacity(maxLength + 1)
        for _ in 0..<maxLength {
            rows.advance()
            counts.append(rows.value(start))
        }
        return counts
    }

    /// `c_n` for one length.
    public func memberCount(length: Int) -> BigUInt { memberCounts(maxLength: length)[length] }
}

/// The rows `f_m(q)` of the path-count recursion, one length at a time, as little-endian
/// 64-bit limbs of a fixed width (enough for `s^maxLength`); only the limbs row m can use
/// (`m ceil(log2 s) + 1` bits) are touched.
struct PathCountRows {
    let stateCount: Int
    let symbolCount: Int
    let transitions: [Int]
    let bitsPerStep: Int
    let width: Int
    private(set) var length = 0
    private var current: [UInt64]
    private var scratch: [UInt64]

    init(_ dfa: DFA, maxLength: Int) {
        stateCount = dfa.stateCount
        symbolCount = dfa.symbolCount
        transitions = dfa.transitions
        bitsPerStep = Int.bitWidth - (dfa.symbolCount - 1).leadingZeroBitCount  // ceil(log2 s)
        width = (maxLength * bitsPerStep + 1 + 63) / 64
        current = [UInt64](repeating: 0, count: stateCount * width)
        scratch = current
        for q in 0..<stateCount where dfa.accepting[q] { current[q * width] = 1 }
    }

    /// Limbs row `m` can use.
    func activeWidth(_ m: Int) -> Int { min(width, (m * bitsPerStep + 1 + 63) / 64) }

    /// Row m -> row m + 1.
    mutating func advance() {
        length += 1
        let w = activeWidth(length), s = symbolCount, width = self.width
        current.withUnsafeBufferPointer { src in
            scratch.withUnsafeMutableBufferPointer { dst in
                transitions.withUnsafeBufferPointer { delta in
                    for q in 0..<stateCount {
                        var carry: UInt64 = 0
                        let out = q * width
                        for i in 0..<w {
                            var acc = UInt128(carry)
                            for a in 0..<s { acc &+= UInt128(src[delta[q * s + a] * width + i]) }
                            dst[out + i] = UInt64(truncatingIfNeeded: acc)
                            carry = UInt64(truncatingIfNeeded: acc >> 64)
                        }
                        assert(carry == 0, "row width too small")
                    }
                }
            }
        }
        swap(&current, &scratch)
    }

    /// `f_length(q)`.
    func value(_ q: Int) -> BigUInt {
        let w = activeWidth(length)
        return BigUInt(words: current[(q * width)..<(q * width + w)].map { UInt($0) })
    }

    /// `f_length(q)` when it fits in 64 bits, else nil.
    func smallValue(_ q: Int) -> UInt64? {
        let w = activeWidth(length)
        for i in 1..<max(w, 1) where current[q * width + i] != 0 { return nil }
        return current[q * width]
    }
}
