// libFuzzer target for reading a training checkpoint back (built by scripts/fuzz_weights.sh
// against the Training and Weights modules compiled with -sanitize=fuzzer,address). An input
// is the two files of a checkpoint: a 4-byte little-endian length n, n bytes of state.json
// (fewer when the input is shorter), then model.safetensors. For every input:
// `Checkpoint<LSAModel>(weightsFile:stateFile:)` either throws a `TrainingError` whose message
// is one line without Swift type names, or gives a checkpoint whose two files, written again
// and read back, give the same two files byte for byte.
import Foundation
import Training
import Weights

/// A checkpoint's two files, as `RunDirectory` writes them.
func checkpointFiles(_ c: Checkpoint<LSAModel>) -> (weights: [UInt8], state: Data) {
    (SafeTensors.encode(c.model.namedTensors, metadata: c.metadata), Data((try! JSONStyle.text(c.state) + "\n").utf8))
}

@_cdecl("LLVMFuzzerTestOneInput")
public func checkpointFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var n = 0
    for i in 0..<min(4, size) { n |= Int(bytes[i]) << (8 * i) }
    let stateEnd = min(size, min(4, size) + n)
    let state = Data(bytes[min(4, size)..<stateEnd]), weights = Array(bytes[stateEnd...])
    let checkpoint: Checkpoint<LSAModel>
    do { checkpoint = try Checkpoint(weightsFile: weights, stateFile: state) } catch {
        requireOneLineMessage(error.description, input: "\(size) bytes")
        return 0
    }
    let files = checkpointFiles(checkpoint)
    let again: Checkpoint<LSAModel>
    do { again = try Checkpoint(weightsFile: files.weights, stateFile: files.state) } catch {
        fatalError("a checkpoint read back, written again, does not read: \(error)")
    }
    guard checkpointFiles(again) == files, again.model.parameters.map(\.bitPattern) == checkpoint.model.parameters.map(\.bitPattern) else {
        fatalError("a checkpoint read back, written again and read, differs")
    }
    return 0
}
