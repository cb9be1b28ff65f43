import ArgumentParser
import Constructions
import Linalg
import Phenomenology

// The library's own option types, parsed by the argument parser: a bad value is refused with
// the accepted values listed.

extension TheoremID: ExpressibleByArgument {}
extension Multimin.Method: ExpressibleByArgument {}
extension GradientFlow.Stepper: ExpressibleByArgument {}

extension Shard: ExpressibleByArgument {
    /// `i/n` with integers `0 <= i < n`.
    public init?(argument: String) { self.init(argument) }
    public var defaultValueDescription: String { description }
}
