extension DFA {
    /// The DFA in Graphviz's DOT language: accepting states double circles, an arrow into
    /// the start state, one edge per target with its symbols joined (`a,b`), the dead state
    /// (if any) dashed.
    public func dot(name: String = "dfa") -> String {
        let dead = Set(deadStates)
        var lines = ["digraph \"\(name.replacingOccurrences(of: "\"", with: "\\\""))\" {", "  rankdir=LR;",
                     "  node [shape=circle];", "  start [shape=point];", "  start -> q\(start);"]
        for q in 0..<stateCount {
            var attributes: [String] = []
            if accepting[q] { attributes.append("shape=doublecircle") }
            if dead.contains(q) { attributes.append("style=dashed") }
            lines.append("  q\(q) [label=\"\(q)\"\(attributes.isEmpty ? "" : ", " + attributes.joined(separator: ", "))];")
        }
        for q in 0..<stateCount {
            var byTarget: [Int: [Character]] = [:]
            for a in 0..<symbolCount { byTarget[next(q, UInt8(a)), default: []].append(alphabet.letters[a]) }
            for (t, letters) in byTarget.sorted(by: { $0.key < $1.key }) {
                lines.append("  q\(q) -> q\(t) [label=\"\(letters.map(String.init).joined(separator: ","))\"];")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}
