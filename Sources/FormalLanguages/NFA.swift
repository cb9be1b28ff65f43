/// A nondeterministic finite automaton with ε-moves over an `Alphabet`: any number of start
/// and accepting states. Built by Thompson's construction from a regex, or by the
/// edit-neighbourhood construction of `HardNegatives.swift`; turned into a DFA by the subset
/// construction (`DFA(determinizing:)`).
public struct NFA: Sendable {
    public let alphabet: Alphabet
    /// ε-moves of each state.
    public internal(set) var epsilon: [[Int]] = []
    /// Labelled moves of each state: `(symbol, target)`.
    public internal(set) var moves: [[(symbol: UInt8, target: Int)]] = []
    public internal(set) var starts: [Int] = []
    public internal(set) var accepting: [Bool] = []

    public var stateCount: Int { accepting.count }

    init(alphabet: Alphabet) { self.alphabet = alphabet }

    mutating func addState(accepting isAccepting: Bool = false) -> Int {
        epsilon.append([])
        moves.append([])
        accepting.append(isAccepting)
        return accepting.count - 1
    }

    mutating func addEpsilon(_ from: Int, _ to: Int) { epsilon[from].append(to) }
    mutating func addMove(_ from: Int, _ symbol: UInt8, _ to: Int) { moves[from].append((symbol, to)) }

    /// Thompson's construction (Thompson 1968): each node of the regex becomes a fragment with
    /// one entry and one exit state, joined by ε-moves:
    ///
    ///     a        entry --a--> exit
    ///     r s      exit(r) --ε--> entry(s)
    ///     r | s    entry --ε--> entry(r), entry(s);  exit(r), exit(s) --ε--> exit
    ///     r*       entry --ε--> entry(r), exit;  exit(r) --ε--> entry(r), exit
    ///     r+       as r* without entry --ε--> exit
    ///     r?       entry --ε--> entry(r), exit;  exit(r) --ε--> exit
    ///
    /// At most two states per node, and the one accepting state is the exit of the whole.
    /// Every letter of the regex must be in `alphabet` (`RegularLanguage` checks it with the
    /// position of the first one that is not).
    public init(thompson regex: Regex, alphabet: Alphabet) {
        self.init(alphabet: alphabet)
        let (entry, exit) = fragment(regex)
        starts = [entry]
        accepting[exit] = true
    }

    private mutating func fragment(_ r: Regex) -> (entry: Int, exit: Int) {
        switch r {
        case let .literal(c):
            let s = addState(), t = addState()
            addMove(s, alphabet.symbol(of: c)!, t)
            return (s, t)
        case let .concatenation(parts):
            let first = fragment(parts[0])
            var exit = first.exit
            for part in parts.dropFirst() {
                let f = fragment(part)
                addEpsilon(exit, f.entry)
                exit = f.exit
            }
            return (first.entry, exit)
        case let .alternation(parts):
            let s = addState(), t = addState()
            for part in parts {
                let f = fragment(part)
                addEpsilon(s, f.entry)
                addEpsilon(f.exit, t)
            }
            return (s, t)
        case let .star(inner), let .plus(inner), let .optional(inner):
            let s = addState(), t = addState()
            let f = fragment(inner)
            addEpsilon(s, f.entry)
            addEpsilon(f.exit, t)
            if case .optional = r {} else { addEpsilon(f.exit, f.entry) }
            if case .plus = r {} else { addEpsilon(s, t) }
            return (s, t)
        }
    }
}
