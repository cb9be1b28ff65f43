import Figures
import Foundation
import Phenomenology

/// `icl phen loss`: the loss, its exact gradient and Hessian, and `y` at one point.
public struct LossReport: Encodable, Sendable {
    public var N: Int
    public var L: Int
    public var yMap: String
    public var point: [String: JSONNumber]
    public var loss: JSONNumber
    public var y: JSONNumber
    public var gradient: [String: JSONNumber]
    public var hessian: [[JSONNumber]]
    /// The report for a terminal.
    public var text: String

    enum CodingKeys: String, CodingKey { case N, L, yMap, point, loss, y, gradient, hessian }

    /// Evaluates the model of `setup` at `point` (`(beta or y, alpha, xi)`).
    public init(_ setup: ReddySetup, at point: ReddyPoint) throws {
        self = try setup.visit(Evaluation(point: point))
    }

    init(N: Int, L: Int, yMap: String, point: [String: JSONNumber], loss: JSONNumber, y: JSONNumber,
         gradient: [String: JSONNumber], hessian: [[JSONNumber]], text: String) {
        (self.N, self.L, self.yMap, self.point, self.loss, self.y) = (N, L, yMap, point, loss, y)
        (self.gradient, self.hessian, self.text) = (gradient, hessian, text)
    }

    struct Evaluation: ReddyVisitor {
        let point: ReddyPoint

        func visit<A: LayerOneAttention>(_ m: ReddyModel<A>) throws -> LossReport {
            let e = m.evaluate(at: point)
            let names = ReddyCoordinates.names(m.attention)
            let at = "(\(names[0]), alpha, xi) = (\(point[0]), \(point[1]), \(point[2])) with N = \(m.contextPairs), L = \(m.labels)"
            if !e.loss.isFinite { throw NonFiniteResult(quantity: "the loss", context: at) }
            if let k = (0..<3).first(where: { !e.gradient[$0].isFinite }) {
                throw NonFiniteResult(quantity: "dLoss/d\(names[k])", context: at)
            }
            for i in 0..<3 { for j in 0..<3 where !e.hessian[i, j].isFinite {
                throw NonFiniteResult(quantity: "the Hessian entry (\(names[i]), \(names[j]))", context: at)
            } }
            let lines = [
                "N = \(m.contextPairs), L = \(m.labels), y-map \(m.attention.name)",
                "point      (\(names.joined(separator: ", "))) = (\(formatCell(point[0], significant: 17)), \(formatCell(point[1], significant: 17)), \(formatCell(point[2], significant: 17)))",
                "y          \(formatCell(e.y, significant: 17))",
                "loss       \(formatCell(e.loss, significant: 17))   (chance: log L = \(formatCell(log(Double(m.labels)), significant: 17)))",
                "gradient   " + (0..<3).map { "d/d\(names[$0]) = \(formatCell(e.gradient[$0], significant: 10))" }.joined(separator: ", "),
                "hessian",
                TextTable(e.hessian.rows.map { $0.map { formatCell($0, significant: 10) } }).rendered
                    .split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"),
            ]
            return LossReport(N: m.contextPairs, L: m.labels, yMap: m.attention.name, point: namedPoint(point, names),
                              loss: JSONNumber(e.loss), y: JSONNumber(e.y), gradient: namedVector(e.gradient, names),
                              hessian: e.hessian.rows.map { $0.map(JSONNumber.init) }, text: lines.joined(separator: "\n"))
        }
    }
}
