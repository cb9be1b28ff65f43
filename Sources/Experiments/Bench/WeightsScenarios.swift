import Foundation
import Weights
import ZIPFoundation

/// The weights readers on 100 MB files (four F64 tensors of 3.125 M entries, 1..4 from the
/// index), read from the page cache, every value converted to a `Double` array. Peers:
/// Benchmarks/peers_weights.py (`safetensors.numpy.load_file`, `np.load` of an `np.savez` file,
/// each materialising every array).
var weightsBenchScenarios: [BenchScenario] { [
    BenchScenario(name: "read-safetensors-100mb", summary: "TensorFile of a 100 MB safetensors file (4 F64 tensors; peer: safetensors.numpy.load_file)",
                  flops: 0) {
        let path = benchFile("bench-100mb.safetensors") { url in
            try Data(SafeTensors.encode(benchTensors)).write(to: url)
        }
        let sink = TrainingSink()
        return { sink.value += try! TensorFile(path: path).tensors["t0"]!.values[7] }
    },
    BenchScenario(name: "read-npz-100mb", summary: "TensorFile of a 100 MB np.savez-style .npz (4 <f8 members, stored; peer: np.load, every array read)",
                  flops: 0) {
        let path = benchFile("bench-100mb.npz") { url in
            let archive = try Archive(url: url, accessMode: .create)
            for (name, tensor) in benchTensors.sorted(by: { $0.key < $1.key }) {
                let bytes = Data(npyBytes(tensor))
                try archive.addEntry(with: "\(name).npy", type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .none) { position, size in
                    bytes.subdata(in: Int(position)..<(Int(position) + size))
                }
            }
        }
        let sink = TrainingSink()
        return { sink.value += try! TensorFile(path: path).tensors["t0"]!.values[7] }
    },
] }

/// Four tensors of 3.125 M doubles each (100 MB in all).
private var benchTensors: [String: SafeTensors.Tensor] {
    Dictionary(uniqueKeysWithValues: (0..<4).map { k in
        ("t\(k)", SafeTensors.Tensor(shape: [3125, 1000], values: (0..<3_125_000).map { Double($0 % 1000 + k) * 0.001 }))
    })
}

/// A version 1.0 `.npy` of a tensor, `<f8`, C order.
private func npyBytes(_ t: SafeTensors.Tensor) -> [UInt8] {
    var header = Array("{'descr': '<f8', 'fortran_order': False, 'shape': (\(t.shape.map(String.init).joined(separator: ", ")),), }".utf8)
    while (10 + header.count + 1) % 64 != 0 { header.append(0x20) }
    header.append(0x0a)
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xff), UInt8(header.count >> 8)] + header
    bytes.reserveCapacity(bytes.count + 8 * t.values.count)
    for x in t.values { withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes += $0 } }
    return bytes
}

/// A scratch file in the temporary directory, written once by `make` (kept for later runs).
private func benchFile(_ name: String, make: (URL) throws -> Void) -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("icl-\(name)")
    if !FileManager.default.fileExists(atPath: url.path) {
        let partial = url.appendingPathExtension("partial")
        try? FileManager.default.removeItem(at: partial)
        try! make(partial)
        try! FileManager.default.moveItem(at: partial, to: url)
    }
    return url.path
}
