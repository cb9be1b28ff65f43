import BigInt

/// `f_m(q)` (strings of length m from q to an accepting state) for `m = 0...maxLength`, and for
/// every `(m, q)` the running sums over the symbols, so a string can be *unranked*: the string
/// of rank r in alphabet order among the `f_m(q)` strings from q is found by walking m steps,
/// at each step taking the first symbol whose running sum exceeds r and subtracting the sums
/// before it. One uniform integer below `f_n(start)` then gives a uniform member of length n.
///
/// `Count` is `UInt64` when every entry fits (the fast path), `BigUInt` otherwise.
struct PathCountTable<Count: UnsignedInteger>: Sendable where Count: Sendable {
    let stateCount: Int
    let symbolCount: Int
    let maxLength: Int
    let transitions: [Int]
    /// `f[m * stateCount + q]`.
    let f: [Count]
    /// `cumulative[((m - 1) * stateCount + q) * symbolCount + a] = sum_{b <= a} f_{m-1}(delta(q, b))`, `m >= 1`.
    let cumulative: [Count]

    /// `f_m(q)`.
    @inline(__always) func count(_ m: Int, _ q: Int) -> Count { f[m * stateCount + q] }

    /// Writes the `m` symbols of the string of rank `r` (`0 <= r < f_m(q)`) from q.
    @inline(__always)
    func unrank(_ rank: Count, length m: Int, from q0: Int, into out: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var r = rank, q = q0
        let s = symbolCount, n = stateCount
        cumulative.withUnsafeBufferPointer { cum in
            transitions.withUnsafeBufferPointer { delta in
                var position = offset
                var remaining = m
                while remaining > 0 {
                    let base = ((remaining - 1) * n + q) * s
                    var a = 0
                    while r >= cum[base + a] { a += 1 }
                    if a > 0 { r -= cum[base + a - 1] }
                    out[position] = UInt8(truncatingIfNeeded: a)
                    position += 1
                    q = delta[q * s + a]
                    remaining -= 1
                }
            }
        }
    }
}

extension PathCountTable where Count == UInt64 {
    /// The table in 64-bit integers, or nil when some entry (or a running sum) does not fit.
    init?(_ dfa: DFA, maxLength: Int) {
        let n = dfa.stateCount, s = dfa.symbolCount
        var f = [UInt64](repeating: 0, count: (maxLength + 1) * n)
        var cumulative = [UInt64](repeating: 0, count: maxLength * n * s)
        for q in 0..<n where dfa.accepting[q] { f[q] = 1 }
        for m in stride(from: 1, through: maxLength, by: 1) {
            for q in 0..<n {
                var sum: UInt64 = 0
                for a in 0..<s {
                    let (t, overflow) = sum.addingReportingOverflow(f[(m - 1) * n + dfa.transitions[q * s + a]])
                    if overflow { return nil }
                    sum = t
                    cumulative[((m - 1) * n + q) * s + a] = sum
                }
                f[m * n + q] = sum
            }
        }
        self.init(stateCount: n, symbolCount: s, maxLength: maxLength, transitions: dfa.transitions, f: f, cumulative: cumulative)
    }
}

extension PathCountTable where Count == BigUInt {
    /// The table in arbitrary precision.
    init(_ dfa: DFA, maxLength: Int) {
        let n = dfa.stateCount, s = dfa.symbolCount
        var f = [BigUInt](repeating: 0, count: (maxLength + 1) * n)
        var cumulative = [BigUInt](repeating: 0, count: maxLength * n * s)
        for q in 0..<n where dfa.accepting[q] { f[q] = 1 }
        for m in stride(from: 1, through: maxLength, by: 1) {
            for q in 0..<n {
                var sum: BigUInt = 0
                for a in 0..<s {
                    sum += f[(m - 1) * n + dfa.transitions[q * s + a]]
                    cumulative[((m - 1) * n + q) * s + a] = sum
                }
                f[m * n + q] = sum
            }
        }
        self.init(stateCount: n, symbolCount: s, maxLength: maxLength, transitions: dfa.transitions, f: f, cumulative: cumulative)
    }
}
