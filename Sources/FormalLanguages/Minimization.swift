extension DFA {
    /// The minimal complete DFA of the same language, in canonical numbering.
    ///
    /// 1. Drop the states not reachable from the start.
    /// 2. Hopcroft's partition refinement (Hopcroft 1971), O(n s log n): start from the
    ///    partition {accepting, non-accepting}; a *splitter* block A cuts every block Y into the
    ///    states that move into A on a symbol c and those that do not. The worklist starts with
    ///    the smaller initial block; when Y splits, both halves go on the worklist if Y was on
    ///    it, else only the smaller half (the larger half's cut is implied by Y's and the
    ///    smaller's; this is what gives the log n). The result is the coarsest partition
    ///    compatible with the transitions: the Myhill-Nerode classes.
    /// 3. Renumber the blocks breadth-first from the start's block, symbols in alphabet order,
    ///    so that equal languages give equal DFAs.
    public func minimized() -> DFA {
        let s = symbolCount
        // 1. Reachable states, renumbered 0..<m.
        let reachable = reachableStates
        var old = [Int](repeating: -1, count: stateCount)
        var states: [Int] = []
        for q in 0..<stateCount where reachable[q] {
            old[q] = states.count
            states.append(q)
        }
        let m = states.count
        var delta = [Int](repeating: 0, count: m * s)
        for (i, q) in states.enumerated() {
            for a in 0..<s { delta[i * s + a] = old[transitions[q * s + a]] }
        }
        let final = states.map { accepting[$0] }

        // Predecessors on each symbol, as a compressed row array: inverse[a][first..<end] of target t.
        var inverseStart = [Int](repeating: 0, count: s * (m + 1))
        for i in 0..<m { for a in 0..<s { inverseStart[a * (m + 1) + delta[i * s + a] + 1] += 1 } }
        for a in 0..<s { for t in 0..<m { inverseStart[a * (m + 1) + t + 1] += inverseStart[a * (m + 1) + t] } }
        var inverse = [Int](repeating: 0, count: s * m)
        var fill = inverseStart
        for i in 0..<m {
            for a in 0..<s {
                let t = delta[i * s + a]
                inverse[a * m + fill[a * (m + 1) + t]] = i
                fill[a * (m + 1) + t] += 1
            }
        }

        // 2. Hopcroft.
        var partition = RefinablePartition(count: m, key: { final[$0] ? 1 : 0 })
        var onWorklist = [Bool](repeating: false, count: m)  // indexed by block (at most m blocks)
        var worklist: [Int] = []
        if partition.blockCount == 2 {
            let smaller = partition.size(0) <= partition.size(1) ? 0 : 1
            worklist.append(smaller)
            onWorklist[smaller] = true
        }
        var touched: [Int] = []
        while let splitter = worklist.popLast() {
            onWorklist[splitter] = false
            let members = Array(partition.members(splitter))
            for a in 0..<s {
                for t in members {
                    let lo = inverseStart[a * (m + 1) + t], hi = inverseStart[a * (m + 1) + t + 1]
                    for k in lo..<hi {
                        if let b = partition.mark(inverse[a * m + k]) { touched.append(b) }
                    }
                }
                for b in touched {
                    guard let (marked, rest) = partition.split(b) else { continue }
                    if onWorklist[b] {
                        worklist.append(marked)
                        onWorklist[marked] = true
                    } else {
                        let smaller = partition.size(marked) <= partition.size(rest) ? marked : rest
                        worklist.append(smaller)
                        onWorklist[smaller] = true
                    }
                }
                touched.removeAll(keepingCapacity: true)
            }
        }

        // 3. Canonical breadth-first numbering of the blocks.
        var number = [Int](repeating: -1, count: partition.blockCount)
        var order: [Int] = []  // blocks in the new order
        let startBlock = partition.block(of: old[start])
        number[startBlock] = 0
        order.append(startBlock)
        var newTransitions: [Int] = []
        newTransitions.reserveCapacity(partition.blockCount * s)
        var k = 0
        while k < order.count {
            let representative = partition.members(order[k]).first!
            for a in 0..<s {
                let b = partition.block(of: delta[representative * s + a])
                if number[b] < 0 {
                    number[b] = order.count
                    order.append(b)
                }
                newTransitions.append(number[b])
            }
            k += 1
        }
        let newAccepting = order.map { final[partition.members($0).first!] }
        return DFA(alphabet: alphabet, start: 0, accepting: newAccepting, transitions: newTransitions)
    }

    /// Whether this DFA is already minimal (every state reachable, no two equivalent).
    public var isMinimal: Bool { minimized().stateCount == stateCount }
}

/// A partition of `0..<count` that blocks can be split in time proportional to the marked
/// elements (Valmari and Lehtinen 2008): the elements of each block are contiguous in
/// `elements`; marking an element swaps it to the front of its block.
struct RefinablePartition {
    private var elements: [Int]
    private var location: [Int]
    private var blockOf: [Int]
    private var first: [Int] = []
    private var end: [Int] = []
    private var markedEnd: [Int] = []

    /// The initial blocks group the elements by `key` (in increasing key order).
    init(count: Int, key: (Int) -> Int) {
        let keys = (0..<count).map(key)
        let distinct = Array(Set(keys)).sorted()
        elements = (0..<count).sorted { (keys[$0], $0) < (keys[$1], $1) }
        location = [Int](repeating: 0, count: count)
        blockOf = [Int](repeating: 0, count: count)
        for (i, e) in elements.enumerated() { location[e] = i }
        var position = 0
        for (b, k) in distinct.enumerated() {
            first.append(position)
            while position < count && keys[elements[position]] == k {
                blockOf[elements[position]] = b
                position += 1
            }
            end.append(position)
            markedEnd.append(first[b])
        }
    }

    var blockCount: Int { first.count }
    func size(_ b: Int) -> Int { end[b] - first[b] }
    func block(of e: Int) -> Int { blockOf[e] }
    func members(_ b: Int) -> ArraySlice<Int> { elements[first[b]..<end[b]] }

    /// Marks `e`; returns its block when this is the block's first mark.
    mutating func mark(_ e: Int) -> Int? {
        let b = blockOf[e], i = location[e], j = markedEnd[b]
        guard i >= j else { return nil }  // already marked
        let other = elements[j]
        elements[j] = e; location[e] = j
        elements[i] = other; location[other] = i
        markedEnd[b] = j + 1
        return j == first[b] ? b : nil
    }

    /// Splits block `b` into its marked and unmarked elements and clears the marks. Returns
    /// (new block of the marked elements, `b` = the unmarked ones), or nil when all or none
    /// were marked (no split).
    mutating func split(_ b: Int) -> (marked: Int, rest: Int)? {
        let mid = markedEnd[b]
        markedEnd[b] = first[b]
        guard mid > first[b] && mid < end[b] else { return nil }
        let nb = first.count
        first.append(first[b]); end.append(mid); markedEnd.append(first[b])
        first[b] = mid
        markedEnd[b] = mid
        for i in first[nb]..<end[nb] { blockOf[elements[i]] = nb }
        return (nb, b)
    }
}
