// libFuzzer target for the safetensors reader (built by scripts/fuzz_weights.sh with
// Sources/Weights/SafeTensors.swift and JSONStyle.swift, not by SwiftPM). For every input:
// `SafeTensors.decode` either throws a `SafeTensorsError` whose message is one line without
// Swift type names, or gives tensors whose element counts are their shapes' products and which,
// written again (`encode`, F64) and read back, are the same tensors bit for bit and the same metadata.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func safeTensorsFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let decoded: (tensors: [String: SafeTensors.Tensor], metadata: [String: String])
    do { decoded = try SafeTensors.decode(bytes) } catch {
        requireOneLineMessage(error.description, input: "\(size) bytes")
        return 0
    }
    for (name, t) in decoded.tensors {
        let (count, overflow) = t.shape.reduce((1, false)) { acc, k in
            let (p, o) = acc.0.multipliedReportingOverflow(by: k)
            return (p, acc.1 || o)
        }
        guard !overflow, count == t.values.count, t.shape.allSatisfy({ $0 >= 0 }) else {
            fatalError("tensor \(name.debugDescription) has shape \(t.shape) and \(t.values.count) values")
        }
        // A decoded tensor's values come from the data: at most one per 4 bytes (F32).
        guard t.values.count <= size / 4 else { fatalError("tensor \(name.debugDescription) has \(t.values.count) values from \(size) bytes") }
    }
    let again: (tensors: [String: SafeTensors.Tensor], metadata: [String: String])
    do { again = try SafeTensors.decode(SafeTensors.encode(decoded.tensors, metadata: decoded.metadata)) } catch {
        fatalError("a decoded file, written again, does not read back: \(error)")
    }
    guard again.metadata == decoded.metadata, Set(again.tensors.keys) == Set(decoded.tensors.keys) else {
        fatalError("written again, the file reads back with other names or metadata")
    }
    for (name, t) in decoded.tensors {
        let u = again.tensors[name]!
        guard u.shape == t.shape, u.values.map(\.bitPattern) == t.values.map(\.bitPattern) else {
            fatalError("tensor \(name.debugDescription) differs after writing and reading again")
        }
    }
    return 0
}
