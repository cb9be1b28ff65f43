import Figures
import Foundation
import Phenomenology

/// `icl phen sweep`: the gradient flow from the origin for every `(N, L)` pair (default
/// `y(beta)`), measured for plateau and cliff; optionally `sweep.csv` (atomically).
public struct SweepReport: Sendable {
    public var rows: [CliffReport]
    /// The table for a terminal.
    public var text: String

    public init(pairs: [(N: Int, L: Int)], threshold: Double, directory: String?) throws {
        let sweep = try plateauSweep(pairs: pairs, threshold: threshold)
        let header = ["N", "L", "plateau t_on", "cliff t_c", "width", "loss before", "loss after", "max slope", "slope/plateau",
                      "first xi", "first alpha", "first beta"]
        let cells = sweep.map { r -> [String] in
            let s = r.summary
            let width = s.cliffEnd.flatMap { e in s.plateauLength.map { e - $0 } }
            return ["\(r.N)", "\(r.L)", formatCell(s.plateauLength, significant: 5), formatCell(s.cliffTime, significant: 5),
                    formatCell(width, significant: 4), formatCell(s.lossBefore, significant: 4), formatCell(s.lossAfter, significant: 4),
                    formatCell(s.maxSlope, significant: 4), formatCell(s.cliffSharpness, significant: 4),
                    formatCell(s.firstExceeds[2], significant: 5), formatCell(s.firstExceeds[1], significant: 5),
                    formatCell(s.firstExceeds[0], significant: 5)]
        }
        if let directory {
            let csvHeader = header.map { $0.replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "/", with: "_per_") }
            try writeAtomically(directory: directory, files: [("sweep.csv", CSVTable(header: csvHeader, rows: cells).rendered)])
        }
        rows = sweep.map {
            CliffReport($0.summary, N: $0.N, L: $0.L, yMap: "softmax", names: ReddyCoordinates.standard,
                        dynamics: "gradient flow, \(GradientFlow.Options().method.rawValue)", trajectory: nil)
        }
        text = "gradient flow from the origin, default y(beta); first-exceed threshold \(formatCell(threshold))\n"
            + TextTable([header] + cells).rendered
    }
}
