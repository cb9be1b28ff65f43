/// A complete deterministic finite automaton over an `Alphabet`: every state has one
/// transition on every symbol (a dead state, if the language needs one, is a state like any
/// other). States are `0..<stateCount`; `transitions[state * alphabet.count + symbol]`.
///
/// `minimized()` gives the minimal complete DFA with its states numbered in breadth-first
/// order from the start (symbols in alphabet order), a canonical form: two minimal DFAs over
/// the same alphabet are equal (`==`) exactly when their languages are.
public struct DFA: Sendable, Hashable {
    public let alphabet: Alphabet
    public let start: Int
    public let accepting: [Bool]
    public let transitions: [Int]

    public init(alphabet: Alphabet, start: Int, accepting: [Bool], transitions: [Int]) {
        precondition(transitions.count == accepting.count * alphabet.count, "a complete DFA has one transition per state and symbol")
        precondition(accepting.indices.contains(start) && transitions.allSatisfy { accepting.indices.contains($0) },
                     "start and targets must be states")
        self.alphabet = alphabet
        self.start = start
        self.accepting = accepting
        self.transitions = transitions
    }

    public var stateCount: Int { accepting.count }
    public var symbolCount: Int { alphabet.count }

    /// `delta(state, symbol)`.
    @inlinable public func next(_ state: Int, _ symbol: UInt8) -> Int {
        transitions[state &* alphabet.count &+ Int(symbol)]
    }

    /// `delta*(state, symbols)`.
    public func run(from state: Int, _ symbols: some Sequence<UInt8>) -> Int {
        var q = state
        for a in symbols { q = next(q, a) }
        return q
    }

    /// Whether the string of symbols is in the language.
    public func accepts(_ symbols: some Sequence<UInt8>) -> Bool { accepting[run(from: start, symbols)] }

    /// Whether `text` is in the language (an error names a letter outside the alphabet).
    public func accepts(_ text: String) throws(FormalLanguageError) -> Bool { accepts(try alphabet.symbols(text)) }

    /// The dead states: non-accepting states from which no accepting state can be reached. A
    /// minimal DFA has at most one, with every transition a self-loop.
    public var deadStates: [Int] {
        let live = liveStates
        return (0..<stateCount).filter { !live[$0] }
    }

    /// States from which an accepting state is reachable (backward search from the accepting ones).
    public var liveStates: [Bool] {
        var reverse = [[Int]](repeating: [], count: stateCount)
        for q in 0..<stateCount { for a in 0..<symbolCount { reverse[transitions[q * symbolCount + a]].append(q) } }
        var live = accepting
        var stack = (0..<stateCount).filter { accepting[$0] }
        while let q = stack.popLast() {
            for p in reverse[q] where !live[p] {
                live[p] = true
                stack.append(p)
            }
        }
        return live
    }

    /// States reachable from the start.
    public var reachableStates: [Bool] {
        var seen = [Bool](repeating: false, count: stateCount)
        seen[start] = true
        var stack = [start]
        while let q = stack.popLast() {
            for a in 0..<symbolCount {
                let t = transitions[q * symbolCount + a]
                if !seen[t] { seen[t] = true; stack.append(t) }
            }
        }
        return seen
    }

    /// Whether the language is empty (no accepting state is reachable).
    public var isEmpty: Bool {
        let reachable = reachableStates
        return !(0..<stateCount).contains { reachable[$0] && accepting[$0] }
    }
}
