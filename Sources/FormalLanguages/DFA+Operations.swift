extension DFA {
    /// The complement `Sigma* \ L` over the same alphabet: the DFA is complete, so flipping
    /// which states accept is enough.
    public func complement() -> DFA {
        DFA(alphabet: alphabet, start: start, accepting: accepting.map { !$0 }, transitions: transitions)
    }

    /// The product automaton on the pairs of states reachable from `(start, other.start)`;
    /// a pair accepts when `accept(self accepts, other accepts)`. Both must have the same
    /// alphabet (use `over(_:)` first otherwise).
    public func product(_ other: DFA, accept: (Bool, Bool) -> Bool) -> DFA {
        precondition(alphabet == other.alphabet, "a product needs one alphabet; extend both with over(_:)")
        let s = symbolCount
        var index: [Int: Int] = [:]
        var pairs: [(Int, Int)] = [(start, other.start)]
        index[start * other.stateCount + other.start] = 0
        var transitions: [Int] = []
        var accepting: [Bool] = []
        var k = 0
        while k < pairs.count {
            let (p, q) = pairs[k]
            accepting.append(accept(self.accepting[p], other.accepting[q]))
            for a in 0..<s {
                let t = (self.transitions[p * s + a], other.transitions[q * s + a])
                let key = t.0 * other.stateCount + t.1
                if let j = index[key] {
                    transitions.append(j)
                } else {
                    index[key] = pairs.count
                    transitions.append(pairs.count)
                    pairs.append(t)
                }
            }
            k += 1
        }
        return DFA(alphabet: alphabet, start: 0, accepting: accepting, transitions: transitions)
    }

    /// `L intersect M`.
    public func intersection(_ other: DFA) -> DFA { product(other) { $0 && $1 } }
    /// `L union M`.
    public func union(_ other: DFA) -> DFA { product(other) { $0 || $1 } }
    /// `L \ M`.
    public func subtracting(_ other: DFA) -> DFA { product(other) { $0 && !$1 } }

    /// The same language over a larger alphabet: the new letters lead to a dead state.
    public func over(_ larger: Alphabet) -> DFA {
        precondition(larger.contains(alphabet), "the new alphabet must contain the old one")
        if larger == alphabet { return self }
        let dead = stateCount
        var table: [Int] = []
        for q in 0...dead {
            for c in larger.letters {
                if q < dead, let a = alphabet.symbol(of: c) { table.append(next(q, a)) } else { table.append(dead) }
            }
        }
        return DFA(alphabet: larger, start: start, accepting: accepting + [false], transitions: table)
    }

    /// A shortest string (the first in length-then-alphabet order) on which the two languages
    /// differ, or nil when they are equal: breadth-first search of the product for a pair
    /// where exactly one side accepts. Different alphabets are first joined (`over`).
    public func distinguishingString(from other: DFA) -> [UInt8]? {
        let joined = alphabet.union(other.alphabet)
        let a = over(joined), b = other.over(joined)
        let s = joined.count
        var parent: [Int: (previous: Int, symbol: UInt8)] = [:]
        let first = a.start * b.stateCount + b.start
        var queue = [first]
        var seen: Set<Int> = [first]
        var k = 0
        while k < queue.count {
            let key = queue[k]
            let (p, q) = (key / b.stateCount, key % b.stateCount)
            if a.accepting[p] != b.accepting[q] {
                var word: [UInt8] = []
                var cur = key
                while cur != first, let link = parent[cur] { word.append(link.symbol); cur = link.previous }
                return word.reversed()
            }
            for c in 0..<s {
                let t = a.transitions[p * s + c] * b.stateCount + b.transitions[q * s + c]
                if seen.insert(t).inserted {
                    parent[t] = (key, UInt8(c))
                    queue.append(t)
                }
            }
            k += 1
        }
        return nil
    }

    /// Whether the two DFAs accept the same strings (over the union of their alphabets).
    public func isEquivalent(to other: DFA) -> Bool { distinguishingString(from: other) == nil }

    /// The language restricted to the strings whose length is in `lengths`: the product with
    /// the chain automaton of lengths `0...upper+1` (the last state absorbing).
    public func restricted(toLengths lengths: ClosedRange<Int>) -> DFA {
        let top = lengths.upperBound + 1
        let chain = DFA(alphabet: alphabet, start: 0,
                        accepting: (0...top).map { lengths.contains($0) },
                        transitions: (0...top).flatMap { q in [Int](repeating: min(q + 1, top), count: symbolCount) })
        return intersection(chain)
    }
}
