/// What an optimiser carries from one step to the next, for checkpoints: the number of steps
/// taken and the moment buffers (optax's `count`, `mu`, `nu`).
///
/// - Adam / AdamW: `firstMoment` = `m` (EMA of gradients), `secondMoment` = `v` (EMA of squared
///   gradients), both `parameterCount` long.
/// - SGD: `firstMoment` = the velocity (empty when momentum is 0), `secondMoment` empty.
///
/// Encoding and decoding (e.g. `JSONEncoder`, which writes the shortest digits that round-trip)
/// reproduces every `Double` exactly, so a resumed run equals an uninterrupted one bit for bit.
public struct OptimizerState: Codable, Equatable, Sendable {
    /// Steps taken so far; the next step is number `stepCount + 1` (Adam's `t`).
    public var stepCount: Int
    public var firstMoment: [Double]
    public var secondMoment: [Double]

    public init(stepCount: Int = 0, firstMoment: [Double], secondMoment: [Double] = []) {
        self.stepCount = stepCount
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
    }

    /// Throws unless the step count is non-negative and the buffers have the given lengths.
    func check(firstMoment first: Int, secondMoment second: Int, optimizer: String) throws(OptimizerError) {
        guard stepCount >= 0 else { throw OptimizerError("\(optimizer) state: step count \(stepCount) is negative") }
        guard firstMoment.count == first, secondMoment.count == second else {
            throw OptimizerError("\(optimizer) state has moment buffers of \(firstMoment.count) and \(secondMoment.count) "
                + "entries; this optimiser needs \(first) and \(second) (saved from a different model or optimiser?)")
        }
    }
}
