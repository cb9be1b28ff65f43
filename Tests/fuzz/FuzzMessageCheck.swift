// Shared by the libFuzzer targets of scripts/fuzz_weights.sh: an error message the tool may
// print must be one line of words, without Swift type names or the description of an enum case.

/// Stops the fuzzer (a finding) unless `message` is one non-empty line without Swift type names.
func requireOneLineMessage(_ message: String, input: String) {
    guard !message.isEmpty, !message.contains(where: { $0.isNewline }) else {
        fatalError("the message for \(input) is not one line: \(message.debugDescription)")
    }
    let typeNames = ["Error(", "Error.", "DecodingError", "EncodingError", "Swift.", "Foundation.", "Optional(", "Array<",
                     "Dictionary<", "CodingKeys", "Context(", "codingPath", "debugDescription", "underlyingError"]
    if let name = typeNames.first(where: { message.contains($0) }) {
        fatalError("the message for \(input) names a Swift type (\(name)): \(message)")
    }
}
