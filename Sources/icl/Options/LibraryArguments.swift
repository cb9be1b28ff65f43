import ArgumentParser
import Constructions
import Phenomenology

// The library's own option types, parsed by the argument parser: a bad value is refused with
// the accepted values listed.

extension TheoremID: ExpressibleByArgument {}
extension MinimizerMethod: ExpressibleByArgument {}
extension ODEMethod: ExpressibleByArgument {}

extension Shard: ExpressibleByArgument {
    /// `i/n` with integers `0 <= i < n`.
    public init?(argument: String) { self.init(argument) }
    public var defaultValueDescription: String { description }
}
