import ArgumentParser
import Experiments
import Phenomenology

extension Phen {
    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plateau length and cliff over N and L: the gradient flow from the origin for each pair.",
            discussion: """
            Every (N, L) pair of the lists (or L = ratio x N with --ratio) is run with the default y(beta) and measured as by `icl phen flow`.

            Examples:
              icl phen sweep --N 2,4,8,16 --L 32
              icl phen sweep --N 2,4,8,16,32 --ratio 4 --json
              icl phen sweep --N 8 --L 9,16,32,64,128
            """)

        @Option(name: .customLong("N"), parsing: .unconditional, help: ArgumentHelp("N values (1...10^6).", valueName: "2,4,8"))
        var ns = PositiveIntegers(argument: "2,4,8,16")!

        @Option(name: .customLong("L"), parsing: .unconditional, help: ArgumentHelp("L values (each pair needs L >= N; default 32).", valueName: "32,64"))
        var ls: PositiveIntegers?

        @Option(parsing: .unconditional, help: "Use L = ratio x N (rounded; ratio >= 1) instead of --L.")
        var ratio: Real?

        @Option(parsing: .unconditional, help: "Threshold (> 0) for the first-exceed times.")
        var threshold = Real(CliffSummary.defaultThreshold)

        @Option(parsing: .unconditional, help: "Also write DIR/sweep.csv (atomically).")
        var out: String?

        @Flag(help: "Print JSON rows.")
        var json = false

        func pairs() throws -> [(N: Int, L: Int)] {
            guard ns.values.allSatisfy({ $0 <= 1_000_000 }) else { throw ValidationError("--N values must be at most 10^6") }
            var result: [(N: Int, L: Int)] = []
            if let ratio {
                guard ls == nil else { throw ValidationError("give --L or --ratio, not both") }
                guard ratio.value >= 1 else { throw ValidationError("--ratio must be >= 1 (L >= N)") }
                for n in ns.values {
                    guard let l = Int(exactly: (ratio.value * Double(n)).rounded()), l <= 1_000_000_000 else {
                        throw ValidationError("--ratio \(ratio.value) gives L = ratio x N above 10^9 for N = \(n)")
                    }
                    result.append((n, l))
                }
            } else {
                for n in ns.values { for l in ls?.values ?? [32] { result.append((n, l)) } }
            }
            for (n, l) in result where l > 1_000_000_000 {
                throw ValidationError("--L must be at most 10^9, got \(l) (with N = \(n))")
            }
            for (n, l) in result {
                do { try ReddyModelError.check(N: n, L: l) } catch { throw ValidationError("--N, --L: \(error)") }
            }
            return result
        }

        func validate() throws {
            _ = try pairs()
            guard threshold.value > 0 else { throw ValidationError("--threshold must be positive") }
        }

        func run() throws {
            let report: SweepReport
            do { report = try SweepReport(pairs: try pairs(), threshold: threshold.value, directory: out) }
            catch let error as OutputError { throw outputFailure("--out", error) }
            catch let error as InputError { throw error }
            catch let error as NonFiniteResult { throw error }
            catch { throw InputError("\(error)") }
            try emit(report.rows, json: json, text: report.text)
        }
    }
}
