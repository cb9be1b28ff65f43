extension DFA {
    /// The subset construction (Rabin and Scott 1959): the DFA whose states are the sets of
    /// NFA states reachable on the same input, ε-closed. Only sets reachable from the start
    /// set are built, in breadth-first order; the empty set, when reached, is the dead state,
    /// so the DFA is complete. A set accepts when it holds an accepting NFA state.
    ///
    /// The ε-closure of every NFA state is computed once (depth-first search), and for every
    /// NFA state and symbol the union of the closures of its targets, so one step of the
    /// construction is a union of precomputed bitsets over the members of the current set.
    /// Worst case 2^n states for n NFA states (`(a|b)*a(a|b)^k` needs 2^(k+1)).
    public init(determinizing nfa: NFA) {
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

        var index: [Bitset: Int] = [startSet: 0]
        var sets = [startSet]
        var transitions: [Int] = []
        var accepting: [Bool] = []
        var k = 0
        while k < sets.count {
            let current = sets[k]
            var accepts = false
            current.forEach { if nfa.accepting[$0] { accepts = true } }
            accepting.append(accepts)
            for a in 0..<s {
                var target = Bitset(capacity: n)
                current.forEach { target.formUnion(step[$0 * s + a]) }
                if let j = index[target] {
                    transitions.append(j)
                } else {
                    index[target] = sets.count
                    transitions.append(sets.count)
                    sets.append(target)
                }
            }
            k += 1
        }
        self.init(alphabet: nfa.alphabet, start: 0, accepting: accepting, transitions: transitions)
    }
}
