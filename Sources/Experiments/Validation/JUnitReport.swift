/// A JUnit XML report, the format GitHub Actions (test-reporter actions), GitLab
/// (`artifacts:reports:junit`) and Jenkins (`junit`) show: one `<testsuite>` of `<testcase>`s,
/// each failed one with a `<failure message>` and its details.
public struct JUnitReport: Sendable {
    public struct Case: Sendable {
        public var name: String
        public var failure: String?
        /// What was measured, shown as the case's `system-out`.
        public var output: String
        public init(name: String, failure: String?, output: String) { (self.name, self.failure, self.output) = (name, failure, output) }
    }

    public var suite: String
    public var cases: [Case]
    public var seconds: Double

    public init(suite: String, cases: [Case], seconds: Double) { (self.suite, self.cases, self.seconds) = (suite, cases, seconds) }

    public var xml: String {
        let failures = cases.filter { $0.failure != nil }.count
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                     "<testsuites name=\"\(Self.escape(suite))\" tests=\"\(cases.count)\" failures=\"\(failures)\" time=\"\(seconds)\">",
                     "  <testsuite name=\"\(Self.escape(suite))\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"\(seconds)\">"]
        for c in cases {
            lines.append("    <testcase classname=\"\(Self.escape(suite))\" name=\"\(Self.escape(c.name))\" time=\"0\">")
            if let f = c.failure { lines.append("      <failure message=\"\(Self.escape(f))\">\(Self.escape(f))</failure>") }
            lines.append("      <system-out>\(Self.escape(c.output))</system-out>")
            lines.append("    </testcase>")
        }
        lines += ["  </testsuite>", "</testsuites>", ""]
        return lines.joined(separator: "\n")
    }

    /// Text as XML character data or an attribute value: `& < > " '` escaped, characters XML 1.0
    /// cannot hold (controls other than tab and newline) written as `?`.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out.unicodeScalars.append(c)
            default: if c.value < 0x20 || (0xFFFE...0xFFFF).contains(c.value) { out += "?" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}

extension VerifyReport {
    /// One test case per theorem: its instances, largest error and bound, and the failing seeds.
    public var junit: JUnitReport {
        JUnitReport(suite: "icl verify\(exact ? " --exact" : "") seed \(seed) shard \(shard)", cases: results.map { r in
            let measured = "\(r.instances) instances, max error \(r.maxError), max bound \(r.maxBound)"
            return JUnitReport.Case(name: r.theorem, failure: r.passed ? nil : "\(r.theorem) failed: \(measured); failing seeds \(r.failingSeeds)",
                                    output: measured)
        }, seconds: 0)
    }
}
