import Foundation

/// The safetensors format (Hugging Face): an 8-byte little-endian header length `n`, `n` bytes
/// of JSON `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}`
/// (padded with spaces to a multiple of 8), then the tensors' raw little-endian bytes, offsets
/// relative to the end of the header, contiguous and without gaps. Written here as `F64`
/// (tensors sorted by name); read as `F64` or `F32` (converted exactly to `Double`).
public enum SafeTensors {
    /// A named tensor: shape and entries in row-major order.
    public struct Tensor: Equatable, Sendable {
        public var shape: [Int]
        public var values: [Double]
        public init(shape: [Int], values: [Double]) {
            precondition(shape.reduce(1, *) == values.count, "a tensor of shape \(shape) needs \(shape.reduce(1, *)) values")
            self.shape = shape
            self.values = values
        }
    }

    /// The file's bytes for `tensors` (written as F64) and string `metadata`.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) -> [UInt8] {
        var entries: [String] = []
        if !metadata.isEmpty {
            let fields = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(fields.joined(separator: ","))}")
        }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            let end = offset + 8 * t.values.count
            entries.append("\(jsonString(name)):{\"dtype\":\"F64\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        bytes += header
        for name in names {
            for x in tensors[name]!.values { withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes += $0 } }
        }
        return bytes
    }

    /// The tensors and metadata of a file, or an error naming what is wrong.
    public static func decode(_ bytes: [UInt8]) throws(SafeTensorsError) -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard bytes.count >= 8 else { throw .malformed("the file has \(bytes.count) bytes, fewer than the 8-byte header length") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n >= 2, n <= UInt64(bytes.count - 8), n <= 100_000_000 else {
            throw .malformed("the header length \(n) does not fit the file's \(bytes.count) bytes")
        }
        let headerEnd = 8 + Int(n)
        guard bytes[8] == UInt8(ascii: "{") else { throw .malformed("the header does not start with '{'") }
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])) } catch {
            throw .malformed("the header is not valid JSON")
        }
        guard let header = json as? [String: Any] else { throw .malformed("the header is not a JSON object") }
        var metadata: [String: String] = [:]
        if let m = header["__metadata__"] {
            guard let m = m as? [String: Any] else { throw .malformed("__metadata__ is not an object") }
            for (k, v) in m {
                guard let s = v as? String else { throw .malformed("__metadata__.\(k) is not a string") }
                metadata[k] = s
            }
        }
        let dataCount = bytes.count - headerEnd
        var spans: [(begin: Int, end: Int, name: String)] = []
        var tensors: [String: Tensor] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shapeValues = entry["shape"] as? [Any], let offsets = entry["data_offsets"] as? [Any], offsets.count == 2,
                  let begin = (offsets[0] as? NSNumber)?.intValue, let end = (offsets[1] as? NSNumber)?.intValue else {
                throw .malformed("tensor '\(name)' lacks dtype, shape or data_offsets")
            }
            let shape = try shapeValues.map { (s: Any) throws(SafeTensorsError) -> Int in
                guard let k = (s as? NSNumber)?.intValue, k >= 0 else { throw .malformed("tensor '\(name)' has a bad shape") }
                return k
            }
            let width: Int
            switch dtype {
            case "F64": width = 8
            case "F32": width = 4
            default: throw .unsupported("tensor '\(name)' has dtype \(dtype); F64 and F32 are read")
            }
            let count = shape.reduce(1, *)
            guard begin >= 0, end >= begin, end <= dataCount, end - begin == count * width else {
                throw .malformed("tensor '\(name)': data_offsets [\(begin), \(end)] do not hold \(count) \(dtype) values inside \(dataCount) data bytes")
            }
            spans.append((begin, end, name))
            var values = [Double](repeating: 0, count: count)
            let base = headerEnd + begin
            for i in 0..<count {
                var raw: UInt64 = 0
                for k in 0..<width { raw |= UInt64(bytes[base + i * width + k]) << (8 * UInt64(k)) }
                values[i] = width == 8 ? Double(bitPattern: raw) : Double(Float(bitPattern: UInt32(raw)))
            }
            tensors[name] = Tensor(shape: shape, values: values)
        }
        spans.sort { $0.begin < $1.begin }
        var covered = 0
        for s in spans {
            guard s.begin == covered else { throw .malformed("tensor data overlaps or leaves a gap at byte \(covered) (tensor '\(s.name)')") }
            covered = s.end
        }
        guard covered == dataCount else { throw .malformed("\(dataCount - covered) bytes after the last tensor") }
        return (tensors, metadata)
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}

/// A safetensors file that cannot be read.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .malformed(let s): return "not a safetensors file: \(s)"
        case .unsupported(let s): return s
        }
    }
}
