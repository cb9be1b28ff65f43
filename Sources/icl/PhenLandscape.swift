import ArgumentParser
import Foundation
import Phenomenology

struct PhenLandscape: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "landscape",
        abstract: "The loss on a 2-D grid over two parameters (the third fixed or minimized out): CSV and SVG heatmap.",
        discussion: """
        Writes DIR/landscape.csv (x, y, third, loss per grid point) and DIR/landscape.svg (viridis heatmap, contour lines, colour bar; with --trajectory the gradient flow from --init drawn on top), atomically. Runs over 10^6 grid points (or any minimized-out run over 10^5) report progress on stderr.

        Default ranges: beta -2:8, alpha -2:10, xi -2:16 (override with --range).

        Examples:
          icl phen landscape --N 8 --L 32 --axes alpha,xi --fix beta=2 --out land
          icl phen landscape --axes alpha,xi --minimize beta=-2:8 --trajectory --out m
          icl phen landscape --axes beta,alpha --fix xi=10 --range beta=-4:10 --out ba
        """)

    @OptionGroup var model: PhenModelOptions

    @Option(help: "The two axes, e.g. alpha,xi (x first).")
    var axes: String = "alpha,xi"

    @Option(help: "Hold the third coordinate fixed, e.g. beta=2 (y=0.3 selects the direct map).")
    var fix: String?

    @Option(help: "Minimize over the third coordinate in lo:hi instead, e.g. beta=-2:8.")
    var minimize: String?

    @Option(help: "Axis ranges, e.g. alpha=-2:10,xi=-2:16.")
    var range: String?

    @Option(help: "Grid points per axis (2...4000).")
    var grid: Int = 400

    @Option(help: "Contour lines.")
    var contours: Int = 12

    @Flag(help: "Draw the gradient flow from --init on top.")
    var trajectory = false

    @Option(name: .customLong("init"), help: "Initialization of the drawn trajectory (default: the origin).")
    var initial: String = "beta=0,alpha=0,xi=0"

    @Option(help: "Output directory.")
    var out: String

    @Flag(help: "Print a summary as JSON.")
    var json = false

    struct Plan {
        var x: Int, y: Int, third: Int
        var thirdMode: ThirdCoordinate
        var direct: Bool
        var ranges: [Int: (Double, Double)]
    }

    func plan() throws -> Plan {
        var usesY = false
        let names = axes.split(separator: ",").map(String.init)
        guard names.count == 2, let x = PointSpec.index(of: names[0], usesY: &usesY), let y = PointSpec.index(of: names[1], usesY: &usesY),
              x != y else {
            throw ValidationError("--axes must name two different coordinates among beta (or y), alpha, xi, e.g. alpha,xi; got '\(axes)'")
        }
        let third = 3 - x - y
        let thirdName = ["beta", "alpha", "xi"][third]
        var ranges: [Int: (Double, Double)] = [0: (-2, 8), 1: (-2, 10), 2: (-2, 16)]
        if let range {
            for part in range.split(separator: ",") {
                let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, let k = PointSpec.index(of: kv[0], usesY: &usesY), let r = parseBox(kv[1]) else {
                    throw ValidationError("--range must look like alpha=-2:10,xi=-2:16, got '\(range)'")
                }
                ranges[k] = r
            }
        }
        if usesY { ranges[0] = range?.contains("y=") == true ? ranges[0] : (0.01, 1) }
        let mode: ThirdCoordinate
        switch (fix, minimize) {
        case (nil, nil): mode = .fixed(0)
        case (let f?, nil):
            guard let spec = PointSpec(f), spec.values.count == 1, let value = spec.values[third] else {
                throw ValidationError("--fix must set the third coordinate, e.g. \(thirdName)=2; got '\(f)'")
            }
            usesY = usesY || spec.usesY
            mode = .fixed(value)
        case (nil, let mm?):
            let kv = mm.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, PointSpec.index(of: kv[0], usesY: &usesY) == third, let r = parseBox(kv[1]) else {
                throw ValidationError("--minimize must give the third coordinate's range, e.g. \(thirdName)=-2:8; got '\(mm)'")
            }
            mode = .minimized(lower: r.0, upper: r.1, scan: 33)
        default:
            throw ValidationError("give --fix or --minimize, not both")
        }
        return Plan(x: x, y: y, third: third, thirdMode: mode, direct: usesY, ranges: ranges)
    }

    func validate() throws {
        guard (2...4000).contains(grid) else { throw ValidationError("--grid must be in 2...4000, got \(grid)") }
        guard (0...100).contains(contours) else { throw ValidationError("--contours must be in 0...100") }
        guard PointSpec(initial) != nil else { throw ValidationError("--init must look like alpha=0.1,xi=0.1, got '\(initial)'") }
        _ = try plan()
    }

    func run() throws {
        try model.withModel(direct: try plan().direct, self)
    }
}

extension PhenLandscape: ModelVisitor {
    func visit<A: LayerOneAttention>(_ m: ReddyModel<A>) throws {
        let p = try plan()
        let xr = p.ranges[p.x]!, yr = p.ranges[p.y]!
        let xAxis = LandscapeAxis(index: p.x, lower: xr.0, upper: xr.1, count: grid)
        let yAxis = LandscapeAxis(index: p.y, lower: yr.0, upper: yr.1, count: grid)
        let work = grid * grid * (p.thirdMode.isMinimized ? 10 : 1)
        let showProgress = work >= 1_000_000
        let start = Date()
        var progress: (@Sendable (Int, Int) -> Void)?
        if showProgress {
            let tty = isatty(2) != 0
            progress = { (done: Int, total: Int) in
                // Every 10% (every 2% on a terminal, overwriting the line).
                guard done == total || done % max(1, total / (tty ? 50 : 10)) == 0 else { return }
                let line = "landscape: \(done * 100 / total)% of \(total) rows"
                FileHandle.standardError.write(Data((tty ? "\r" + line + (done == total ? "\n" : "") : line + "\n").utf8))
            }
        }
        let land: Landscape
        do { land = try m.landscape(x: xAxis, y: yAxis, third: p.thirdMode, progress: progress) } catch {
            throw InputError("\(error)")
        }
        let seconds = Date().timeIntervalSince(start)
        var flow: Trajectory?
        if trajectory {
            do {
                var options = FlowOptions()
                options.initial = PointSpec(initial)!.point
                flow = try m.gradientFlow(options)
            } catch { throw InputError("\(error)") }
        }
        if showProgress { writeToStandardError("landscape: writing \(out)/landscape.csv and landscape.svg") }
        let names = coordinateNames(m.attention)
        let title = "Reddy loss over (\(names[p.x]), \(names[p.y])), N = \(m.contextPairs), L = \(m.labels)"
        try writeAtomically(directory: out, files: [
            ("landscape.csv", land.csv()),
            ("landscape.svg", land.svg(title: title, contourLevels: contours, trajectory: flow)),
        ])
        let finite = land.values.filter(\.isFinite)
        let lo = finite.min() ?? .nan, hi = finite.max() ?? .nan
        if json {
            try printJSON(["N": m.contextPairs, "L": m.labels, "axes": [names[p.x], names[p.y]], "grid": grid,
                           "points": grid * grid, "minLoss": jsonNumber(lo), "maxLoss": jsonNumber(hi), "seconds": seconds,
                           "files": ["\(out)/landscape.csv", "\(out)/landscape.svg"]] as [String: Any])
        } else {
            print("\(grid * grid) grid points in \(String(format: "%.2f", seconds)) s; loss in [\(fmt(lo)), \(fmt(hi))]")
            print("wrote \(out)/landscape.csv, \(out)/landscape.svg")
        }
    }
}

extension ThirdCoordinate {
    var isMinimized: Bool { if case .minimized = self { return true } else { return false } }
}

struct PhenSweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Plateau length and cliff over N and L: the gradient flow from the origin for each pair.",
        discussion: """
        Every (N, L) pair of the lists (or L = ratio x N with --ratio) is run with the default y(beta) and measured as by `icl phen flow`.

        Examples:
          icl phen sweep --N 2,4,8,16 --L 32
          icl phen sweep --N 2,4,8,16,32 --ratio 4 --json
          icl phen sweep --N 8 --L 9,16,32,64,128
        """)

    @Option(name: .customLong("N"), help: "Comma-separated N values.")
    var ns: String = "2,4,8,16"

    @Option(name: .customLong("L"), help: "Comma-separated L values (each pair needs L >= N).")
    var ls: String?

    @Option(help: "Use L = ratio x N (rounded) instead of --L.")
    var ratio: Double?

    @Option(parsing: .unconditional, help: "Threshold for the first-exceed times.")
    var threshold: Double = CliffSummary.defaultThreshold

    @Option(help: "Also write DIR/sweep.csv (atomically).")
    var out: String?

    @Flag(help: "Print JSON rows.")
    var json = false

    func list(_ text: String, _ name: String) throws -> [Int] {
        let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0! >= 1 }) else {
            throw ValidationError("\(name) must be a comma-separated list of positive integers, got '\(text)'")
        }
        return values.map { $0! }
    }

    func pairs() throws -> [(N: Int, L: Int)] {
        let nValues = try list(ns, "--N")
        guard nValues.allSatisfy({ $0 <= 1_000_000 }) else { throw ValidationError("--N values must be at most 10^6") }
        if let ratio {
            guard ls == nil else { throw ValidationError("give --L or --ratio, not both") }
            guard ratio >= 1, ratio.isFinite else { throw ValidationError("--ratio must be >= 1 (L >= N)") }
            return nValues.map { ($0, Int((ratio * Double($0)).rounded())) }
        }
        let lValues = try list(ls ?? "32", "--L")
        var result: [(N: Int, L: Int)] = []
        for n in nValues {
            for l in lValues {
                guard l >= n else {
                    throw ValidationError("--L must be >= N: the N context labels are distinct, so L < N is outside the model (got N = \(n), L = \(l))")
                }
                result.append((n, l))
            }
        }
        return result
    }

    func validate() throws {
        _ = try pairs()
        guard threshold > 0, threshold.isFinite else { throw ValidationError("--threshold must be positive") }
    }

    func run() throws {
        let rows: [SweepRow]
        do { rows = try plateauSweep(pairs: try pairs(), threshold: threshold) } catch { throw InputError("\(error)") }
        let header = ["N", "L", "plateau t_on", "cliff t_c", "width", "loss before", "loss after", "max slope", "slope/plateau",
                      "first xi", "first alpha", "first beta"]
        let cells = rows.map { r -> [String] in
            let s = r.summary
            let width = s.cliffEnd.flatMap { e in s.plateauLength.map { e - $0 } }
            return ["\(r.N)", "\(r.L)", fmt(s.plateauLength, 5), fmt(s.cliffTime, 5), fmt(width, 4), fmt(s.lossBefore, 4), fmt(s.lossAfter, 4),
                    fmt(s.maxSlope, 4), fmt(s.cliffSharpness, 4), fmt(s.firstExceeds[2], 5), fmt(s.firstExceeds[1], 5), fmt(s.firstExceeds[0], 5)]
        }
        if let out {
            let csv = ([header.map { $0.replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "/", with: "_per_") }] + cells)
                .map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
            try writeAtomically(directory: out, files: [("sweep.csv", csv)])
        }
        if json {
            let names = ["beta", "alpha", "xi"]
            try printJSON(rows.map { r -> [String: Any] in
                let m = try! ReddyModel(N: r.N, L: r.L)
                return summaryJSON(r.summary, trajectory: nil, names: names, model: m, dynamics: "gradient flow, rk8pd") as [String: Any]
            })
            return
        }
        print("gradient flow from the origin, default y(beta); first-exceed threshold \(fmt(threshold))")
        print(table([header] + cells))
    }
}
