import Figures
import FormalLanguages
import Foundation

/// `icl lang dfa`: the minimal complete DFA of a regular language, canonically numbered
/// (breadth-first from the start, symbols in alphabet order), as a table, JSON or Graphviz DOT.
public struct MinimalDFAReport: Codable, Sendable, Equatable {
    /// The regex as written.
    public var regex: String
    public var alphabet: String
    public var states: Int
    public var start: Int
    /// The accepting states, ascending.
    public var accepting: [Int]
    /// The dead state (non-accepting, every transition a self-loop), absent when there is none.
    public var dead: Int?
    /// `transitions[q][letter]`: the state after reading `letter` in state `q`.
    public var transitions: [[String: Int]]

    public init(_ language: RegularLanguage) {
        let dfa = language.dfa
        let letters = dfa.alphabet.letters.map(String.init)
        regex = language.source
        alphabet = dfa.alphabet.description
        states = dfa.stateCount
        start = dfa.start
        accepting = (0..<dfa.stateCount).filter { dfa.accepting[$0] }
        dead = dfa.deadStates.first
        transitions = (0..<dfa.stateCount).map { q in
            Dictionary(uniqueKeysWithValues: letters.enumerated().map { ($1, dfa.next(q, UInt8($0))) })
        }
    }

    /// The automaton the report describes (refused when the fields do not make one: a letter
    /// outside the alphabet, a missing transition, a state out of range).
    public func automaton() throws -> DFA {
        let symbols = try Alphabet(alphabet)
        let inRange = 0..<states
        guard inRange.contains(start), accepting.allSatisfy(inRange.contains), transitions.count == states,
              transitions.allSatisfy({ Set($0.keys) == Set(symbols.letters.map(String.init)) && $0.values.allSatisfy(inRange.contains) })
        else { throw InconsistentDFAReport(regex: regex) }
        let accepts = Set(accepting)
        return DFA(alphabet: symbols, start: start, accepting: inRange.map(accepts.contains),
                   transitions: transitions.flatMap { row in symbols.letters.map { row[String($0)]! } })
    }

    /// The report for a terminal: a line naming the DFA, then one row per state.
    public var text: String {
        let letters = alphabet.map(String.init)
        let accepts = Set(accepting)
        let rows = [["state", "accepting"] + letters] + (0..<states).map { q in
            ["\(q)", accepts.contains(q) ? "yes" : "no"] + letters.map { "\(transitions[q][$0]!)" }
        }
        return "\(regex) over \(alphabet): minimal complete DFA, \(states) states, start \(start)"
            + (dead.map { ", dead state \($0)" } ?? ", no dead state") + "\n"
            + TextTable(rows, alignment: .left).rendered
    }

    /// The DFA in Graphviz's DOT language, named by the regex (see `DFA.dot`).
    public var dot: String {
        get throws { try automaton().dot(name: regex) }
    }
}

/// A decoded `MinimalDFAReport` whose fields do not make a DFA.
public struct InconsistentDFAReport: Error, CustomStringConvertible {
    public var regex: String
    public var description: String {
        "the DFA report of \(regex) is inconsistent: a start, accepting state or transition outside its states, or a row without every letter of its alphabet"
    }
}
