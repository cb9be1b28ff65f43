import ArgumentParser

/// ArgumentParser's report of a command line it refused (3-4 lines: the message, the option's
/// help, the usage, a pointer to --help) as the tool's one line, which `main` prints after
/// `error: `: the message itself, a list of accepted values joined into the line, and for a
/// value that is refused without a reason the accepted form, taken from the option's help
/// (which gives the range, `--repeats: Timed runs (1...10000)`) or, for seeds, whose help
/// describes their use, `an integer in 0...18446744073709551615`.
enum CommandLineMessage {
    /// Accepted forms of options whose help text does not give them.
    static let acceptedForms = ["--seed": "an integer in 0...\(UInt64.max)"]

    /// The one line for `error`, a parse or validation error of `command`'s command line.
    static func line(for error: any Error, of command: any ParsableCommand.Type) -> String {
        let full = command.fullMessage(for: error, columns: 1_000_000)
        var message: [String] = []
        var help: (option: String, abstract: String)?
        var see: String?
        var choices: [String] = []
        for raw in full.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if raw.hasPrefix("Help:  ") {
                let rest = raw.dropFirst("Help:  ".count)
                if let gap = rest.range(of: "  ") {
                    let synopsis = rest[..<gap.lowerBound]
                    let option = synopsis.split(separator: " ").first.map(String.init) ?? String(synopsis)
                    help = (option.hasSuffix(",") ? String(option.dropLast()) : option,
                            rest[gap.upperBound...].trimmingCharacters(in: .whitespaces))
                }
            } else if raw.hasPrefix("Usage: ") {
                continue
            } else if raw.hasPrefix("  See '") {
                see = raw.trimmingCharacters(in: .whitespaces)
            } else if raw.hasPrefix("  - ") {
                choices.append("'\(raw.dropFirst(4))'")
            } else {
                message.append(raw.hasPrefix("Error: ") ? String(raw.dropFirst("Error: ".count)) : raw)
            }
        }
        var text = message.joined(separator: " ")
        if !choices.isEmpty, text.hasSuffix("one of the following:") {
            text = String(text.dropLast("the following:".count)) + choices.joined(separator: ", ") + "."
        }
        // A value refused without a reason (`... is invalid for '--seed <seed>'`, `Missing value for ...`,
        // `Missing expected argument ...`): say what is accepted.
        if text.hasSuffix("'"), let help {
            text += " (\(help.option): \(acceptedForms[help.option] ?? help.abstract))"
        } else if text.hasPrefix("Unknown option"), let see {
            // "See 'icl verify --help' for more information." -> "(the options: 'icl verify --help')"; a
            // former name run through its new command's options is named twice ('icl aggregate aggregate').
            if let open = see.firstIndex(of: "'"), let close = see[see.index(after: open)...].firstIndex(of: "'") {
                var words: [Substring] = []
                for word in see[see.index(after: open)..<close].split(separator: " ") where word != words.last { words.append(word) }
                text += " (the options: '\(words.joined(separator: " "))')"
            }
        }
        return text
    }
}
