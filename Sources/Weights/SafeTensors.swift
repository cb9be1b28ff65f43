import Foundation

/// The safetensors format (Hugging Face): an 8-byte little-endian header length `n`, `n` bytes
/// of JSON `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}`
/// (padded with spaces to a multiple of 8), then the tensors' raw little-endian bytes, offsets
/// relative to the end of the header, contiguous and without gaps. Written here as `F64`
/// (tensors sorted by name); read as `F64`, `F32`, `F16` or `BF16` (each converted exactly to
/// `Double`, `ElementType`). The header is written and read through `Codable` (`Header`).
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

    /// The file's bytes for `tensors` (written as F64, their data in the order of their sorted
    /// names) and string `metadata`; the header's keys sorted, so equal inputs give equal bytes.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) -> [UInt8] {
        var offset = 0
        var entries: [(String, Header.Entry)] = []
        for name in tensors.keys.sorted() {
            let t = tensors[name]!
            entries.append((name, Header.Entry(dtype: "F64", shape: t.shape, dataOffsets: [offset, offset + 8 * t.values.count])))
            offset += 8 * t.values.count
        }
        var header = try! Array(JSONStyle.LineEncoder().data(Header(metadata: metadata.isEmpty ? nil : metadata, entries: entries)))
        while header.count % 8 != 0 { header.append(0x20) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        bytes += header
        for (name, _) in entries {
            for x in tensors[name]!.values { withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes += $0 } }
        }
        return bytes
    }

    /// The tensors and metadata of a file, or an error naming what is wrong.
    public static func decode(_ bytes: [UInt8]) throws(SafeTensorsError) -> (tensors: [String: Tensor], metadata: [String: String]) {
        try bytes.withUnsafeBytes { raw in Result { () throws(SafeTensorsError) in try decode(raw: raw) } }.get()
    }

    /// The same, from bytes in place (a memory-mapped file: no copy but the tensors' values).
    public static func decode(raw bytes: UnsafeRawBufferPointer) throws(SafeTensorsError) -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard bytes.count >= 8 else { throw .malformed("the file has \(bytes.count) bytes, fewer than the 8-byte header length") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n >= 2, n <= UInt64(bytes.count - 8), n <= 100_000_000 else {
            throw .malformed("the header length \(n) does not fit the file's \(bytes.count) bytes")
        }
        let headerEnd = 8 + Int(n)
        guard bytes[8] == UInt8(ascii: "{") else { throw .malformed("the header (file bytes [8, \(headerEnd))) is not a JSON object: it does not start with '{'") }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(UnsafeRawBufferPointer(rebasing: bytes[8..<headerEnd]))) }
        catch let error as SafeTensorsError { throw error }
        catch { throw .malformed("the header is \(Header.describe(error))") }
        let dataCount = bytes.count - headerEnd
        var spans: [(begin: Int, end: Int, name: String)] = []
        var tensors: [String: Tensor] = [:], types: [String: (ElementType, [Int])] = [:]
        for (name, entry) in header.entries {
            guard entry.dataOffsets.count == 2 else { throw .malformed("tensor '\(name.escapingControlCharacters)' has \(entry.dataOffsets.count) data_offsets, not 2") }
            let (begin, end) = (entry.dataOffsets[0], entry.dataOffsets[1])
            guard entry.shape.allSatisfy({ $0 >= 0 }) else { throw .malformed("tensor '\(name.escapingControlCharacters)' has a bad shape") }
            guard let type = ElementType(safetensorsName: entry.dtype) else {
                throw .unsupported("tensor '\(name.escapingControlCharacters)' has dtype \(entry.dtype.escapingControlCharacters); F64, F32, F16 and BF16 are read")
            }
            let width = type.width
            let (count, overflow) = entry.shape.reduce((1, false)) { acc, k in
                let (p, o) = acc.0.multipliedReportingOverflow(by: k)
                return (p, acc.1 || o)
            }
            let (byteCount, byteOverflow) = count.multipliedReportingOverflow(by: width)
            let label = "tensor '\(name.escapingControlCharacters)'"
            guard begin >= 0, end >= begin, end <= dataCount else {
                throw .malformed("\(label): data_offsets [\(begin), \(end)] do not lie inside the \(dataCount) data bytes (file bytes [\(headerEnd), \(bytes.count)))")
            }
            guard !overflow, !byteOverflow, end - begin == byteCount else {
                throw .malformed("\(label): shape \(entry.shape) of \(entry.dtype) needs \(overflow || byteOverflow ? "more than \(Int.max)" : String(byteCount)) bytes, data_offsets [\(begin), \(end)] hold \(end - begin)")
            }
            spans.append((begin, end, name))
            types[name] = (type, entry.shape)
        }
        spans.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }   // an empty tensor before one at its offset
        var covered = 0, previous = ""
        for s in spans {
            let label = "tensor '\(s.name.escapingControlCharacters)' (data bytes [\(s.begin), \(s.end)))"
            guard s.begin >= covered else { throw .malformed("\(label) overlaps tensor '\(previous.escapingControlCharacters)', which ends at byte \(covered)") }
            guard s.begin == covered else { throw .malformed("data bytes [\(covered), \(s.begin)) belong to no tensor (a gap before \(label))") }
            (covered, previous) = (s.end, s.name)
        }
        guard covered == dataCount else { throw .malformed("data bytes [\(covered), \(dataCount)) after the last tensor belong to no tensor") }
        // Decoded only now: tiled without overlap, the values take at most 8/width times the data's bytes.
        for s in spans {
            let (type, shape) = types[s.name]!
            let values = type.decode(UnsafeRawBufferPointer(rebasing: bytes[(headerEnd + s.begin)..<(headerEnd + s.end)]), littleEndian: true)
            tensors[s.name] = Tensor(shape: shape, values: values)
        }
        return (tensors, header.metadata ?? [:])
    }

    /// The JSON header: `{"__metadata__": {str: str}, name: {"dtype", "shape", "data_offsets"}, ...}`.
    struct Header: Codable {
        struct Entry: Codable {
            var dtype: String
            var shape: [Int]
            var dataOffsets: [Int]
            enum CodingKeys: String, CodingKey { case dtype, shape, dataOffsets = "data_offsets" }
        }

        var metadata: [String: String]?
        var entries: [(String, Entry)]

        init(metadata: [String: String]?, entries: [(String, Entry)]) { (self.metadata, self.entries) = (metadata, entries) }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
            static let metadata = Key(stringValue: "__metadata__")
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            metadata = nil
            entries = []
            for key in container.allKeys {
                if key.stringValue == Key.metadata.stringValue {
                    do { metadata = try container.decode([String: String].self, forKey: key) } catch {
                        throw SafeTensorsError.malformed("__metadata__ is not an object of strings")
                    }
                } else {
                    do { entries.append((key.stringValue, try container.decode(Entry.self, forKey: key))) } catch {
                        throw SafeTensorsError.malformed("tensor '\(key.stringValue.escapingControlCharacters)' lacks dtype, shape or data_offsets")
                    }
                }
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            if let metadata {
                var m = container.nestedContainer(keyedBy: Key.self, forKey: .metadata)
                for (k, v) in metadata { try m.encode(v, forKey: Key(stringValue: k)) }
            }
            for (name, entry) in entries { try container.encode(entry, forKey: Key(stringValue: name)) }
        }

        /// A decoding error in a few words.
        static func describe(_ error: any Error) -> String {
            switch error {
            case DecodingError.dataCorrupted: return "not valid JSON"
            case DecodingError.typeMismatch: return "not a JSON object"
            default: return "unreadable: \(error)"
            }
        }
    }
}

/// A safetensors file that cannot be read.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case unsupported(String)
    /// A well-formed tensor of another shape than the reader expects.
    case shape(String)

    public var description: String {
        switch self {
        case .malformed(let s): return "not a safetensors file: \(s)"
        case .unsupported(let s), .shape(let s): return s
        }
    }
}
