import Linalg
import PropertyBased
import Testing

@Suite struct MatrixTests {
    /// `dgemm` (OpenBLAS) agrees with the triple loop within the product's forward-error bound
    /// `|fl(AB) - AB| <= gamma_k |A||B|` (both sides rounded: `gamma_k` each).
    @Test func blasProductMatchesTripleLoop() async {
        await propertyCheck(count: 200, input: Gen.int(in: 1...40), Gen.int(in: 1...40), Gen.int(in: 1...40), Gen.uint64()) { m, k, n, seed in
            let random = RandomSource(seed: seed)
            let a = random.gaussianMatrix(m, k), b = random.gaussianMatrix(k, n)
            let blas = a * b, loop = Matrix.naiveProduct(a, b)
            let magnitude = Matrix.naiveProduct(a.map { abs($0) }, b.map { abs($0) })
            for i in blas.elements.indices {
                #expect(abs(blas.elements[i] - loop.elements[i]) <= 2 * gamma(k) * magnitude.elements[i])
            }
            let viaTranspose = gemm(a, b.transposed, transposeB: true)
            for i in blas.elements.indices {
                #expect(abs(viaTranspose.elements[i] - blas.elements[i]) <= 2 * gamma(k) * magnitude.elements[i])
            }
        }
    }

    @Test func cblasIsOpenBLAS() {
        #expect(cblasProvider().contains("openblas"), "cblas_dgemm resolved to \(cblasProvider())")
    }

    /// LU solve and inverse: residuals within `c n u |A| |X|`-type bounds; the exact Gauss-Jordan
    /// inverse is exact.
    @Test func solvesAndInverses() async throws {
        await propertyCheck(count: 100, input: Gen.int(in: 1...12), Gen.uint64()) { n, seed in
            let random = RandomSource(seed: seed)
            let a = random.gaussianMatrix(n, n) + Double(n) * Matrix<Double>.identity(n)
            let b = random.gaussianMatrix(n, 3)
            let x = try! a.solve(b)
            let residual = (a * x - b).maxAbs
            #expect(residual <= 1e-12 * (a.maxAbs * x.maxAbs * Double(n) + b.maxAbs))
            let inv = try! a.inverse()
            #expect((a * inv - .identity(n)).maxAbs <= 1e-12 * Double(n) * a.maxAbs * inv.maxAbs)
            let exactA = random.rationalMatrix(n, n) + Rational(n * 10) * Matrix<Rational>.identity(n)
            #expect(Matrix.naiveProduct(exactA, try! exactA.exactInverse()) == .identity(n))
        }
    }

    @Test func singularAndIndefiniteMatricesThrow() {
        let singular = Matrix<Double>([[1, 2], [2, 4]])
        #expect(throws: LinalgError.singular) { try singular.inverse() }
        #expect(throws: LinalgError.singular) { try singular.map { Rational(approximating: $0) }.exactInverse() }
        #expect(throws: LinalgError.notPositiveDefinite) { try Matrix<Double>([[1, 2], [2, 1]]).cholesky() }
        #expect(throws: LinalgError.notSquare(rows: 2, cols: 3)) { try Matrix<Double>(rows: 2, cols: 3).inverse() }
        let spd = Matrix<Double>([[4, 2], [2, 3]])
        let l = try! spd.cholesky()
        #expect((l * l.transposed - spd).maxAbs <= 1e-15 * 8)
    }

    @Test func blocks() {
        let a = Matrix<Rational>([[Rational(1), Rational(2)]]), b = Matrix<Rational>([[Rational(3)]])
        let m = Matrix(blocks: [[a, b], [Matrix.zeros(1, 2), Matrix.identity(1)]])
        #expect(m.rowArrays == [[Rational(1), Rational(2), Rational(3)], [.zero, .zero, .one]])
        #expect(m.block(rows: 0..<1, cols: 1..<3).rowArrays == [[Rational(2), Rational(3)]])
        #expect(m.transposed.transposed == m)
    }
}
