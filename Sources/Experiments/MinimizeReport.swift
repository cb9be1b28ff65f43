import Figures
import Linalg
import Phenomenology

/// `icl phen minimize`: a GSL multimin run and why it stopped.
public struct MinimizeReport: Encodable, Sendable {
    public var N: Int
    public var L: Int
    public var yMap: String
    public var method: String
    public var gslMethod: String
    public var iterations: Int
    public var lossEvaluations: Int
    public var gradientEvaluations: Int
    public var initial: [String: JSONNumber]
    public var point: [String: JSONNumber]
    public var loss: JSONNumber
    public var gradient: [String: JSONNumber]
    public var gradientNorm: JSONNumber
    public var stop: String
    public var gslStatus: Int
    public var gslMessage: String
    /// The report for a terminal.
    public var text = ""

    enum CodingKeys: String, CodingKey {
        case N, L, yMap, method, gslMethod, iterations, lossEvaluations, gradientEvaluations, initial, point, loss, gradient,
             gradientNorm, stop, gslStatus, gslMessage
    }

    /// Minimizes the loss of `setup`'s model with `options`.
    /// - Throws: `MinimizerError` when GSL cannot start.
    public init(_ setup: ReddySetup, options: MinimizerOptions) throws {
        self = try setup.visit(Run(options: options))
    }

    init(_ m: ReddyModel<some LayerOneAttention>, _ options: MinimizerOptions, _ r: MinimizationResult) {
        let names = ReddyCoordinates.names(m.attention)
        (N, L, yMap) = (m.contextPairs, m.labels, m.attention.name)
        (method, gslMethod, iterations) = (r.method.rawValue, r.method.gslName, r.iterations)
        (lossEvaluations, gradientEvaluations) = (r.lossEvaluations, r.gradientEvaluations)
        (initial, point, loss) = (namedPoint(options.initial, names), namedPoint(r.point, names), JSONNumber(r.loss))
        (gradient, gradientNorm, stop) = (namedVector(r.gradient, names), JSONNumber(r.gradientNorm), r.stop.rawValue)
        (gslStatus, gslMessage) = (Int(r.gslStatus), r.gslMessage)
        text = TextTable.keyValues([
            ("method", "\(r.method.rawValue) (gsl \(r.method.gslName))"),
            ("stopped by", r.stop.rawValue),
            ("gsl status", "\(r.gslStatus) (\(r.gslMessage))"),
            ("iterations", "\(r.iterations)"),
            ("evaluations", "\(r.lossEvaluations) loss, \(r.gradientEvaluations) gradient"),
            ("point", (0..<3).map { "\(names[$0]) = \(formatCell(r.point[$0], significant: 8))" }.joined(separator: ", ")),
            ("loss", formatCell(r.loss, significant: 10)),
            ("gradient norm", formatCell(r.gradientNorm, significant: 6)),
        ])
    }

    struct Run: ReddyVisitor {
        let options: MinimizerOptions
        func visit<A: LayerOneAttention>(_ m: ReddyModel<A>) throws -> MinimizeReport {
            MinimizeReport(m, options, try m.minimize(options))
        }
    }
}

/// `icl phen xi-star`: the minimizer over xi at fixed (beta, alpha), or why there is none.
public struct XiStarReport: Encodable, Sendable {
    public var exists: Bool
    public var xi: JSONNumber?
    public var loss: JSONNumber?
    public var closedForm: JSONNumber?
    public var iterations: Int?
    public var evaluations: Int?
    public var bracket: [JSONNumber]?
    public var reason: String?
    /// The report for a terminal.
    public var text = ""

    enum CodingKeys: String, CodingKey { case exists, xi, loss, closedForm, iterations, evaluations, bracket, reason }

    /// Brent's minimizer over xi of `setup`'s model at `(beta, alpha)`.
    public init(_ setup: ReddySetup, beta: Double, alpha: Double) throws {
        self = try setup.visit(Run(beta: beta, alpha: alpha))
    }

    init(_ outcome: Result<XiMinimum, XiMinimumAbsence>) {
        switch outcome {
        case .success(let r):
            exists = true
            (xi, loss, closedForm) = (JSONNumber(r.xi), JSONNumber(r.loss), JSONNumber(r.closedForm))
            (iterations, evaluations, bracket) = (r.iterations, r.evaluations, [JSONNumber(r.lower), JSONNumber(r.upper)])
            text = "xi* = \(formatCell(r.xi, significant: 12)) (Brent, \(r.iterations) iterations, \(r.evaluations) evaluations; closed form \(formatCell(r.closedForm, significant: 12)))\n"
                + "loss at xi* = \(formatCell(r.loss, significant: 12))"
        case .failure(let why):
            exists = false
            reason = why.description
            text = why.description
        }
    }

    struct Run: ReddyVisitor {
        let beta: Double, alpha: Double
        func visit<A: LayerOneAttention>(_ m: ReddyModel<A>) throws -> XiStarReport {
            XiStarReport(try m.minimizeXi(beta: beta, alpha: alpha))
        }
    }
}
