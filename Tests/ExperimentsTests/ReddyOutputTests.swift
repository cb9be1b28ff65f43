import Experiments
import Foundation
import Phenomenology
import _TestSupport
import Testing

/// The Reddy results as files: complete, consistent with the computation, and named by the
/// one vocabulary of `ReddyCoordinates` (a CSV header, an SVG axis and a JSON key agree).
@Suite struct ReddyOutputTests {
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "icl-tests-\(UUID().uuidString)"
        return path
    }

    @Test(arguments: [false, true])
    func landscapeFilesNameTheCoordinatesOfTheMap(direct: Bool) throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let setup = try ReddySetup(N: 8, L: 32, direct: direct)
        let x = LandscapeAxis(index: 0, lower: direct ? 0.01 : -2, upper: direct ? 1 : 8, count: 13)
        let y = LandscapeAxis(index: 2, lower: -2, upper: 16, count: 11)
        let report = try LandscapeReport(setup, LandscapeRequest(x: x, y: y, third: .fixed(1), directory: dir))
        let first = direct ? "y" : "beta"
        #expect(report.axes == [first, "xi"])
        let csv = try String(contentsOfFile: dir + "/landscape.csv", encoding: .utf8)
        let lines = csv.split(separator: "\n")
        #expect(lines.first == "\(first),xi,alpha,loss")
        #expect(lines.count == 1 + 13 * 11)
        // Every row is the loss of the model at its coordinates.
        let model: (ReddyPoint) -> Double = direct ? { try! ReddyModel(N: 8, L: 32, attention: DirectAttention()).loss(at: $0) }
                                                   : { try! ReddyModel(N: 8, L: 32).loss(at: $0) }
        for line in lines.dropFirst() {
            let v = line.split(separator: ",").map { Double($0)! }
            let reference = model(ReddyPoint(beta: v[0], alpha: v[2], xi: v[1]))
            #expect(abs(v[3] - reference) <= landscapeTolerance(reference), "row \(line)")
        }
        let svg = try String(contentsOfFile: dir + "/landscape.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n") && svg.contains(">\(first)</text>") && svg.contains(">xi</text>"))
        #expect(svg.contains("alpha = 1 fixed"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func flowWritesTrajectoryFigureAndSummary() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var request = FlowRequest()
        request.directory = dir
        let run = try FlowRun(try ReddySetup(N: 4, L: 16), request)
        let csv = try String(contentsOfFile: dir + "/trajectory.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "t,beta,alpha,xi,loss,dbeta,dalpha,dxi,slope")
        #expect(csv.count == run.trajectory.count + 1)
        let svg = try String(contentsOfFile: dir + "/flow.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("cliff t_c"))
        let summary = try String(contentsOfFile: dir + "/summary.json", encoding: .utf8)
        #expect(summary == (try jsonText(run.summary)) + "\n")
        // Read back with JSONDecoder: Foundation's JSONSerialization on Linux does not round
        // every 17-digit number correctly (it reads 55.329498442328074 as 55.32949844232805).
        struct Summary: Decodable { var cliffTime: Double; var firstExceeds: [String: Double?] }
        let decoded = try JSONDecoder().decode(Summary.self, from: Data(summary.utf8))
        #expect(decoded.cliffTime == run.trajectory.cliffSummary().cliffTime)
        #expect(decoded.firstExceeds.keys.sorted() == ["alpha", "beta", "xi"])
    }

    @Test func directMapFlowNamesY() throws {
        var request = FlowRequest()
        request.initial = ReddyPoint(beta: 0.2, alpha: 0, xi: 0)
        let run = try FlowRun(try ReddySetup(N: 4, L: 16, direct: true), request)
        #expect(run.trajectory.csvText.hasPrefix("t,y,alpha,xi,loss,dy,dalpha,dxi,slope\n"))
        #expect(run.summary.finalPoint.keys.sorted() == ["alpha", "xi", "y"])
    }

    /// A run that ends before the cliff, or starts past it, has no cliff: null with a reason,
    /// never "cliff at t = 0" or at the time limit.
    @Test func noCliffIsItsOwnOutcome() throws {
        var short = FlowRequest()
        short.timeLimit = 1
        let early = try FlowRun(try ReddySetup(N: 8, L: 32), short)
        #expect(early.summary.cliffTime == JSONNumber(nil) && early.summary.noCliffReason?.contains("no cliff within the run") == true)
        var late = FlowRequest()
        late.initial = ReddyPoint(beta: 5, alpha: 20, xi: 30)
        let done = try FlowRun(try ReddySetup(N: 8, L: 32), late)
        #expect(done.summary.cliffTime == JSONNumber(nil) && done.summary.noCliffReason?.contains("past the cliff") == true)
        let full = try FlowRun(try ReddySetup(N: 8, L: 32), FlowRequest())
        #expect(full.summary.cliffTime.value.map { $0 > 0 } == true && full.summary.noCliffReason == nil)
    }

    @Test func sweepRowsMatchSingleFlows() throws {
        let sweep = try SweepReport(pairs: [(N: 2, L: 8), (N: 4, L: 16)], threshold: 0.5, directory: nil)
        #expect(sweep.rows.map(\.N) == [2, 4])
        let single = try FlowRun(try ReddySetup(N: 4, L: 16), FlowRequest())
        #expect(sweep.rows[1].cliffTime == single.summary.cliffTime)
        #expect(sweep.text.contains("plateau t_on"))
    }
}
