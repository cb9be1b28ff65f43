/// The loss as GSL sees it: a heap object, passed to the flow's odeiv2 callbacks as their
/// `params` pointer (no global state) and captured by the minimizers' `Multimin` objective,
/// holding the model's evaluation closures and counting calls.
///
/// The counters live in a small manually managed buffer, not in stored `var` properties: a
/// class's stored property is checked for exclusive access at run time on every write
/// (`swift_beginAccess`), which cost 13% of the gradient flow (callgrind, phen-flow-cliff).
final class Objective {
    let loss: (ReddyPoint) -> Double
    let lossAndGradient: (ReddyPoint) -> (loss: Double, gradient: SIMD3<Double>)
    let gradientOnly: (ReddyPoint) -> SIMD3<Double>
    let hessian: (ReddyPoint) -> SymmetricMatrix3
    /// [loss evaluations, gradient evaluations, saw a non-finite value (0/1)].
    private let counters = UnsafeMutablePointer<Int>.allocate(capacity: 3)

    var lossEvaluations: Int { counters[0] }
    var gradientEvaluations: Int { counters[1] }
    /// Set when a callback saw a non-finite value, so the caller can stop with a message.
    var sawNonFinite: Bool { counters[2] != 0 }

    deinit { counters.deallocate() }

    @_specialize(where A == SoftmaxAttention)
    @_specialize(where A == DirectAttention)
    init<A: LayerOneAttention>(_ model: ReddyModel<A>) {
        loss = { model.loss(at: $0) }
        lossAndGradient = { model.lossAndGradient(at: $0) }
        gradientOnly = { model.gradient(at: $0) }
        hessian = { model.evaluate(at: $0).hessian }
        counters.initialize(repeating: 0, count: 3)
    }

    func value(_ x: ReddyPoint) -> Double {
        counters[0] += 1
        let f = loss(x)
        if !f.isFinite { counters[2] = 1 }
        return f
    }

    func valueAndGradient(_ x: ReddyPoint) -> (Double, SIMD3<Double>) {
        counters[0] += 1
        counters[1] += 1
        let (f, g) = lossAndGradient(x)
        if !f.isFinite || !(g * g).sum().isFinite { counters[2] = 1 }
        return (f, g)
    }

    /// The gradient without the loss (counted as a gradient evaluation).
    func gradient(_ x: ReddyPoint) -> SIMD3<Double> {
        counters[1] += 1
        let g = gradientOnly(x)
        if !(g * g).sum().isFinite { counters[2] = 1 }
        return g
    }

    func hessianAt(_ x: ReddyPoint) -> SymmetricMatrix3 { hessian(x) }

    /// The unretained pointer handed to GSL; valid while `self` is alive.
    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ context: UnsafeMutableRawPointer?) -> Objective {
        Unmanaged<Objective>.fromOpaque(context!).takeUnretainedValue()
    }
}
