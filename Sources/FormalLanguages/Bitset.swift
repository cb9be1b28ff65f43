/// A set of small non-negative integers as 64-bit words: the state sets of the subset
/// construction (hashable, so each set is a dictionary key).
struct Bitset: Hashable {
    var words: [UInt64]

    init(capacity: Int) { words = [UInt64](repeating: 0, count: (capacity + 63) / 64) }

    var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    mutating func insert(_ i: Int) { words[i >> 6] |= 1 << UInt64(i & 63) }

    mutating func formUnion(_ other: Bitset) {
        for k in words.indices { words[k] |= other.words[k] }
    }

    /// The members in increasing order.
    func forEach(_ body: (Int) -> Void) {
        for (k, word) in words.enumerated() {
            var w = word
            while w != 0 {
                body(k << 6 | w.trailingZeroBitCount)
                w &= w - 1
            }
        }
    }
}
