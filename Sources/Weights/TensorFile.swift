import Foundation

/// A file of named tensors, whatever wrote it: safetensors (PyTorch's `safetensors.torch`,
/// `safetensors.numpy`, `icl train`), NumPy `.npy` (one array, named after the file) or `.npz`
/// (`np.savez`, `np.savez_compressed`). The format is told by the first bytes (`\x93NUMPY`, a
/// zip header, else safetensors), not the file name. The file is read once, whole.
public struct TensorFile: Sendable {
    public enum Format: String, Sendable { case safetensors, npy, npz }

    public var format: Format
    public var tensors: [String: SafeTensors.Tensor]
    /// Safetensors' `__metadata__` (empty for NumPy files).
    public var metadata: [String: String]

    /// The tensors in `bytes`; `name` labels a `.npy` file's one array (its file name without the extension).
    public init(bytes: [UInt8], name: String = "array") throws(TensorFileError) {
        if NumPyArray.looksLikeNpy(bytes) {
            format = .npy
            tensors = [name: try NumPyArray.decode(bytes, name: "'\(name).npy'")]
            metadata = [:]
        } else if NumPyArchive.looksLikeZip(bytes) {
            format = .npz
            tensors = try NumPyArchive.decode(bytes)
            metadata = [:]
        } else {
            format = .safetensors
            do { (tensors, metadata) = try SafeTensors.decode(bytes) } catch { throw .malformed(error.description) }
        }
    }

    /// The tensors of the file at `path`; an unreadable file is an error naming it.
    public init(path: String) throws(TensorFileError) {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw .malformed("cannot read '\(path.escapingControlCharacters)': \((error as NSError).localizedDescription)")
        }
        try self.init(bytes: [UInt8](data), name: url.deletingPathExtension().lastPathComponent)
    }
}
