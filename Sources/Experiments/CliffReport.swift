import Figures
import Phenomenology

/// The plateau-and-cliff measurements of one trajectory as a JSON object (`icl phen flow`'s
/// summary, one row of `icl phen sweep`); see `CliffSummary` for the definitions.
public struct CliffReport: Encodable, Sendable {
    public var N: Int
    public var L: Int
    public var yMap: String
    public var dynamics: String
    public var cliffTime: JSONNumber
    public var plateauLength: JSONNumber
    public var cliffEnd: JSONNumber
    public var lossBefore: JSONNumber
    public var lossAfter: JSONNumber
    public var initialLoss: JSONNumber
    public var maxSlope: JSONNumber
    public var meanPlateauSlope: JSONNumber
    public var cliffSharpness: JSONNumber
    public var threshold: Double
    public var firstExceeds: [String: JSONNumber]
    public var finalTime: JSONNumber
    public var finalLoss: JSONNumber
    public var finalPoint: [String: JSONNumber]
    /// Why `cliffTime` and the other cliff fields are null (absent when there is a cliff).
    public var noCliffReason: String?
    /// The run's bookkeeping (flow only, not sweep rows).
    public var steps: Int?
    public var evaluations: Int?
    public var stop: String?

    init(_ s: CliffSummary, N: Int, L: Int, yMap: String, names: [String], dynamics: String, trajectory: GradientFlow.Trajectory?) {
        (self.N, self.L, self.yMap, self.dynamics) = (N, L, yMap, dynamics)
        (cliffTime, plateauLength, cliffEnd) = (JSONNumber(s.cliffTime), JSONNumber(s.plateauLength), JSONNumber(s.cliffEnd))
        (lossBefore, lossAfter, initialLoss) = (JSONNumber(s.lossBefore), JSONNumber(s.lossAfter), JSONNumber(s.initialLoss))
        (maxSlope, meanPlateauSlope) = (JSONNumber(s.maxSlope), JSONNumber(s.meanPlateauSlope))
        (cliffSharpness, threshold) = (JSONNumber(s.cliffSharpness), s.threshold)
        firstExceeds = [names[0]: JSONNumber(s.firstExceeds[0]), names[1]: JSONNumber(s.firstExceeds[1]), names[2]: JSONNumber(s.firstExceeds[2])]
        (finalTime, finalLoss, finalPoint) = (JSONNumber(s.finalTime), JSONNumber(s.finalLoss), namedPoint(s.finalPoint, names))
        noCliffReason = s.noCliffReason
        if let trajectory { (steps, evaluations, stop) = (trajectory.steps, trajectory.evaluations, trajectory.stop.rawValue) }
    }
}
