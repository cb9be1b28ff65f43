import ArgumentParser

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
        subcommands: [PhenLoss.self, PhenMinimize.self, PhenXiStar.self, PhenFlow.self, PhenLandscape.self, PhenSweep.self]
    )
}
