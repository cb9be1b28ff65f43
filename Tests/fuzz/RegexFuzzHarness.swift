// libFuzzer target for the regex parser (built by scripts/fuzz_regex.sh with the FormalLanguages
// sources it needs, not by SwiftPM). For every input: parsing either fails with a syntax or
// limit error whose position lies in the text, or gives a tree whose description parses back
// to the same tree; for a short regex, the minimal DFA of the tree and of its description
// agree (subset construction under a state limit, so a blow-up is refused, not run).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func regexFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let length = Array(text).count
    do {
        let tree = try Regex(parsing: text)
        let written = tree.description
        guard let again = try? Regex(parsing: written), again == tree else {
            fatalError("description \(written) of \(text) does not parse back to the same tree")
        }
        if length <= 300 {
            let alphabet = Alphabet(validLetters: tree.letters)
            let limit = 2000
            if let dfa = try? DFA(determinizing: NFA(thompson: tree, alphabet: alphabet), stateLimit: limit).minimized(),
               let other = try? DFA(determinizing: NFA(thompson: again, alphabet: alphabet), stateLimit: limit).minimized() {
                guard dfa == other else { fatalError("\(text) and its description \(written) give different minimal DFAs") }
            }
        }
    } catch {
        switch error {
        case let .syntax(position, _):
            guard (0...length).contains(position) else { fatalError("position \(position) outside \(length) characters") }
        case .regexTooDeep, .regexTooLong:
            break
        default:
            fatalError("unexpected error \(error) for \(text)")
        }
    }
    return 0
}
