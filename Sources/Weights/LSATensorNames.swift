import Linalg

/// The documented names of an LSA stack's weights in a weights file:
///
///     layers.{k}.heads.{h}.W_K | W_Q | W_V | P      (D x D each, row-major)
///
/// in the token-as-column convention of REFERENCE.md: tokens `e = (x, y)`, a layer maps
/// `e_j <- e_j + sum_h P W_V E (E^T W_K^T W_Q e_j)` over the context tokens `E`, and the
/// prediction is minus the query's y-entries after the last layer.
public enum LSATensorNames {
    /// The four factors of a head, in file order.
    public enum Factor: String, CaseIterable, Sendable {
        case key = "W_K", query = "W_Q", value = "W_V", projection = "P"
    }

    /// `layers.{layer}.heads.{head}.{factor}`.
    public static func name(layer: Int, head: Int, _ factor: Factor) -> String {
        "layers.\(layer).heads.\(head).\(factor.rawValue)"
    }

    /// The convention in words, written into a file's metadata under `"convention"`.
    public static let convention =
        "tokens are columns e = (x, y); e_j += sum_h P W_V E (E^T W_K^T W_Q e_j) over context tokens E; yhat = -y-rows of the query"
}

extension SafeTensors.Tensor {
    /// A matrix as a 2-d tensor (row-major).
    public init(_ matrix: Matrix<Double>) {
        self.init(shape: [matrix.rows, matrix.cols], values: matrix.elements)
    }

    /// The tensor as a `rows x cols` matrix, or an error naming it and its shape.
    public func matrix(rows: Int, cols: Int, name: String) throws(SafeTensorsError) -> Matrix<Double> {
        guard shape == [rows, cols] else { throw .shape("'\(name)' has shape \(shape), expected [\(rows), \(cols)]") }
        return Matrix(rows: rows, cols: cols, elements: values)
    }
}
