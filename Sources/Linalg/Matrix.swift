/// A dense row-major matrix over a `FieldScalar`.
///
/// Vectors are `n x 1` matrices (columns), as in the mathematics: tokens are columns
/// `e_j = (x_j, y_j)`. `Matrix<Double>` products go through BLAS (`Matrix+BLAS.swift`);
/// other scalars use the plain triple loop.
public struct Matrix<Scalar: FieldScalar>: Equatable, Sendable {
    public let rows: Int
    public let cols: Int
    /// Entries in row-major order: entry `(i, j)` is `elements[i * cols + j]`.
    public var elements: [Scalar]

    @inlinable
    public init(rows: Int, cols: Int, elements: [Scalar]) {
        precondition(rows >= 0 && cols >= 0 && elements.count == rows * cols,
                     "Matrix(\(rows) x \(cols)) needs \(rows * cols) elements, got \(elements.count)")
        self.rows = rows
        self.cols = cols
        self.elements = elements
    }

    @inlinable
    public init(rows: Int, cols: Int, repeating value: Scalar = .zero) {
        self.init(rows: rows, cols: cols, elements: Array(repeating: value, count: rows * cols))
    }

    /// Builds entry `(i, j)` as `entry(i, j)`.
    @inlinable
    public init(rows: Int, cols: Int, entry: (Int, Int) -> Scalar) {
        var elements = [Scalar]()
        elements.reserveCapacity(rows * cols)
        for i in 0..<rows { for j in 0..<cols { elements.append(entry(i, j)) } }
        self.init(rows: rows, cols: cols, elements: elements)
    }

    /// A matrix from its rows; all rows must have the same length.
    public init(_ rowArrays: [[Scalar]]) {
        let cols = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == cols }, "Matrix rows have different lengths")
        self.init(rows: rowArrays.count, cols: cols, elements: rowArrays.flatMap { $0 })
    }

    /// The column vector with the given entries.
    public init(column: [Scalar]) { self.init(rows: column.count, cols: 1, elements: column) }

    @inlinable
    public static func identity(_ n: Int) -> Matrix { Matrix(rows: n, cols: n) { $0 == $1 ? .one : .zero } }
    @inlinable
    public static func zeros(_ rows: Int, _ cols: Int) -> Matrix { Matrix(rows: rows, cols: cols) }

    @inlinable
    public subscript(i: Int, j: Int) -> Scalar {
        get { elements[i * cols + j] }
        set { elements[i * cols + j] = newValue }
    }

    public var shape: (rows: Int, cols: Int) { (rows, cols) }
    public var isSquare: Bool { rows == cols }

    @inlinable
    public var transposed: Matrix { Matrix(rows: cols, cols: rows) { self[$1, $0] } }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Scalar] { Array(elements[(i * cols)..<((i + 1) * cols)]) }
    /// Column `j` as an `rows x 1` matrix.
    @inlinable
    public func column(_ j: Int) -> Matrix { Matrix(rows: rows, cols: 1) { i, _ in self[i, j] } }
    /// The rows as nested arrays (for printing and JSON).
    public var rowArrays: [[Scalar]] { (0..<rows).map(row) }

    /// The submatrix with the given row and column ranges.
    @inlinable
    public func block(rows r: Range<Int>, cols c: Range<Int>) -> Matrix {
        Matrix(rows: r.count, cols: c.count) { self[r.lowerBound + $0, c.lowerBound + $1] }
    }

    /// Assembles a block matrix; blocks in a block-row share their row count, blocks in a
    /// block-column share their column count.
    @inlinable
    public init(blocks: [[Matrix]]) {
        let heights = blocks.map { $0.first?.rows ?? 0 }
        let widths = blocks.first?.map(\.cols) ?? []
        for (bi, blockRow) in blocks.enumerated() {
            precondition(blockRow.count == widths.count, "block row \(bi) has \(blockRow.count) blocks, expected \(widths.count)")
            for (bj, b) in blockRow.enumerated() {
                precondition(b.rows == heights[bi] && b.cols == widths[bj],
                             "block (\(bi), \(bj)) is \(b.rows) x \(b.cols), expected \(heights[bi]) x \(widths[bj])")
            }
        }
        // Row-major: row i of a block-row is row i of each of its blocks, left to right.
        let rows = heights.reduce(0, +), cols = widths.reduce(0, +)
        var elements: [Scalar] = []
        elements.reserveCapacity(rows * cols)
        for (bi, blockRow) in blocks.enumerated() {
            for i in 0..<heights[bi] {
                for b in blockRow { elements.append(contentsOf: b.elements[(i * b.cols)..<((i + 1) * b.cols)]) }
            }
        }
        self.init(rows: rows, cols: cols, elements: elements)
    }

    /// `[self; other]`: stacks rows.
    public func stacked(over other: Matrix) -> Matrix { Matrix(blocks: [[self], [other]]) }
    /// `[self, other]`: joins columns.
    public func joined(with other: Matrix) -> Matrix { Matrix(blocks: [[self, other]]) }

    /// Applies `f` to every entry.
    @inlinable
    public func map<T: FieldScalar>(_ f: (Scalar) -> T) -> Matrix<T> {
        Matrix<T>(rows: rows, cols: cols, elements: elements.map(f))
    }

    /// The trace `sum_i a_ii` of a square matrix.
    @inlinable
    public var trace: Scalar {
        precondition(isSquare, "trace of a \(rows) x \(cols) matrix")
        return (0..<rows).reduce(Scalar.zero) { $0 + self[$1, $1] }
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        rowArrays.map { "[" + $0.map(\.description).joined(separator: ", ") + "]" }.joined(separator: "\n")
    }
}

extension Matrix where Scalar == Double {
    /// The largest absolute entry, `max_ij |a_ij|` (0 for an empty matrix).
    public var maxAbs: Double { elements.reduce(0) { Swift.max($0, Swift.abs($1)) } }
    /// The Frobenius norm `sqrt(sum_ij a_ij^2)`.
    public var frobeniusNorm: Double { elements.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    /// True when every entry is finite.
    public var isFinite: Bool { elements.allSatisfy(\.isFinite) }
}
