import Dispatch
import Figures
import Phenomenology

/// `icl phen landscape`: the loss on a grid over two coordinates, the third fixed or
/// minimized out, written as `landscape.csv` and `landscape.svg` (atomically).
public struct LandscapeRequest: Sendable {
    public var x: LandscapeAxis
    public var y: LandscapeAxis
    public var third: ThirdCoordinate
    public var contourLevels = 12
    /// Draw the gradient flow from this point on top (none when nil).
    public var trajectoryStart: ReddyPoint?
    public var directory: String

    public init(x: LandscapeAxis, y: LandscapeAxis, third: ThirdCoordinate, directory: String) {
        (self.x, self.y, self.third, self.directory) = (x, y, third, directory)
    }

    /// Grid points times the cost of one (a minimized-out point costs about ten).
    public var work: Int {
        if case .minimized = third { return x.count * y.count * 10 }
        return x.count * y.count
    }
}

public struct LandscapeReport: Encodable, Sendable {
    public var N: Int
    public var L: Int
    public var axes: [String]
    public var grid: Int
    public var points: Int
    public var minLoss: JSONNumber
    public var maxLoss: JSONNumber
    public var seconds: Double
    public var files: [String]
    /// The report for a terminal.
    public var text = ""

    enum CodingKeys: String, CodingKey { case N, L, axes, grid, points, minLoss, maxLoss, seconds, files }

    /// Computes the landscape (all cores), the trajectory if asked, and writes both files.
    /// `progress(done, total)` is called after each grid row; `writing()` before the files are written.
    public init(_ setup: ReddySetup, _ request: LandscapeRequest,
                progress: (@Sendable (Int, Int) -> Void)? = nil, writing: @escaping () -> Void = {}) throws {
        self = try setup.visit(Run(request: request, progress: progress, writing: writing))
    }

    init(N: Int, L: Int, axes: [String], grid: Int, points: Int, minLoss: Double?, maxLoss: Double?, seconds: Double, files: [String]) {
        (self.N, self.L, self.axes, self.grid, self.points) = (N, L, axes, grid, points)
        (self.minLoss, self.maxLoss, self.seconds, self.files) = (JSONNumber(minLoss), JSONNumber(maxLoss), seconds, files)
        text = "\(points) grid points in \(String(format: "%.2f", seconds)) s; loss in [\(formatCell(minLoss)), \(formatCell(maxLoss))]\n"
            + "wrote " + files.joined(separator: ", ")
    }

    struct Run: ReddyVisitor {
        let request: LandscapeRequest
        let progress: (@Sendable (Int, Int) -> Void)?
        let writing: () -> Void

        func visit<A: LayerOneAttention>(_ m: ReddyModel<A>) throws -> LandscapeReport {
            let r = request
            let start = DispatchTime.now().uptimeNanoseconds
            let land = try m.landscape(x: r.x, y: r.y, third: r.third, progress: progress)
            if let k = land.values.firstIndex(where: { !$0.isFinite }) {
                let names = land.coordinateNames
                let bad = land.values.lazy.filter { !$0.isFinite }.count
                throw NonFiniteResult(quantity: "the loss at \(bad) of \(land.values.count) grid points",
                                      context: "\(names[r.x.index]) = \(r.x.value(k % r.x.count)), \(names[r.y.index]) = \(r.y.value(k / r.x.count)) and others")
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            var flow: GradientFlow.Trajectory?
            if let initial = r.trajectoryStart {
                var options = GradientFlow.Options()
                options.initial = initial
                flow = try m.gradientFlow(options)
            }
            writing()
            let names = land.coordinateNames
            let title = "Reddy loss over (\(names[r.x.index]), \(names[r.y.index])), N = \(m.contextPairs), L = \(m.labels)"
            try writeAtomically(directory: r.directory, files: [
                ("landscape.csv", land.csvText),
                ("landscape.svg", try land.heatmap(title: title, contourLevels: r.contourLevels, trajectory: flow).svg()),
            ])
            let finite = land.values.filter(\.isFinite)
            return LandscapeReport(N: m.contextPairs, L: m.labels, axes: [names[r.x.index], names[r.y.index]], grid: r.x.count,
                                   points: r.x.count * r.y.count, minLoss: finite.min(), maxLoss: finite.max(), seconds: seconds,
                                   files: ["\(r.directory)/landscape.csv", "\(r.directory)/landscape.svg"])
        }
    }
}
