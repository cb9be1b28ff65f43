import Figures
import Testing

/// Numbers, tables and CSV as a reader sees them.
@Suite struct FormatTests {
    @Test func numberFormatting() {
        #expect(formatNumber(0) == "0")
        #expect(formatNumber(1234.5678, significant: 6) == "1234.57")
        #expect(formatNumber(0.000123456, significant: 3) == "0.000123")
        #expect(formatNumber(-2.5e-7, significant: 3) == "-2.5e-7")
        #expect(formatNumber(9.9996, significant: 4) == "10")
        #expect(formatNumber(3e12) == "3e12")
        // The extremes of the double range (found by the argument fuzzer: 1e-320 used to trap).
        #expect(formatNumber(1e-320, significant: 3) == "1e-320")
        #expect(formatNumber(5e-324, significant: 17) == "4.9406564584124654e-324")
        #expect(formatNumber(-Double.greatestFiniteMagnitude, significant: 17) == "-1.7976931348623157e308")
        #expect(formatNumber(0.00012345, significant: 2) == "0.00012" && formatNumber(999999.5, significant: 6) == "1e6")
    }

    /// Durations: each unit at its boundaries, against hand-counted values (3725 s = 1 h 2 min 5 s).
    @Test func durationFormatting() {
        #expect(formatDuration(0) == "0.0 s" && formatDuration(59.94) == "59.9 s")
        #expect(formatDuration(61) == "1 min 01 s" && formatDuration(3599) == "59 min 59 s")
        #expect(formatDuration(3725) == "1 h 02 min" && formatDuration(86399) == "23 h 59 min")
        #expect(formatDuration(2 * 86400) == "2 days" && formatDuration(1.5 * 86400 * 365) == "1.5 years")
        #expect(formatDuration(.infinity) == "?" && formatDuration(.nan) == "?")
    }

    @Test func ticksAreNiceAndCoverTheRange() {
        #expect(niceTicks(0, 10) == [0, 2, 4, 6, 8, 10])
        #expect(niceTicks(-2, 16).allSatisfy { $0 >= -2 && $0 <= 16 })
        #expect(niceTicks(0.001, 0.0049, target: 4) == [0.001, 0.002, 0.003, 0.004])
    }

    @Test func tablesPadToTheWidestCell() {
        let right = TextTable([["a", "bb"], ["ccc", "d"]]).rendered
        #expect(right == "  a  bb\nccc   d")
        let left = TextTable([["a", "bb"], ["ccc", "d"]], alignment: .left).rendered
        #expect(left == "a    bb\nccc  d")
        #expect(TextTable.keyValues([("k", "1"), ("long", "2")]) == "k:     1\nlong:  2")
        #expect(formatCell(nil) == "-" && formatCell(0.5) == "0.5")
    }

    @Test func csvQuotesOnlyWhatNeedsIt() {
        let csv = CSVTable(header: ["name", "note"], rows: [["a,b", "say \"hi\""], ["plain", "x"]]).rendered
        #expect(csv == "name,note\n\"a,b\",\"say \"\"hi\"\"\"\nplain,x\n")
        let numbers = CSVTable.numeric(header: ["x", "y"], count: 2) { [Double($0), 0.1 * Double($0)] }
        #expect(numbers == "x,y\n0.0,0.0\n1.0,0.1\n")
    }

    /// Marching squares on f = x^2 + y^2 puts the level-r^2 contour at radius r (to the
    /// linear-interpolation error on a grid of spacing 0.1).
    @Test func contoursOfACircle() {
        let n = 81
        let value = { (i: Int, j: Int) -> Double in let (x, y) = (Double(i) * 0.1 - 4, Double(j) * 0.1 - 4); return x * x + y * y }
        let segments = contourSegments(values: value, nx: n, ny: n, level: 4)
        #expect(segments.count > 50)
        for (a, b) in segments {
            for p in [a, b] {
                let r = ((p.0 * 0.1 - 4) * (p.0 * 0.1 - 4) + (p.1 * 0.1 - 4) * (p.1 * 0.1 - 4)).squareRoot()
                #expect(abs(r - 2) < 0.01, "contour point at radius \(r)")
            }
        }
    }
}
