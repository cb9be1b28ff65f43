/// A weights file (`.npy`, `.npz`, or safetensors read through `TensorFile`) that cannot be
/// read: one line naming the file, member, tensor or byte range, and what is wrong.
public enum TensorFileError: Error, Equatable, CustomStringConvertible {
    /// The bytes break the format.
    case malformed(String)
    /// Well-formed, but holding what is not read (an integer dtype, another format version).
    case unsupported(String)

    public var description: String {
        switch self {
        case .malformed(let s), .unsupported(let s): return s
        }
    }
}
