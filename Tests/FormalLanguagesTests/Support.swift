@preconcurrency import CGSL
import Foundation
import FormalLanguages
import Linalg

/// The letters the random regexes use; the languages are built over all three, so strings
/// with letters the regex does not use are tested too.
let testAlphabet = try! Alphabet("abc")

/// A random regex tree of depth at most `depth` over `letters` (flat: no concatenation
/// directly inside a concatenation, no alternation inside an alternation, as the parser
/// builds them).
func randomRegex(_ random: RandomSource, depth: Int, letters: [Character] = ["a", "b", "c"]) -> Regex {
    func literal() -> Regex { .literal(letters[random.int(in: 0...(letters.count - 1))]) }
    guard depth > 0 else { return literal() }
    let u = random.uniform()
    func parts(_ avoid: (Regex) -> Bool) -> [Regex] {
        (0..<random.int(in: 2...3)).map { _ in
            var r = randomRegex(random, depth: depth - 1, letters: letters)
            while avoid(r) { r = randomRegex(random, depth: depth - 1, letters: letters) }
            return r
        }
    }
    switch u {
    case ..<0.25: return literal()
    case ..<0.5: return .concatenation(parts { if case .concatenation = $0 { return true } else { return false } })
    case ..<0.68: return .alternation(parts { if case .alternation = $0 { return true } else { return false } })
    case ..<0.82: return .star(randomRegex(random, depth: depth - 1, letters: letters))
    case ..<0.9: return .plus(randomRegex(random, depth: depth - 1, letters: letters))
    default: return .optional(randomRegex(random, depth: depth - 1, letters: letters))
    }
}

/// Membership by backtracking, written from the grammar and nothing else: `matches(r, s, i, k)`
/// is true when r matches `s[i..<j]` for some j with `k(j)` true. A star's iterations must
/// each consume a letter (an empty iteration adds nothing), so the search terminates.
func matches(_ r: Regex, _ s: [Character]) -> Bool {
    func m(_ r: Regex, _ i: Int, _ k: (Int) -> Bool) -> Bool {
        switch r {
        case let .literal(c):
            return i < s.count && s[i] == c && k(i + 1)
        case let .concatenation(parts):
            func chain(_ p: Int, _ i: Int) -> Bool {
                p == parts.count ? k(i) : m(parts[p], i) { chain(p + 1, $0) }
            }
            return chain(0, i)
        case let .alternation(parts):
            return parts.contains { m($0, i, k) }
        case let .star(inner):
            return k(i) || m(inner, i) { j in j > i && m(.star(inner), j, k) }
        case let .plus(inner):
            return m(inner, i) { j in m(.star(inner), j, k) }
        case let .optional(inner):
            return k(i) || m(inner, i, k)
        }
    }
    return m(r, 0) { $0 == s.count }
}

func matches(_ r: Regex, _ symbols: [UInt8], _ alphabet: Alphabet) -> Bool {
    matches(r, symbols.map { alphabet.letters[Int($0)] })
}

/// A second matcher from the grammar, polynomial where backtracking is exponential (long
/// strings under nested stars): `ends(node, i)` is the set of j such that the node matches
/// `s[i..<j]`, memoized per node and i. A star's ends are the closure of {i} under the inner
/// node's ends.
struct PositionMatcher {
    private var nodes: [Regex] = []
    private var children: [[Int]] = []
    private let root: Int

    init(_ r: Regex) {
        var nodes: [Regex] = [], children: [[Int]] = []
        func add(_ r: Regex) -> Int {
            let id = nodes.count
            nodes.append(r)
            children.append([])
            switch r {
            case .literal: break
            case let .concatenation(parts), let .alternation(parts): children[id] = parts.map(add)
            case let .star(x), let .plus(x), let .optional(x): children[id] = [add(x)]
            }
            return id
        }
        root = add(r)
        self.nodes = nodes
        self.children = children
    }

    func matches(_ s: [Character]) -> Bool {
        var memo = [[Set<Int>?]](repeating: [Set<Int>?](repeating: nil, count: s.count + 1), count: nodes.count)
        func ends(_ id: Int, _ i: Int) -> Set<Int> {
            if let known = memo[id][i] { return known }
            var out: Set<Int>
            switch nodes[id] {
            case let .literal(c):
                out = i < s.count && s[i] == c ? [i + 1] : []
            case .concatenation:
                out = [i]
                for child in children[id] { out = Set(out.flatMap { ends(child, $0) }) }
            case .alternation:
                out = Set(children[id].flatMap { ends($0, i) })
            case .star, .plus:
                let inner = children[id][0]
                var frontier: Set<Int> = [i], reached: Set<Int> = []
                if case .star = nodes[id] { reached = [i] }
                var seen: Set<Int> = [i]
                while !frontier.isEmpty {
                    let next = Set(frontier.flatMap { ends(inner, $0) })
                    reached.formUnion(next)
                    frontier = next.subtracting(seen)
                    seen.formUnion(next)
                }
                out = reached
            case .optional:
                out = ends(children[id][0], i).union([i])
            }
            memo[id][i] = out
            return out
        }
        return ends(root, 0).contains(s.count)
    }

    func matches(_ symbols: [UInt8], _ alphabet: Alphabet) -> Bool { matches(symbols.map { alphabet.letters[Int($0)] }) }
}

/// Every string of length n over `size` symbols, in lexicographic order.
func allStrings(size: Int, length n: Int) -> [[UInt8]] {
    var out: [[UInt8]] = [[]]
    for _ in 0..<n { out = out.flatMap { w in (0..<size).map { w + [UInt8($0)] } } }
    return out
}

/// A random string of length in `lengths` over `size` symbols.
func randomString(_ random: RandomSource, size: Int, lengths: ClosedRange<Int>) -> [UInt8] {
    (0..<random.int(in: lengths)).map { _ in UInt8(random.int(in: 0...(size - 1))) }
}

/// The Pearson statistic `sum (O - E)^2 / E` of observed counts against expected counts.
func chiSquare(observed: [Int], expected: [Double]) -> Double {
    zip(observed, expected).reduce(0) { $0 + (Double($1.0) - $1.1) * (Double($1.0) - $1.1) / $1.1 }
}

/// The upper-`alpha` point of the chi-square distribution with `df` degrees of freedom.
func chiSquareCritical(df: Int, alpha: Double) -> Double { gsl_cdf_chisq_Qinv(alpha, Double(df)) }

/// `P(X > x)` for X noncentral chi-square with `df` degrees of freedom and noncentrality
/// `lambda`: the Poisson(lambda/2) mixture of central chi-squares with `df + 2j` degrees.
func noncentralChiSquareTail(_ x: Double, df: Int, lambda: Double) -> Double {
    let mean = lambda / 2
    var total = 0.0
    let top = Int(mean + 12 * mean.squareRoot() + 40)
    for j in 0...top {
        let logWeight = -mean + Double(j) * log(max(mean, .leastNormalMagnitude)) - lgamma(Double(j) + 1)
        total += exp(logWeight) * gsl_cdf_chisq_Q(x, Double(df + 2 * j))
    }
    return min(total, 1)
}

/// The power of Pearson's test at level `alpha` with `draws` draws from `alternative` when
/// the null hypothesis is `null` (both probability vectors over the same categories): the
/// statistic is approximately noncentral chi-square with `lambda = draws * sum (q - p)^2 / p`.
func chiSquarePower(null: [Double], alternative: [Double], draws: Int, alpha: Double) -> Double {
    let lambda = Double(draws) * zip(null, alternative).reduce(0) { $0 + ($1.1 - $1.0) * ($1.1 - $1.0) / $1.0 }
    return noncentralChiSquareTail(chiSquareCritical(df: null.count - 1, alpha: alpha), df: null.count - 1, lambda: lambda)
}

/// The distribution over strings of length n of the naive sampler a first attempt might
/// write: at each step a symbol uniformly among those that can still reach acceptance in the
/// remaining steps. It is not uniform whenever the branching differs along paths.
func naiveWalkProbabilities(_ dfa: DFA, length n: Int, members: [[UInt8]]) -> [Double] {
    // alive[m][q]: some string of length m leads from q to acceptance.
    var alive = [[Bool]](repeating: [], count: n + 1)
    alive[0] = dfa.accepting
    for m in stride(from: 1, through: n, by: 1) {
        alive[m] = (0..<dfa.stateCount).map { q in (0..<dfa.symbolCount).contains { alive[m - 1][dfa.next(q, UInt8($0))] } }
    }
    return members.map { w in
        var p = 1.0, q = dfa.start
        for (i, a) in w.enumerated() {
            let remaining = n - i
            let options = (0..<dfa.symbolCount).filter { alive[remaining - 1][dfa.next(q, UInt8($0))] }.count
            p /= Double(options)
            q = dfa.next(q, a)
        }
        return p
    }
}

/// Draws from the naive sampler (the biased alternative the chi-square test must reject).
func naiveWalkSample(_ dfa: DFA, length n: Int, using random: RandomSource) -> [UInt8] {
    var alive = [[Bool]](repeating: [], count: n + 1)
    alive[0] = dfa.accepting
    for m in stride(from: 1, through: n, by: 1) {
        alive[m] = (0..<dfa.stateCount).map { q in (0..<dfa.symbolCount).contains { alive[m - 1][dfa.next(q, UInt8($0))] } }
    }
    var q = dfa.start, out: [UInt8] = []
    for i in 0..<n {
        let options = (0..<dfa.symbolCount).filter { alive[n - i - 1][dfa.next(q, UInt8($0))] }
        let a = UInt8(options[random.int(in: 0...(options.count - 1))])
        out.append(a)
        q = dfa.next(q, a)
    }
    return out
}
