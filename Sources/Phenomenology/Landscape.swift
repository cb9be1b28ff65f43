import CVectorMath
import Dispatch
import Synchronization

/// One axis of a landscape grid: coordinate `index` (0 beta, 1 alpha, 2 xi) on `count`
/// evenly spaced values from `lower` to `upper`.
public struct LandscapeAxis: Sendable {
    public var index: Int
    public var lower: Double
    public var upper: Double
    public var count: Int

    public init(index: Int, lower: Double, upper: Double, count: Int) {
        self.index = index
        self.lower = lower
        self.upper = upper
        self.count = count
    }

    public func value(_ i: Int) -> Double {
        count == 1 ? lower : lower + (upper - lower) * Double(i) / Double(count - 1)
    }

    public var values: [Double] { (0..<count).map(value) }
}

/// What happens to the third coordinate.
public enum ThirdCoordinate: Sendable {
    var isFixed: Bool { if case .fixed = self { return true } else { return false } }

    /// Held at this value.
    case fixed(Double)
    /// Minimized over `[lower, upper]` at every grid point: a scan of `scan` points, then
    /// Brent (gsl_min) from the best interior scan point, or the best end point.
    case minimized(lower: Double, upper: Double, scan: Int)
}

/// The loss on a 2-D grid: `values[j * x.count + i] = Loss` at `(x_i, y_j)`.
public struct Landscape: Sendable {
    public var x: LandscapeAxis
    public var y: LandscapeAxis
    public var thirdIndex: Int
    public var third: ThirdCoordinate
    public var values: [Double]
    /// The model's coordinate names (`ReddyCoordinates.names`), for headers and axes.
    public var coordinateNames: [String]
    /// The minimizing third coordinate at each grid point (empty when it is fixed).
    public var thirdValues: [Double]

    /// The third coordinate used at grid point `(i, j)`.
    public func third(_ i: Int, _ j: Int) -> Double {
        if case .fixed(let c) = third { return c }
        return thirdValues[j * x.count + i]
    }

    public subscript(i: Int, j: Int) -> Double { values[j * x.count + i] }
}

/// A landscape asked of axes that do not span a grid.
public enum LandscapeError: Error, CustomStringConvertible {
    case invalidAxes(String)

    public var description: String {
        switch self {
        case .invalidAxes(let s): return s
        }
    }
}

extension ReddyModel {
    /// The loss on the grid `x` by `y` with the third coordinate fixed or minimized out,
    /// computed row by row on all cores. `progress(done, total)` is called after each row.
    @_specialize(exported: true, where Attention == SoftmaxAttention)
    @_specialize(exported: true, where Attention == DirectAttention)
    public func landscape(x: LandscapeAxis, y: LandscapeAxis, third: ThirdCoordinate,
                          progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Landscape {
        guard x.index != y.index, (0..<3).contains(x.index), (0..<3).contains(y.index) else {
            throw LandscapeError.invalidAxes("the two axes must be two different coordinates of (beta, alpha, xi)")
        }
        guard x.count >= 2, y.count >= 2 else { throw LandscapeError.invalidAxes("each axis needs at least 2 points") }
        let k = 3 - x.index - y.index
        let n = x.count * y.count
        let minimizing = !third.isFixed
        var failure: (any Error)?
        var thirds: [Double] = []
        let values = [Double](unsafeUninitializedCapacity: n) { valueBuffer, initialized in
            thirds = [Double](unsafeUninitializedCapacity: minimizing ? n : 0) { thirdBuffer, thirdCount in
                failure = fill(valueBuffer, thirdBuffer, x: x, y: y, k: k, third: third, progress: progress)
                thirdCount = minimizing ? n : 0
            }
            initialized = n
        }
        if let failure { throw failure }
        return Landscape(x: x, y: y, thirdIndex: k, third: third, values: values,
                         coordinateNames: ReddyCoordinates.names(attention), thirdValues: thirds)
    }

    /// Fills the grid row by row on all cores; returns the first error of a minimization.
    private func fill(_ v: UnsafeMutableBufferPointer<Double>, _ w: UnsafeMutableBufferPointer<Double>,
                      x: LandscapeAxis, y: LandscapeAxis, k: Int, third: ThirdCoordinate,
                      progress: (@Sendable (Int, Int) -> Void)?) -> (any Error)? {
        let done = Atomic<Int>(0)
        let failure = Mutex<(any Error)?>(nil)
        let model = self
        // Fixed third coordinate: the stages shared along a row or a column are computed once
        // (y depends on beta only, the layer-2 quantities on beta and alpha only).
        var table: [(AttentionValue, LayerTwoAttention)] = []
        var tableAxis = -1  // 0: indexed by i (column), 1: by j (row), -1: per point
        if case .fixed(let c) = third {
            func stage(_ i: Int, _ j: Int) -> (AttentionValue, LayerTwoAttention) {
                var p = ReddyPoint(SIMD3(repeating: c))
                p[x.index] = x.value(i)
                p[y.index] = y.value(j)
                let att = attention(p.beta)
                return (att, LayerTwoAttention(a: p.alpha * att.y, twoN: twoN))
            }
            if x.index == 2 { table = (0..<y.count).map { stage(0, $0) }; tableAxis = 1 }
            if y.index == 2 { table = (0..<x.count).map { stage($0, 0) }; tableAxis = 0 }
        }
        nonisolated(unsafe) let (values, thirds) = (v, w)
        let (stages, stageAxis) = (table, tableAxis)
        let xs = x.values
        // Columns that share their layer-2 quantities (the y axis is xi): p and p - q per column.
        let columnP = stageAxis == 0 ? stages.map(\.1.p) : [], columnPmq = stageAxis == 0 ? stages.map(\.1.pmq) : []
        DispatchQueue.concurrentPerform(iterations: y.count) { j in
            var p = ReddyPoint.origin
            p[y.index] = y.value(j)
            let row = values.baseAddress! + j * x.count
            switch third {
            case .fixed(let c):
                // The row's exponents t1 = log(N-1) - xi (p - q), t2 = log(L-N) - xi p, then the
                // log-sum-exp of (0, t1, t2) for the whole row at once (CVectorMath).
                p[k] = c
                var t1 = [Double](repeating: 0, count: x.count), t2 = [Double](repeating: 0, count: x.count)
                let (a1, a2) = (model.logNMinus1, model.logLMinusN)
                switch stageAxis {
                case 0:
                    let xi = p.xi
                    for i in 0..<x.count { t1[i] = a1 - xi * columnPmq[i]; t2[i] = a2 - xi * columnP[i] }
                case 1:
                    let two = stages[j].1
                    for i in 0..<x.count { t1[i] = a1 - xs[i] * two.pmq; t2[i] = a2 - xs[i] * two.p }
                default:
                    for i in 0..<x.count {
                        p[x.index] = xs[i]
                        let two = LayerTwoAttention(a: p.alpha * model.attention(p.beta).y, twoN: model.twoN)
                        t1[i] = a1 - p.xi * two.pmq
                        t2[i] = a2 - p.xi * two.p
                    }
                }
                icl_log_sum_exp3(t1, t2, row, x.count)
            case let .minimized(lower, upper, scan):
                for i in 0..<x.count {
                    p[x.index] = xs[i]
                    do {
                        let (arg, best) = try model.minimize(coordinate: k, at: p, lower: lower, upper: upper, scan: scan)
                        row[i] = best
                        thirds[j * x.count + i] = arg
                    } catch {
                        failure.withLock { $0 = $0 ?? error }
                        row[i] = .nan
                        thirds[j * x.count + i] = .nan
                    }
                }
            }
            let finished = done.add(1, ordering: .relaxed).newValue
            progress?(finished, y.count)
        }
        return failure.withLock { $0 }
    }

    /// `min over theta_k in [lower, upper]` of the loss with the other coordinates of `point`.
    func minimize(coordinate k: Int, at point: ReddyPoint, lower: Double, upper: Double, scan: Int) throws -> (Double, Double) {
        var p = point
        let line = Line { t in p[k] = t; return self.loss(at: p) }
        let count = max(scan, 3)
        let ts = (0..<count).map { lower + (upper - lower) * Double($0) / Double(count - 1) }
        let fs = ts.map { line($0) }
        let best = fs.indices.min { fs[$0] < fs[$1] }!
        guard best > 0, best < count - 1, fs[best] < fs[best - 1], fs[best] < fs[best + 1] else { return (ts[best], fs[best]) }
        let r = try brentMinimize(line, lower: (ts[best - 1], fs[best - 1]), middle: (ts[best], fs[best]),
                                  upper: (ts[best + 1], fs[best + 1]), absoluteTolerance: 1e-12 * (upper - lower), relativeTolerance: 1e-10)
        return (r.x, r.value)
    }
}
