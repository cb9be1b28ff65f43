extension DFA {
    /// The subset construction (Rabin and Scott 1959): the DFA whose states are the sets of
    /// NFA states reachable on the same input, ε-closed. Only sets reachable from the start
    /// set are built, in breadth-first order; the empty set, when reached, is the dead state,
    /// so the DFA is complete. A set accepts when it holds an accepting NFA state.
    ///
    /// A set is a sorted array of NFA states. A step from set S on symbol a collects the
    /// targets of the a-moves of S's members and ε-closes them by a depth-first search that
    /// marks visited states with the step's number, so one step costs the moves scanned plus
    /// the size of the result, and memory is the total size of the sets built: linear in the
    /// regex for a long concatenation, where precomputed closures (an n-by-n table) are not.
    /// Worst case 2^n states for n NFA states (`(a|b)*a(a|b)^k` needs 2^(k+1)): with
    /// `stateLimit`, the construction stops with `tooManyStates` as soon as it has built one
    /// state more than that. `progress` is told the number of states built every 4096 states.
    public init(determinizing nfa: NFA, stateLimit: Int? = nil, of what: String = "the automaton",
                progress: ((Int) -> Void)? = nil) throws(FormalLanguageError) {
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

        let startSet = closure(nfa.starts.map { Int32($0) })
        var index: [[Int32]: Int] = [startSet: 0]
        var sets = [startSet]
        var transitions: [Int] = []
        var accepting: [Bool] = []
        var targets: [Int32] = []
        var k = 0
        while k < sets.count {
            let current = sets[k]
            accepting.append(current.contains { nfa.accepting[Int($0)] })
            for a in 0..<s {
                targets.removeAll(keepingCapacity: true)
                for p in current { targets.append(contentsOf: movesOn[a][Int(p)]) }
                let target = closure(targets)
                if let j = index[target] {
                    transitions.append(j)
                } else {
                    index[target] = sets.count
                    transitions.append(sets.count)
                    sets.append(target)
                    if let stateLimit, sets.count > stateLimit {
                        throw .tooManyStates(what: what, reached: sets.count, limit: stateLimit)
                    }
                    if sets.count % 4096 == 0 { progress?(sets.count) }
                }
            }
            k += 1
        }
        self.init(alphabet: nfa.alphabet, start: 0, accepting: accepting, transitions: transitions)
    }
}
