import Constructions
import Linalg
import Training

/// The LSA forward-pass scenarios and the machine's `dgemm` rate. Peers: Benchmarks/peers_constructions.py.
var constructionBenchScenarios: [BenchScenario] { [
    lsaForwardScenario(name: "lsa-forward-batched", tasks: 2048, contextCount: 10, inputDimension: 10),
    lsaForwardScenario(name: "lsa-forward-large", tasks: 1, contextCount: 1024, inputDimension: 256),
    BenchScenario(name: "dgemm-rate", summary: "C = A B, 2048 x 2048 (the machine's BLAS rate)", flops: 2 * 2048 * 2048 * 2048) {
        let random = RandomSource(seed: 1)
        let a = random.gaussianMatrix(2048, 2048), b = random.gaussianMatrix(2048, 2048)
        return { _ = gemm(a, b) }
    },
] }

/// One LSA layer (Proposition 1 weights with a random preconditioner, `d_y = 1`) applied to
/// every token of `tasks` tasks of `N` Gaussian examples by `Training`'s batched forward
/// (`LSAKernel.forward`), folding `M = W_K^T W_Q` and `V = P W_V` in every run as the peer does.
/// FLOPs: the folding's `4 D^3` and those of the association the kernel takes
/// (`LSAKernel.forwardFlops`), so GFLOP/s compares with the `dgemm` rate.
func lsaForwardScenario(name: String, tasks: Int, contextCount n: Int, inputDimension d: Int) -> BenchScenario {
    let D = d + 1, shape = LSAShape(inputDimension: d, contextCount: n)
    let flops = 4 * Double(D * D * D) + LSAKernel(shape: shape).forwardFlops(tasks: tasks)
    return BenchScenario(name: name, summary: "LSA forward, \(tasks) tasks, N \(n), d \(d)", flops: flops) {
        let random = RandomSource(seed: 2)
        let layer = LSAConstruction.gradientStep(initialWeights: random.gaussianMatrix(1, d), eta: 0.1, contextCount: n,
                                                 preconditioner: random.gaussianMatrix(d, d))
        let stack = LSAStack(layers: [layer])
        let tokens = random.gaussianMatrix(tasks * (n + 1), D).elements
        let kernel = LSAKernel(shape: shape)
        let sink = TrainingSink()
        return { sink.value += kernel.forward(FoldedLSA(stack, shape: shape), tokens: tokens)[0] }
    }
}
