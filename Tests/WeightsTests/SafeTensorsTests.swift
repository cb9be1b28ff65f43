import Foundation
import Testing
import Weights

/// The safetensors writer and reader: layout, round trip, refusals, and a read by Python's
/// `safetensors` package when it is installed.
@Suite struct SafeTensorsTests {
    let tensors: [String: SafeTensors.Tensor] = [
        "b": SafeTensors.Tensor(shape: [2, 3], values: [1, -2.5, 3e-300, .pi, -0.0, 1e300]),
        "a": SafeTensors.Tensor(shape: [1], values: [42]),
    ]

    @Test func layoutAndRoundTrip() throws {
        let bytes = SafeTensors.encode(tensors, metadata: ["step": "7"])
        var n = 0
        for i in 0..<8 { n |= Int(bytes[i]) << (8 * i) }
        #expect(n % 8 == 0 && bytes.count == 8 + n + 8 * 7)
        let header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self)
        #expect(header.hasPrefix(#"{"__metadata__":{"step":"7"},"a":{"data_offsets":[0,8],"dtype":"F64","shape":[1]},"b":"#))
        let (read, metadata) = try SafeTensors.decode(bytes)
        #expect(metadata == ["step": "7"])
        #expect(read["a"] == tensors["a"])
        #expect(read["b"]!.values.map(\.bitPattern) == tensors["b"]!.values.map(\.bitPattern))
    }

    @Test func malformedFilesAreRefused() {
        let good = SafeTensors.encode(tensors)
        var wrongLength = good; wrongLength[0] = 0xff
        var truncated = good; truncated.removeLast()
        var extra = good; extra.append(0)
        let cases: [([UInt8], String)] = [
            ([1, 2, 3], "fewer than the 8-byte header length"),
            (wrongLength, "does not fit"),
            (truncated, "do not lie inside"),
            (extra, "after the last tensor belong to no tensor"),
        ]
        for (bytes, message) in cases {
            #expect(throws: SafeTensorsError.self) { try SafeTensors.decode(bytes) }
            do { _ = try SafeTensors.decode(bytes) } catch { #expect(error.description.contains(message), "\(error)") }
        }
    }

    /// Python's `safetensors` (the reference implementation) reads our file, and we read its.
    @Test func pythonReadsOurFile() throws {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import safetensors.numpy"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { print("skipped: python3 not found"); return }
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else {
            print("skipped: the Python safetensors package is not installed (pip install safetensors numpy)")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ours = dir.appendingPathComponent("ours.safetensors"), theirs = dir.appendingPathComponent("theirs.safetensors")
        try Data(SafeTensors.encode(tensors, metadata: ["step": "7"])).write(to: ours)
        let script = """
        import sys, numpy as np
        from safetensors.numpy import load_file, save_file
        from safetensors import safe_open
        t = load_file(sys.argv[1])
        assert t["b"].dtype == np.float64 and t["b"].shape == (2, 3), t["b"]
        assert t["b"][0, 1] == -2.5 and t["b"][1, 1] == -0.0 and t["b"][1, 0] == np.pi and t["a"][0] == 42
        with safe_open(sys.argv[1], "np") as f: assert f.metadata() == {"step": "7"}
        save_file({"w": np.arange(6, dtype=np.float32).reshape(2, 3), "v": np.array([0.1], dtype=np.float64)}, sys.argv[2])
        """
        let run = Process()
        run.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        run.arguments = ["python3", "-c", script, ours.path, theirs.path]
        try run.run()
        run.waitUntilExit()
        #expect(run.terminationStatus == 0, "Python could not read our safetensors file")
        let (read, _) = try SafeTensors.decode(Array(try Data(contentsOf: theirs)))
        #expect(read["w"] == SafeTensors.Tensor(shape: [2, 3], values: [0, 1, 2, 3, 4, 5]))
        #expect(read["v"] == SafeTensors.Tensor(shape: [1], values: [0.1]))
    }
}
