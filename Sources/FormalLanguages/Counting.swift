import BigInt

extension DFA {
    /// `c_n`, the number of members of length `n`, for `n = 0...maxLength`, exactly.
    ///
    /// With `f_m(q)` the number of strings of length m leading from q to an accepting state,
    /// `f_0(q) = [q accepting]`, `f_m(q) = sum_a f_{m-1}(delta(q, a))` and `c_n = f_n(start)`:
    /// O(maxLength * states * symbols) additions of numbers of up to `maxLength log2 s` bits
    /// (see `PathCountRows` for how they are added without carry chains).
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

/// The rows `f_m(q)` of the path-count recursion, one length at a time, in carry-save form.
///
/// Each `f_m(q)` is an array of base-2^56 *digits* held in 64-bit words, and the value is
/// `sum_i d_i 2^(56 i)` whether or not the digits are below 2^56. A step adds the digit
/// arrays of the s successors position by position (pairs of 64-bit lanes, no carries); a
/// digit at most D before a step is at most s D after it. When the next step could push a
/// digit past 2^63, every row is *normalized* (carries propagated, digits back below 2^56):
/// for two symbols once every 7 steps, for more symbols every step or few. The 56-bit digits
/// keep the rows small and the 8 spare bits make the carries rare.
///
/// The loop is bound by memory traffic, so the rows are packed tightly: a state's digits take
/// only the (even) number of digits the current length can use, `f_m(q) <= s^m <
/// 2^(m ceil(log2 s) + 1)`, and the layout is widened (in place, zero padded) when that grows.
struct PathCountRows {
    let stateCount: Int
    let symbolCount: Int
    let transitions: [Int]
    let bitsPerStep: Int
    /// Digits per state at the largest length.
    let width: Int
    private(set) var length = 0
    /// Digits per state in the current layout (even).
    private var digitsPerState: Int
    /// `delta(q, a) * digitsPerState`: where each successor's digits start.
    private var sourceOffsets: [Int]
    private var current: [UInt64]
    private var scratch: [UInt64]
    /// A bound on every digit of `current`.
    private var digitBound: UInt64 = 1

    /// Bits per normalized digit.
    static let digitBits = 56
    static let digitMask: UInt64 = (1 << UInt64(digitBits)) - 1

    init(_ dfa: DFA, maxLength: Int) {
        stateCount = dfa.stateCount
        symbolCount = dfa.symbolCount
        transitions = dfa.transitions
        bitsPerStep = Int.bitWidth - (dfa.symbolCount - 1).leadingZeroBitCount  // ceil(log2 s)
        width = PathCountRows.evenDigits(maxLength * bitsPerStep + 1)
        digitsPerState = PathCountRows.evenDigits(1)
        sourceOffsets = dfa.transitions.map { $0 * 2 }
        current = [UInt64](repeating: 0, count: stateCount * width)
        scratch = current
        for q in 0..<stateCount where dfa.accepting[q] { current[q * digitsPerState] = 1 }
    }

    /// Digits for `bits` bits, rounded up to an even number (a step adds pairs).
    static func evenDigits(_ bits: Int) -> Int { ((bits + digitBits - 1) / digitBits + 1) / 2 * 2 }

    /// Row m -> row m + 1.
    mutating func advance() {
        let s = UInt64(symbolCount)
        if digitBound > (UInt64(1) << 63) / s { normalize() }
        length += 1
        digitBound *= s
        let needed = PathCountRows.evenDigits(length * bitsPerStep + 1)
        if needed > digitsPerState { widen(to: needed) }
        let pairs = digitsPerState / 2, n = stateCount, symbols = symbolCount, rowBytes = digitsPerState * 8
        current.withUnsafeBufferPointer { src in
            scratch.withUnsafeMutableBufferPointer { dst in
                sourceOffsets.withUnsafeBufferPointer { offsets in
                    let from = UnsafeRawPointer(src.baseAddress!)
                    var out = UnsafeMutableRawPointer(dst.baseAddress!)
                    let pair = MemoryLayout<SIMD2<UInt64>>.stride
                    var k = 0
                    for _ in 0..<n {
                        let x = from + offsets[k] &* 8
                        if symbols == 1 {
                            out.copyMemory(from: x, byteCount: rowBytes)
                        } else {
                            let y = from + offsets[k &+ 1] &* 8
                            for i in 0..<pairs {
                                let sum = x.loadUnaligned(fromByteOffset: i &* pair, as: SIMD2<UInt64>.self)
                                    &+ y.loadUnaligned(fromByteOffset: i &* pair, as: SIMD2<UInt64>.self)
                                out.storeBytes(of: sum, toByteOffset: i &* pair, as: SIMD2<UInt64>.self)
                            }
                            for a in 2..<max(symbols, 2) {
                                let z = from + offsets[k &+ a] &* 8
                                for i in 0..<pairs {
                                    let sum = out.loadUnaligned(fromByteOffset: i &* pair, as: SIMD2<UInt64>.self)
                                        &+ z.loadUnaligned(fromByteOffset: i &* pair, as: SIMD2<UInt64>.self)
                                    out.storeBytes(of: sum, toByteOffset: i &* pair, as: SIMD2<UInt64>.self)
                                }
                            }
                        }
                        out += rowBytes
                        k &+= symbols
                    }
                }
            }
        }
        swap(&current, &scratch)
    }

    /// Re-lays the current row out with `newStride` digits per state (the new digits zero),
    /// in place from the last state down so nothing is overwritten before it is moved.
    private mutating func widen(to newStride: Int) {
        let old = digitsPerState
        current.withUnsafeMutableBufferPointer { rows in
            let base = rows.baseAddress!
            for q in stride(from: stateCount - 1, through: 0, by: -1) {
                UnsafeMutableRawPointer(base + q * newStride).copyMemory(from: base + q * old, byteCount: old * 8)  // may overlap
                (base + q * newStride + old).update(repeating: 0, count: newStride - old)
            }
        }
        digitsPerState = newStride
        sourceOffsets = transitions.map { $0 * newStride }
    }

    /// Propagates the carries of every row (digits back below 2^56).
    private mutating func normalize() {
        let w = digitsPerState
        current.withUnsafeMutableBufferPointer { rows in
            for q in 0..<stateCount {
                PathCountRows.propagateCarries(rows.baseAddress! + q * w, count: w)
            }
        }
        digitBound = PathCountRows.digitMask
    }

    /// Digits below 2^56 with the same value; the carry out of the last digit must be 0
    /// (the value fits). Digits are below 2^63 and carries below 2^8, so nothing overflows.
    private static func propagateCarries(_ digits: UnsafeMutablePointer<UInt64>, count: Int) {
        var carry: UInt64 = 0
        for i in 0..<count {
            let v = digits[i] &+ carry
            digits[i] = v & digitMask
            carry = v >> UInt64(digitBits)
        }
        precondition(carry == 0, "path count wider than its bound")
    }

    /// `f_length(q)`.
    func value(_ q: Int) -> BigUInt {
        let w = digitsPerState
        var digits = Array(current[(q * w)..<(q * w + w)])
        digits.withUnsafeMutableBufferPointer { PathCountRows.propagateCarries($0.baseAddress!, count: w) }
        // Digit i holds bits 56 i ..< 56 (i + 1), which fall in 64-bit words (56 i) / 64 and the next.
        var words = [UInt](repeating: 0, count: (w * PathCountRows.digitBits + 63) / 64 + 1)
        for (i, d) in digits.enumerated() {
            let bit = i * PathCountRows.digitBits, word = bit / 64, shift = bit % 64
            words[word] |= UInt(d) << UInt(shift)
            if shift > 64 - PathCountRows.digitBits { words[word + 1] |= UInt(d) >> UInt(64 - shift) }
        }
        return BigUInt(words: words)
    }
}
