import Figures
import Foundation
import Phenomenology

/// `icl phen steppers`: which GSL stepper, tolerance and cliff refinement reach the cliff
/// time to a relative accuracy at the least cost. Every combination integrates the flow from
/// the origin of `setup`'s model; its cliff time and plateau length are compared with a
/// reference run (msbdf with the exact Jacobian at `rtol = atol = 1e-13`, cliff refined with
/// 64 sub-steps; msbdf and rk8pd references agree to about 1e-11 relative at N = 8, L = 32)
/// and its wall time is the median of `repeats` runs.
public struct StepperStudy: Encodable, Sendable {
    public struct Row: Encodable, Sendable {
        public var method: String
        public var tolerance: Double
        public var refinement: Int
        public var steps: Int
        public var evaluations: Int
        public var seconds: Double
        public var cliffTime: Double?
        /// `|t_c - t_c,ref| / t_c,ref` (nil without a cliff; the plateau's error is nil when the
        /// reference plateau is 0).
        public var cliffTimeError: Double?
        public var plateauLengthError: Double?
    }

    public var N: Int
    public var L: Int
    public var referenceCliffTime: Double
    public var referencePlateauLength: Double
    public var rows: [Row]
    /// The cheapest row (by time) whose cliff time is within `target` relative.
    public var cheapest: Row?
    public var target: Double

    public static let defaultMethods = GradientFlow.Stepper.allCases
    public static let defaultTolerances = [1e-12, 1e-10, 1e-8, 1e-7, 1e-6, 1e-5]

    public init(_ setup: ReddySetup, methods: [GradientFlow.Stepper] = defaultMethods, tolerances: [Double] = defaultTolerances,
                refinements: [Int] = [0, 16], repeats: Int = 11, target: Double = 1e-6,
                progress: @escaping (Int, Int) -> Void = { _, _ in }) throws {
        self = try setup.visit(Visitor(methods: methods, tolerances: tolerances, refinements: refinements,
                                       repeats: repeats, target: target, progress: progress))
    }

    init(N: Int, L: Int, referenceCliffTime: Double, referencePlateauLength: Double, rows: [Row], target: Double) {
        (self.N, self.L, self.referenceCliffTime, self.referencePlateauLength) = (N, L, referenceCliffTime, referencePlateauLength)
        (self.rows, self.target) = (rows, target)
        cheapest = rows.filter { ($0.cliffTimeError ?? .infinity) <= target }.min { $0.seconds < $1.seconds }
    }

    struct Visitor: ReddyVisitor {
        let methods: [GradientFlow.Stepper], tolerances: [Double], refinements: [Int], repeats: Int, target: Double
        let progress: (Int, Int) -> Void

        func visit<A: LayerOneAttention>(_ model: ReddyModel<A>) throws -> StepperStudy {
            var reference = GradientFlow.Options()
            (reference.method, reference.relativeTolerance, reference.absoluteTolerance, reference.cliffRefinement) = (.msbdf, 1e-13, 1e-13, 64)
            let truth = try model.gradientFlow(reference).cliffSummary()
            guard let tc = truth.cliffTime, let plateau = truth.plateauLength else {
                throw NoCliff(reason: truth.noCliffReason ?? "the reference run has no cliff")
            }
            var rows: [Row] = []
            let total = methods.count * tolerances.count * refinements.count
            for method in methods {
                for tolerance in tolerances {
                    for refinement in refinements {
                        var options = GradientFlow.Options()
                        (options.method, options.relativeTolerance, options.absoluteTolerance, options.cliffRefinement) =
                            (method, tolerance, tolerance, refinement)
                        let trajectory = try model.gradientFlow(options)
                        var times: [Double] = []
                        for _ in 0..<repeats {
                            let start = DispatchTime.now().uptimeNanoseconds
                            _ = try model.gradientFlow(options)
                            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
                        }
                        let summary = trajectory.cliffSummary()
                        rows.append(Row(method: method.rawValue, tolerance: tolerance, refinement: refinement,
                                        steps: trajectory.steps, evaluations: trajectory.evaluations,
                                        seconds: times.sorted()[times.count / 2], cliffTime: summary.cliffTime,
                                        cliffTimeError: summary.cliffTime.map { abs($0 - tc) / tc },
                                        plateauLengthError: plateau > 0 ? summary.plateauLength.map { abs($0 - plateau) / plateau } : nil))
                        progress(rows.count, total)
                    }
                }
            }
            return StepperStudy(N: model.contextPairs, L: model.labels, referenceCliffTime: tc, referencePlateauLength: plateau,
                                rows: rows, target: target)
        }
    }

    /// The table for a terminal, fastest first.
    public var text: String {
        var table = [["stepper", "tol", "refine", "steps", "evals", "time (us)", "cliff time", "rel. error", "plateau err."]]
        for r in rows.sorted(by: { $0.seconds < $1.seconds }) {
            table.append([r.method, formatCell(r.tolerance, significant: 2), "\(r.refinement)", "\(r.steps)", "\(r.evaluations)",
                          formatCell(r.seconds * 1e6, significant: 4), formatCell(r.cliffTime, significant: 12),
                          formatCell(r.cliffTimeError, significant: 2), formatCell(r.plateauLengthError, significant: 2)])
        }
        var lines = ["N = \(N), L = \(L): reference cliff time \(formatCell(referenceCliffTime, significant: 15)) (msbdf, 1e-13, refined)",
                     TextTable(table).rendered]
        if let c = cheapest {
            lines.append("cheapest within \(formatCell(target, significant: 2)) relative: \(c.method) at tol \(formatCell(c.tolerance, significant: 2)), refine \(c.refinement): \(c.evaluations) evaluations, \(formatCell(c.seconds * 1e6, significant: 4)) us")
        } else {
            lines.append("no combination reaches \(formatCell(target, significant: 2)) relative")
        }
        return lines.joined(separator: "\n")
    }
}

/// The flow of the requested model has no cliff to time (the message says why).
public struct NoCliff: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { "no cliff to measure: \(reason)" }
}
