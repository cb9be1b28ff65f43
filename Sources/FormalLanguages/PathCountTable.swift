import BigInt

/// `f_m(q)` (strings of length m from q to an accepting state) for `m = 0...maxLength`, and for
/// every `(m, q)` and symbol a the *branch* `(start, target)`: `start` the number of strings of
/// length m from q whose first symbol comes before a (`sum_{b < a} f_{m-1}(delta(q, b))`),
/// `target = delta(q, a)`. A string can then be *unranked*: the string of rank r in alphabet
/// order among the `f_m(q)` strings from q takes the last symbol a with `start <= r`, then
/// continues from `delta(q, a)` with rank `r - start`. One uniform integer below `f_n(start)`
/// gives a uniform member of length n.
///
/// The symbol is found branch-free (a counts the starts `<= r`; symbols with no string have
/// an empty range and are never chosen), since the comparisons are random and a branch on
/// each would be mispredicted half the time. `Count` is `UInt64` when every entry is below
/// 2^63 (the fast path, see `PathCount`), `BigUInt` otherwise.
struct PathCountTable<Count: PathCount>: Sendable {
    struct Branch: Sendable {
        let start: Count
        let target: Int
    }
    let stateCount: Int
    let symbolCount: Int
    let maxLength: Int
    /// `f[m * stateCount + q]`.
    let f: [Count]
    /// `branches[((m - 1) * stateCount + q) * symbolCount + a]`, `m >= 1`.
    let branches: [Branch]

    /// `f_m(q)`.
    @inline(__always) func count(_ m: Int, _ q: Int) -> Count { f[m * stateCount + q] }

    /// Writes the `m` symbols of the string of rank `r` (`0 <= r < f_m(q)`) from q at `offset`.
    @inline(__always)
    func unrank(_ rank: Count, length m: Int, from q0: Int, into out: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var r = rank, q = q0
        let s = symbolCount, n = stateCount
        branches.withUnsafeBufferPointer { table in
            var position = offset
            var remaining = m
            while remaining > 0 {
                let base = ((remaining &- 1) &* n &+ q) &* s
                var a = 0
                for b in 1..<max(s, 1) { a &+= Count.indicator(r, atLeast: table[base &+ b].start) }
                let branch = table[base &+ a]
                r -= branch.start
                out[position] = UInt8(truncatingIfNeeded: a)
                q = branch.target
                position &+= 1
                remaining &-= 1
            }
        }
    }

    /// Unranks several strings at once, one symbol of each in turn: each string's walk is a
    /// chain of dependent table reads (the next read needs the state the last one gave), so
    /// interleaving independent walks lets their memory latencies overlap. String `l` (rank
    /// `ranks[l]`) is written at `offset + l * m`; `ranks` and `states` are scratch.
    @inline(__always)
    func unrank(lanes ranks: UnsafeMutableBufferPointer<Count>, states: UnsafeMutableBufferPointer<Int>, length m: Int,
                from q0: Int, into out: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        let s = symbolCount, n = stateCount, lanes = ranks.count
        for l in 0..<lanes { states[l] = q0 }
        branches.withUnsafeBufferPointer { table in
            for step in 0..<m {
                let layer = (m &- 1 &- step) &* n
                for l in 0..<lanes {
                    let r = ranks[l]
                    let base = (layer &+ states[l]) &* s
                    var a = 0
                    for b in 1..<max(s, 1) { a &+= Count.indicator(r, atLeast: table[base &+ b].start) }
                    let branch = table[base &+ a]
                    ranks[l] = r - branch.start
                    states[l] = branch.target
                    out[offset &+ l &* m &+ step] = UInt8(truncatingIfNeeded: a)
                }
            }
        }
    }

    /// Builds the table with `add`, which returns nil on overflow (then the whole table is nil).
    private init?(_ dfa: DFA, maxLength: Int, add: (Count, Count) -> Count?) {
        let n = dfa.stateCount, s = dfa.symbolCount
        var f = [Count](repeating: 0, count: (maxLength + 1) * n)
        var branches: [Branch] = []
        branches.reserveCapacity(maxLength * n * s)
        for q in 0..<n where dfa.accepting[q] { f[q] = 1 }
        for m in stride(from: 1, through: maxLength, by: 1) {
            for q in 0..<n {
                var sum: Count = 0
                for a in 0..<s {
                    let t = dfa.transitions[q * s + a]
                    branches.append(Branch(start: sum, target: t))
                    guard let next = add(sum, f[(m - 1) * n + t]) else { return nil }
                    sum = next
                }
                f[m * n + q] = sum
            }
        }
        self.stateCount = n
        self.symbolCount = s
        self.maxLength = maxLength
        self.f = f
        self.branches = branches
    }
}

extension PathCountTable where Count == UInt64 {
    /// The table in 64-bit integers, or nil when some count is 2^63 or more.
    init?(_ dfa: DFA, maxLength: Int) {
        self.init(dfa, maxLength: maxLength) { a, b in
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow || sum >= 1 << 63 ? nil : sum
        }
    }
}

extension PathCountTable where Count == BigUInt {
    /// The table in arbitrary precision.
    init(_ dfa: DFA, maxLength: Int) {
        self.init(dfa, maxLength: maxLength) { $0 + $1 }!
    }
}

/// The integer types of path counts, with a comparison that returns 0 or 1.
protocol PathCount: UnsignedInteger, Sendable {
    /// 1 when `a >= b`, else 0.
    static func indicator(_ a: Self, atLeast b: Self) -> Int
}

extension UInt64: PathCount {
    /// Branch-free for `a, b < 2^63`: `a - b` wraps to a number with the top bit set exactly
    /// when `a < b`, so the arithmetic shift gives -1 or 0.
    @inline(__always) static func indicator(_ a: UInt64, atLeast b: UInt64) -> Int {
        1 &+ Int(Int64(bitPattern: a &- b) >> 63)
    }
}

extension BigUInt: PathCount {
    static func indicator(_ a: BigUInt, atLeast b: BigUInt) -> Int { a >= b ? 1 : 0 }
}
