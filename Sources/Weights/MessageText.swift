extension String {
    /// The string with every control or line-separator character written as its Swift escape
    /// (`\n`, `\t`, `\u{7F}`, `\u{2028}`), other characters unchanged: a message that quotes
    /// text read from a file (a tensor's name, a format, a step) stays one line.
    public var escapingControlCharacters: String {
        var out = ""
        for scalar in unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: out += scalar.escaped(asASCII: true)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
