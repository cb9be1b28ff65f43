import Linalg

/// `B` in-context tasks: each task's `N + 1` tokens as rows of `D` numbers (the `N` context
/// tokens `(x_i, y_i)`, then the query `(x_q, y_q0)`, contiguous per task), and its target
/// `y_q` (`d_y` numbers). The prediction is minus the query's y-entries after the last layer
/// (REFERENCE.md section 1), so the query starts at `y_q0 = 0` for the zero initial weights.
public struct TaskBatch: Sendable, Equatable {
    public let inputDimension: Int
    public let outputDimension: Int
    public let contextCount: Int
    public let taskCount: Int
    /// `taskCount x (N + 1) x D`, tokens as rows.
    public var tokens: [Double]
    /// `taskCount x d_y`.
    public var targets: [Double]

    public init(inputDimension: Int, outputDimension: Int, contextCount: Int, taskCount: Int, tokens: [Double], targets: [Double]) {
        let D = inputDimension + outputDimension
        precondition(tokens.count == taskCount * (contextCount + 1) * D, "TaskBatch: \(tokens.count) token entries for \(taskCount) tasks")
        precondition(targets.count == taskCount * outputDimension, "TaskBatch: \(targets.count) targets for \(taskCount) tasks")
        self.inputDimension = inputDimension
        self.outputDimension = outputDimension
        self.contextCount = contextCount
        self.taskCount = taskCount
        self.tokens = tokens
        self.targets = targets
    }

    public var tokenDimension: Int { inputDimension + outputDimension }
    public var tokensPerTask: Int { contextCount + 1 }

    /// The loss of the zero predictor `yhat = 0` (the loss's scale): `1/(2 B d_y) sum_b |y_b|^2`,
    /// the same half mean squared error as `LSAKernel.loss` (for `x ~ U(-1/2, 1/2)^d`, `W ~ N(0, I)`
    /// and no noise its expectation is `d/24`).
    public var zeroPredictorLoss: Double {
        targets.reduce(0) { $0 + $1 * $1 } / Double(2 * taskCount * outputDimension)
    }

    /// Task `b`'s tokens as a `D x (N+1)` matrix (tokens as columns, as `LSALayer` takes them).
    public func tokenMatrix(_ b: Int) -> Matrix<Double> {
        let D = tokenDimension, T = tokensPerTask, start = b * T * D
        return Matrix(rows: T, cols: D, elements: Array(tokens[start..<(start + T * D)])).transposed
    }

    /// Task `b`'s inputs `X` (`d x N`), labels `Y` (`d_y x N`), query `x_q` and target `y_q`.
    public func task(_ b: Int) -> (x: Matrix<Double>, y: Matrix<Double>, xQuery: [Double], target: [Double]) {
        let z = tokenMatrix(b), d = inputDimension, N = contextCount
        return (z.block(rows: 0..<d, cols: 0..<N), z.block(rows: d..<tokenDimension, cols: 0..<N),
                z.column(N).elements.prefix(d).map { $0 }, Array(targets[(b * outputDimension)..<((b + 1) * outputDimension)]))
    }

    /// A batch of given tasks (tokens as columns, `D x (N+1)` each) and targets.
    public init(tasks: [Matrix<Double>], targets: [[Double]], inputDimension d: Int) {
        precondition(!tasks.isEmpty && tasks.count == targets.count, "one target per task")
        let D = tasks[0].rows
        self.init(inputDimension: d, outputDimension: D - d, contextCount: tasks[0].cols - 1, taskCount: tasks.count,
                  tokens: tasks.flatMap { $0.transposed.elements }, targets: targets.flatMap { $0 })
    }

    /// The batch of the given tasks, in the order given.
    public func tasks(_ indices: [Int]) -> TaskBatch {
        let per = tokensPerTask * tokenDimension, dy = outputDimension
        return TaskBatch(inputDimension: inputDimension, outputDimension: dy, contextCount: contextCount, taskCount: indices.count,
                         tokens: indices.flatMap { tokens[($0 * per)..<(($0 + 1) * per)] },
                         targets: indices.flatMap { targets[($0 * dy)..<(($0 + 1) * dy)] })
    }
}
