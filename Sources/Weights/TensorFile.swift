import Foundation

/// A file of named tensors, whatever wrote it: safetensors (PyTorch's `safetensors.torch`,
/// `safetensors.numpy`, `icl train`), NumPy `.npy` (one array, named after the file) or `.npz`
/// (`np.savez`, `np.savez_compressed`). The format is told by the first bytes (`\x93`, as
/// `\x93NUMPY` starts; a zip header; else safetensors) or by the extension `.npy`/`.npz`, so a
/// damaged NumPy file is reported as one. The file is read once, whole.
public struct TensorFile: Sendable {
    public enum Format: String, Sendable { case safetensors, npy, npz }

    public var format: Format
    public var tensors: [String: SafeTensors.Tensor]
    /// Safetensors' `__metadata__` (empty for NumPy files).
    public var metadata: [String: String]

    /// The tensors in `bytes`; `name` labels a `.npy` file's one array (its file name without the extension).
    public init(bytes: [UInt8], name: String = "array", extension ext: String = "") throws(TensorFileError) {
        if bytes.first == 0x93 || ext == "npy" {
            format = .npy
            tensors = [name: try NumPyArray.decode(bytes, name: "'\(name).npy'")]
            metadata = [:]
        } else if NumPyArchive.looksLikeZip(bytes) || ext == "npz" {
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
        try self.init(bytes: [UInt8](data), name: url.deletingPathExtension().lastPathComponent, extension: url.pathExtension.lowercased())
    }
}
