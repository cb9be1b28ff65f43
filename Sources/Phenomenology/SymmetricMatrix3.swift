/// A symmetric 3 x 3 matrix in the coordinate order (beta, alpha, xi): the Hessian.
public struct SymmetricMatrix3: Sendable, Equatable {
    public var bb: Double, ba: Double, bx: Double
    public var aa: Double, ax: Double
    public var xx: Double

    @inlinable
    public init(bb: Double, ba: Double, bx: Double, aa: Double, ax: Double, xx: Double) {
        self.bb = bb
        self.ba = ba
        self.bx = bx
        self.aa = aa
        self.ax = ax
        self.xx = xx
    }

    /// Entry `(i, j)`, indices 0 = beta, 1 = alpha, 2 = xi.
    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        switch (min(i, j), max(i, j)) {
        case (0, 0): return bb
        case (0, 1): return ba
        case (0, 2): return bx
        case (1, 1): return aa
        case (1, 2): return ax
        case (2, 2): return xx
        default: preconditionFailure("SymmetricMatrix3 index (\(i), \(j)) out of range")
        }
    }

    /// The rows, for printing and JSON.
    public var rows: [[Double]] { (0..<3).map { i in (0..<3).map { j in self[i, j] } } }

    /// `H v`.
    @inlinable
    public func apply(_ v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(bb * v[0] + ba * v[1] + bx * v[2],
                   ba * v[0] + aa * v[1] + ax * v[2],
                   bx * v[0] + ax * v[1] + xx * v[2])
    }
}

/// One evaluation of the model: the loss, its gradient and its Hessian, and `y` there.
public struct ReddyEvaluation: Sendable, Equatable {
    public var loss: Double
    public var gradient: SIMD3<Double>
    public var hessian: SymmetricMatrix3
    /// `y(beta)` at the point.
    public var y: Double

    @inlinable
    public init(loss: Double, gradient: SIMD3<Double>, hessian: SymmetricMatrix3, y: Double) {
        self.loss = loss
        self.gradient = gradient
        self.hessian = hessian
        self.y = y
    }
}
