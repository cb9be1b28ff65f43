import Foundation

/// A file of named tensors, whatever wrote it: safetensors (PyTorch's `safetensors.torch`,
/// `safetensors.numpy`, `icl train`), NumPy `.npy` (one array, named after the file) or `.npz`
/// (`np.savez`, `np.savez_compressed`). The format is told by the first bytes (`\x93`, as
/// `\x93NUMPY` starts; a zip header; else safetensors) or by the extension `.npy`/`.npz`, so a
/// damaged NumPy file is reported as one. A file is memory-mapped and decoded in place: the only
/// copy is each tensor's values, converted to `Double`.
public struct TensorFile: Sendable {
    public enum Format: String, Sendable { case safetensors, npy, npz }

    public var format: Format
    public var tensors: [String: SafeTensors.Tensor]
    /// Safetensors' `__metadata__` (empty for NumPy files).
    public var metadata: [String: String]

    /// The tensors in `bytes`; `name` labels a `.npy` file's one array (its file name without the extension).
    public init(bytes: [UInt8], name: String = "array", extension ext: String = "") throws(TensorFileError) {
        try self.init(data: Data(bytes), name: name, extension: ext)
    }

    /// The tensors of the file at `path`; an unreadable file is an error naming it.
    public init(path: String) throws(TensorFileError) {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .malformed("cannot read '\(path.escapingControlCharacters)': \(isDirectory.boolValue ? "a directory" : "no such file")")
        }
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw .malformed("cannot read '\(path.escapingControlCharacters)': \((error as NSError).localizedDescription)")
        }
        try self.init(data: data, name: url.deletingPathExtension().lastPathComponent, extension: url.pathExtension.lowercased())
    }

    init(data: Data, name: String, extension ext: String) throws(TensorFileError) {
        if data.first == 0x93 || ext == "npy" {
            format = .npy
            let label = "'\(name).npy'"
            tensors = [name: try data.withUnsafeBytes { raw in Result { () throws(TensorFileError) in try NumPyArray.decode(raw: raw, name: label) } }.get()]
            metadata = [:]
        } else if NumPyArchive.looksLikeZip(data) || ext == "npz" {
            format = .npz
            tensors = try NumPyArchive.decode(data)
            metadata = [:]
        } else {
            format = .safetensors
            let decoded = data.withUnsafeBytes { raw in Result { () throws(SafeTensorsError) in try SafeTensors.decode(raw: raw) } }
            do { (tensors, metadata) = try decoded.get() } catch { throw .malformed(error.description) }
        }
    }
}
