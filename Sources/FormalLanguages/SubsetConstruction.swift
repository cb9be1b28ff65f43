extension DFA {
    /// The subset construction (Rabin and Scott 1959): the DFA whose states are the sets of
    /// NFA states reachable on the same input, ε-closed. Only sets reachable from the start
    /// set are built, in breadth-first order; the empty set, when reached, is the dead state,
    /// so the DFA is complete. A set accepts when it holds an accepting NFA state.
    ///
    /// Two representations of the sets, giving the same DFA (same numbering):
    /// - dense, for a small NFA (n^2 (s + 1) bits at most 2^27): the ε-closure of every NFA
    ///   state and, for every state and symbol, the union of the closures of its targets are
    ///   precomputed as bitsets, so a step is a union of bitsets over the members of the set;
    /// - sparse, otherwise: a set is a sorted array of NFA states; a step from S on a collects
    ///   the targets of the a-moves of S's members and ε-closes them by a depth-first search
    ///   that marks visited states with the step's number, so it costs the moves scanned plus
    ///   the size of the result, and memory is the total size of the sets built: linear in the
    ///   regex for a long concatenation, where the dense n-by-n tables are quadratic.
    /// Worst case 2^n states for n NFA states (`(a|b)*a(a|b)^k` needs 2^(k+1)): with
    /// `stateLimit`, the construction stops with `tooManyStates` as soon as it has built one
    /// state more than that. `progress` is told the number of states built every 4096 states.
    public init(determinizing nfa: NFA, stateLimit: Int? = nil, of what: String = "the automaton",
                progress: ((Int) -> Void)? = nil) throws(FormalLanguageError) {
        let n = nfa.stateCount, s = nfa.alphabet.count
        let sparse = n * n * (s + 1) > 1 << 27
        let (accepting, transitions) = try Self.subsets(of: nfa, sparse: sparse, stateLimit: stateLimit, of: what, progress: progress)
        self.init(alphabet: nfa.alphabet, start: 0, accepting: accepting, transitions: transitions)
    }

    /// The subset construction's accepting flags and transitions, with the sets dense
    /// (bitsets) or sparse (sorted arrays); internal so that tests can compare the two.
    static func subsets(of nfa: NFA, sparse: Bool, stateLimit: Int?, of what: String,
                        progress: ((Int) -> Void)?) throws(FormalLanguageError) -> (accepting: [Bool], transitions: [Int]) {
        sparse ? try sparseSubsets(of: nfa, stateLimit: stateLimit, of: what, progress: progress)
            : try denseSubsets(of: nfa, stateLimit: stateLimit, of: what, progress: progress)
    }

    /// After the `count`-th set is built: refused past `stateLimit`, reported every 4096.
    private static func built(_ count: Int, stateLimit: Int?, of what: String, progress: ((Int) -> Void)?) throws(FormalLanguageError) {
        if let stateLimit, count > stateLimit { throw .tooManyStates(what: what, reached: count, limit: stateLimit) }
        if count % 4096 == 0 { progress?(count) }
    }

    private static func denseSubsets(of nfa: NFA, stateLimit: Int?, of what: String,
                                     progress: ((Int) -> Void)?) throws(FormalLanguageError) -> (accepting: [Bool], transitions: [Int]) {
        let n = nfa.stateCount, s = nfa.alphabet.count
        // closure[p]: the states reachable from p by ε-moves, p included.
        var closure = [Bitset](repeating: Bitset(capacity: n), count: n)
        for p in 0..<n {
            var stack = [p]
            closure[p].insert(p)
            while let q = stack.popLast() {
                for t in nfa.epsilon[q] where !closure[p].contains(t) {
                    closure[p].insert(t)
                    stack.append(t)
                }
            }
        }
        // step[p * s + a]: the union of the closures of p's targets on a.
        var step = [Bitset](repeating: Bitset(capacity: n), count: n * s)
        for p in 0..<n {
            for (a, t) in nfa.moves[p] { step[p * s + Int(a)].formUnion(closure[t]) }
        }
        var startSet = Bitset(capacity: n)
        for p in nfa.starts { startSet.formUnion(closure[p]) }
        return try explore(from: startSet, symbols: s, stateLimit: stateLimit, of: what, progress: progress,
                           accepts: { set in
                               var accepts = false
                               set.forEach { if nfa.accepting[$0] { accepts = true } }
                               return accepts
                           },
                           successor: { set, a in
                               var target = Bitset(capacity: n)
                               set.forEach { target.formUnion(step[$0 * s + a]) }
                               return target
                           })
    }

    /// The sets reachable from `start`, numbered in breadth-first order (the start 0), with
    /// each one's accepting flag and its successor's number on every symbol.
    @inline(__always)
    private static func explore<Subset: Hashable>(from start: Subset, symbols s: Int, stateLimit: Int?, of what: String,
                                                  progress: ((Int) -> Void)?, accepts: (Subset) -> Bool,
                                                  successor: (Subset, Int) -> Subset) throws(FormalLanguageError)
        -> (accepting: [Bool], transitions: [Int]) {
        var index: [Subset: Int] = [start: 0]
        var sets = [start]
        var transitions: [Int] = []
        var accepting: [Bool] = []
        var k = 0
        while k < sets.count {
            let current = sets[k]
            accepting.append(accepts(current))
            for a in 0..<s {
                let target = successor(current, a)
                if let j = index[target] {
                    transitions.append(j)
                } else {
                    index[target] = sets.count
                    transitions.append(sets.count)
                    sets.append(target)
                    try built(sets.count, stateLimit: stateLimit, of: what, progress: progress)
                }
            }
            k += 1
        }
        return (accepting, transitions)
    }

    private static func sparseSubsets(of nfa: NFA, stateLimit: Int?, of what: String,
                                      progress: ((Int) -> Void)?) throws(FormalLanguageError) -> (accepting: [Bool], transitions: [Int]) {
        let n = nfa.stateCount, s = nfa.alphabet.count
        // movesOn[a][p]: p's targets on symbol a.
        var movesOn = [[[Int32]]](repeating: [[Int32]](repeating: [], count: n), count: s)
        for p in 0..<n {
            for (a, t) in nfa.moves[p] { movesOn[Int(a)][p].append(Int32(t)) }
        }
        var mark = [Int](repeating: -1, count: n)
        var stamp = 0
        var stack: [Int32] = []
        /// The ε-closure of `seeds`, sorted.
        func closure(_ seeds: [Int32]) -> [Int32] {
            stamp += 1
            var result: [Int32] = []
            for p in seeds where mark[Int(p)] != stamp {
                mark[Int(p)] = stamp
                stack.append(p)
                result.append(p)
            }
            while let q = stack.popLast() {
                for t in nfa.epsilon[Int(q)] where mark[t] != stamp {
                    mark[t] = stamp
                    stack.append(Int32(t))
                    result.append(Int32(t))
                }
            }
            result.sort()
            return result
        }

        var targets: [Int32] = []
        return try explore(from: closure(nfa.starts.map { Int32($0) }), symbols: s, stateLimit: stateLimit, of: what, progress: progress,
                           accepts: { set in set.contains { nfa.accepting[Int($0)] } },
                           successor: { set, a in
                               targets.removeAll(keepingCapacity: true)
                               for p in set { targets.append(contentsOf: movesOn[a][Int(p)]) }
                               return closure(targets)
                           })
    }
}
