// libFuzzer target for the weights-file reader `TensorFile(bytes:)` (built by scripts/fuzz_weights.sh
// against the Weights module and its dependencies, ZIPFoundation among them, compiled with
// -sanitize=fuzzer,address). The first bytes choose the format: `\x93NUMPY` .npy, `PK\x03\x04`
// .npz, anything else safetensors. For every input: `TensorFile(bytes:)` either throws a
// `TensorFileError` whose message is one line without Swift type names, or gives tensors whose
// shapes are non-negative and whose element counts are their shapes' products; a .npy or
// safetensors file (not compressed) holds at most one value per 2 bytes (F16, BF16).
import Foundation
import Weights

@_cdecl("LLVMFuzzerTestOneInput")
public func tensorFileFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let file: TensorFile
    do { file = try TensorFile(bytes: bytes) } catch {
        requireOneLineMessage(error.description, input: "\(size) bytes")
        return 0
    }
    for (name, t) in file.tensors {
        let (count, overflow) = t.shape.reduce((1, false)) { acc, k in
            let (p, o) = acc.0.multipliedReportingOverflow(by: k)
            return (p, acc.1 || o)
        }
        guard !overflow, count == t.values.count, t.shape.allSatisfy({ $0 >= 0 }) else {
            fatalError("tensor \(name.debugDescription) has shape \(t.shape) and \(t.values.count) values")
        }
        guard file.format == .npz || t.values.count <= size / 2 else {
            fatalError("\(file.format) tensor \(name.debugDescription) has \(t.values.count) values from \(size) bytes")
        }
    }
    return 0
}
