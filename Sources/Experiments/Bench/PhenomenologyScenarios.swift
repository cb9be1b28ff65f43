import Linalg
import Phenomenology

/// The Phenomenology scenarios. Peers (same work in SciPy/NumPy): Benchmarks/peers_phenomenology.py.
/// Every scenario uses N = 8, L = 32 and the default y(beta).
var phenomenologyBenchScenarios: [BenchScenario] { [
    BenchScenario(name: "phen-eval", summary: "50000 loss+gradient evaluations, one point per call (an optimizer's access pattern)",
                  flops: 0) {
        let model = try! ReddyModel(N: 8, L: 32)
        let points = phenBenchPoints(count: 50_000)
        let sink = PhenSink()
        return {
            var total = 0.0
            for p in points {
                let (l, g) = model.lossAndGradient(at: p)
                total += l + g.sum()
            }
            sink.value = total
        }
    },
    BenchScenario(name: "phen-eval-batch", summary: "loss+gradient at 10^6 independent points, all cores (NumPy peer vectorized)",
                  flops: 0) {
        let model = try! ReddyModel(N: 8, L: 32)
        let points = phenBenchPoints(count: 1_000_000)
        let sink = PhenSink()
        return {
            let (losses, gradients) = model.lossesAndGradients(at: points)
            sink.value = losses[777] + gradients[777].sum()
        }
    },
    BenchScenario(name: "phen-minimize", summary: "vector_bfgs2 from 16 starts to loss <= 1e-4 (peer: scipy.optimize.minimize BFGS)",
                  flops: 0) {
        let model = try! ReddyModel(N: 8, L: 32)
        let starts = phenBenchStarts()
        let sink = PhenSink()
        return {
            var total = 0.0
            for s in starts {
                var options = MinimizerOptions()
                options.initial = s
                options.lossTolerance = 1e-4
                total += try! model.minimize(options).loss
            }
            sink.value = total
        }
    },
    BenchScenario(name: "phen-landscape-1000", summary: "loss on a 1000 x 1000 (alpha, xi) grid, beta = 2 (peer: NumPy grid)",
                  flops: 0) {
        let model = try! ReddyModel(N: 8, L: 32)
        let sink = PhenSink()
        return {
            let land = try! model.landscape(x: LandscapeAxis(index: 1, lower: -2, upper: 10, count: 1000),
                                            y: LandscapeAxis(index: 2, lower: -2, upper: 16, count: 1000), third: .fixed(2))
            sink.value = land.values[12345]
        }
    },
    BenchScenario(name: "phen-flow-cliff", summary: "gradient flow from the origin through the cliff, default stepper (rkck, rtol = atol = 1e-7, cliff refined) (peers: solve_ivp DOP853 at 1e-10 and 1e-7)",
                  flops: 0) {
        let model = try! ReddyModel(N: 8, L: 32)
        let sink = PhenSink()
        return {
            let trajectory = try! model.gradientFlow()
            sink.value = trajectory.losses.last!
        }
    },
] }

/// Keeps a benchmark's result alive so the work is not optimized away.
final class PhenSink: @unchecked Sendable { var value = 0.0 }

/// Points spread over the region the dynamics visits: beta, alpha in [-2, 8], xi in [-2, 16]
/// (seeded; the peer reads the same formula with its own generator, the region is what matters).
func phenBenchPoints(count: Int) -> [ReddyPoint] {
    let random = RandomSource(seed: 7)
    return (0..<count).map { _ in
        ReddyPoint(beta: random.uniform(in: -2..<8), alpha: random.uniform(in: -2..<8), xi: random.uniform(in: -2..<16))
    }
}

/// 16 fixed starting points on a 2 x 2 x 4 grid of the cube [0, 1] x [0, 1] x [0, 3].
func phenBenchStarts() -> [ReddyPoint] {
    var starts: [ReddyPoint] = []
    for b in [0.0, 1.0] { for a in [0.0, 1.0] { for x in [0.0, 1.0, 2.0, 3.0] { starts.append(ReddyPoint(beta: b, alpha: a, xi: x)) } } }
    return starts
}
