import ArgumentParser
import Experiments
import Phenomenology

/// `icl phen`: Reddy's three-parameter induction-head loss (REFERENCE.md section 4).
struct Phen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reddy's phenomenological induction-head loss: evaluate, minimize, flow, landscapes, sweeps.",
        discussion: """
        Loss(beta, alpha, xi) = log(1 + (N-1) e^{-u} + (L-N) e^{-u'}), u = xi (e^{alpha y} - 1)/(e^{alpha y} + 2N), u' = xi e^{alpha y}/(e^{alpha y} + 2N), with y = y(beta) = e^beta/(e^beta + 2N) by default (--y-map softmax), or y itself as the first coordinate (--y-map direct, or give --y / y=... instead of --beta / beta=...). N item-label pairs in the context, L >= N labels.

        Examples:
          icl phen loss --N 8 --L 32 --beta 1 --alpha 2 --xi 3 --json
          icl phen minimize --N 8 --L 32 --method simplex --init alpha=1,xi=1
          icl phen flow --N 8 --L 32 --out out/flow
          icl phen landscape --N 8 --L 32 --axes alpha,xi --fix beta=2 --out land
          icl phen sweep --N 2,4,8,16 --L 32
        """,
        subcommands: [Loss.self, Minimize.self, XiStar.self, Flow.self, Landscape.self, Sweep.self, Steppers.self]
    )

    /// `--N`, `--L` and `--y-map`, shared by the subcommands.
    struct ModelOptions: ParsableArguments {
        @Option(name: .customLong("N"), parsing: .unconditional, help: "N, the item-label pairs in the context (1...10^6).")
        var contextPairs: Int = 8

        @Option(name: .customLong("L"), parsing: .unconditional, help: "L, the number of labels (N <= L <= 10^9).")
        var labels: Int = 32

        @Option(name: .customLong("y-map"), parsing: .unconditional, help: "The layer-1 attention y(beta): softmax (y = e^beta/(e^beta+2N)) or direct (the first coordinate is y).")
        var yMap: YMap = .softmax

        enum YMap: String, ExpressibleByArgument, CaseIterable { case softmax, direct }

        func validate() throws {
            guard (1...1_000_000).contains(contextPairs) else { throw ValidationError("--N must be in 1...1000000, got \(contextPairs)") }
            guard labels <= 1_000_000_000 else { throw ValidationError("--L must be at most 10^9, got \(labels)") }
            do { try ReddyModelError.check(N: contextPairs, L: labels) } catch { throw ValidationError("--N, --L: \(error)") }
        }

        /// The model, with `y` as the first coordinate under `--y-map direct` or when a point names `y`.
        func setup(namesY: Bool = false) throws -> ReddySetup {
            do { return try ReddySetup(N: contextPairs, L: labels, direct: namesY || yMap == .direct) } catch {
                throw InputError("--N, --L", error)
            }
        }
    }
}
