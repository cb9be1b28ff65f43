import ArgumentParser
import Foundation
import Linalg

/// A finite real number as a user types it: `1e-3`, `-650`, `.5`, `2.`, `+3`, `0x1p-3`.
/// Refused with the accepted form: text that is not a number, `nan`, `inf`, and a value that
/// rounds to infinity (`1e400`) or to zero although it is not zero (`1e-400`).
struct Real: ExpressibleByArgument, Sendable, Equatable {
    var value: Double

    init(_ value: Double) { self.value = value }

    init?(argument: String) {
        guard let value = Real.parse(argument) else { return nil }
        self.value = value
    }

    /// The parsed value, or nil (see the type's doc).
    static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, let value = Double(trimmed), value.isFinite else { return nil }
        if value == 0 {
            // Only a written zero may be zero: "1e-400" underflows and is refused.
            var mantissa = Substring(trimmed.lowercased())
            if mantissa.hasPrefix("+") || mantissa.hasPrefix("-") { mantissa = mantissa.dropFirst() }
            let hex = mantissa.hasPrefix("0x")
            if hex { mantissa = mantissa.dropFirst(2) }
            let digits = mantissa.prefix { $0 != (hex ? "p" : "e") }
            guard digits.allSatisfy({ $0 == "0" || $0 == "." }) else { return nil }
        }
        return value
    }

    var defaultValueDescription: String { "\(value)" }
}

/// An exact number for `icl construct`: `p/q`, a decimal (`-1.25`, exactly), or any form
/// `Real` accepts (`1e-3`: the exact value of its nearest `Double`).
struct ExactArgument: ExpressibleByArgument, Sendable {
    var value: Rational
    init?(argument: String) {
        if let r = Rational(parsing: argument) {
            value = r
        } else if let x = Real.parse(argument) {
            value = Rational(approximating: x)
        } else {
            return nil
        }
    }
}
