import ArgumentParser
import Experiments
import Foundation
import Phenomenology

extension Phen {
    struct Landscape: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The loss on a 2-D grid over two parameters (the third fixed or minimized out): CSV and SVG heatmap.",
            discussion: """
            Writes DIR/landscape.csv (x, y, third, loss per grid point) and DIR/landscape.svg (viridis heatmap, contour lines, colour bar; with --trajectory the gradient flow from --init drawn on top), atomically. Runs over 10^6 grid points (or any minimized-out run over 10^5) report progress on stderr.

            Default ranges: beta -2:8 (y 0.01:1), alpha -2:10, xi -2:16 (override with --range).

            Examples:
              icl phen landscape --N 8 --L 32 --axes alpha,xi --fix beta=2 --out land
              icl phen landscape --axes alpha,xi --minimize beta=-2:8 --trajectory --out m
              icl phen landscape --axes beta,alpha --fix xi=10 --range beta=-4:10 --out ba
            """)

        @OptionGroup var model: ModelOptions

        @Option(parsing: .unconditional, help: ArgumentHelp("The two axes (x first), two of beta (or y), alpha, xi.", valueName: "alpha,xi"))
        var axes = AxisPair(argument: "alpha,xi")!

        @Option(parsing: .unconditional, help: ArgumentHelp("Hold the third coordinate fixed (y=0.3 selects the direct map).", valueName: "beta=2"))
        var fix: PointArgument?

        @Option(parsing: .unconditional, help: ArgumentHelp("Minimize over the third coordinate in lo:hi instead.", valueName: "beta=-2:8"))
        var minimize: CoordinateRanges?

        @Option(parsing: .unconditional, help: ArgumentHelp("Axis ranges.", valueName: "alpha=-2:10,xi=-2:16"))
        var range: CoordinateRanges?

        @Option(parsing: .unconditional, help: "Grid points per axis (2...4000).")
        var grid: Int = 400

        @Option(parsing: .unconditional, help: "Contour lines (0...100).")
        var contours: Int = 12

        @Flag(help: "Draw the gradient flow from --init on top.")
        var trajectory = false

        @Option(name: .customLong("init"), parsing: .unconditional, help: ArgumentHelp("Initialization of the drawn trajectory: name=value pairs over beta (or y), alpha, xi (default: the origin).", valueName: "alpha=0.1,xi=0.1"))
        var initial: PointArgument?

        @Option(parsing: .unconditional, help: "Output directory.")
        var out: String

        @Flag(help: "Print a summary as JSON.")
        var json = false

        /// Whether `y` is the first coordinate (named anywhere, or `--y-map direct`).
        var namesY: Bool {
            axes.usesY || (fix?.usesY ?? false) || (minimize?.usesY ?? false) || (range?.usesY ?? false)
        }

        func third() throws -> ThirdCoordinate {
            let name = ReddyCoordinates.standard[axes.third]
            switch (fix, minimize) {
            case (nil, nil): return .fixed(0)
            case (let f?, nil):
                guard f.values.count == 1, let value = f.values[axes.third] else {
                    throw ValidationError("--fix must set the third coordinate, e.g. \(name)=2; got '\(f.defaultValueDescription)'")
                }
                return .fixed(value)
            case (nil, let m?):
                guard m.ranges.count == 1, let r = m.ranges[axes.third] else {
                    throw ValidationError("--minimize must give the third coordinate's range, e.g. \(name)=-2:8")
                }
                return .minimized(lower: r.lower, upper: r.upper, scan: 33)
            default:
                throw ValidationError("give --fix or --minimize, not both")
            }
        }

        func validate() throws {
            guard (2...4000).contains(grid) else { throw ValidationError("--grid must be in 2...4000, got \(grid)") }
            guard (0...100).contains(contours) else { throw ValidationError("--contours must be in 0...100") }
            _ = try third()
        }

        func run() throws {
            let setup = try model.setup(namesY: namesY)
            var ranges: [Int: Interval] = [0: Interval(-2, 8), 1: Interval(-2, 10), 2: Interval(-2, 16)]
            if setup.direct { ranges[0] = Interval(0.01, 1) }
            for (k, r) in range?.ranges ?? [:] { ranges[k] = r }
            func axis(_ k: Int) -> LandscapeAxis { LandscapeAxis(index: k, lower: ranges[k]!.lower, upper: ranges[k]!.upper, count: grid) }
            var request = LandscapeRequest(x: axis(axes.x), y: axis(axes.y), third: try third(), directory: out)
            request.contourLevels = contours
            request.trajectoryStart = trajectory ? (initial?.point ?? .origin) : nil
            let showProgress = request.work >= 1_000_000
            let bar = ProgressBar("landscape", total: 1, unit: "rows")
            let rowProgress: @Sendable (Int, Int) -> Void = { done, total in bar.update(done: done, of: total) }
            let report: LandscapeReport
            do {
                report = try LandscapeReport(setup, request, progress: showProgress ? rowProgress : nil) {
                    bar.finish()
                    if showProgress { writeToStandardError("landscape: writing \(out)/landscape.csv and landscape.svg") }
                }
            } catch let error as OutputError {
                throw outputFailure("--out", error)
            } catch let error as InputError {
                throw error
            } catch let error as NonFiniteResult {
                throw error
            } catch {
                throw InputError("\(error)")
            }
            try emit(report, json: json, text: report.text)
        }
    }
}
