/// The floating-point element types a weights file may hold, each converted exactly to `Double`:
///
///     F64  IEEE binary64                       8 bytes
///     F32  IEEE binary32                       4 bytes
///     F16  IEEE binary16 (1, 5, 10 bits)       2 bytes   x = (-1)^s 2^(e-15) (1 + m/2^10), subnormal 2^-14 m/2^10
///     BF16 bfloat16 (1, 8, 7 bits)             2 bytes   the upper half of a binary32
///
/// Safetensors names them `F64`, `F32`, `F16`, `BF16`; NumPy's `descr` `f8`, `f4`, `f2`.
public enum ElementType: String, Sendable, CaseIterable {
    case float64 = "F64", float32 = "F32", float16 = "F16", bfloat16 = "BF16"

    public init?(safetensorsName name: String) { self.init(rawValue: name) }

    /// Bytes per element.
    public var width: Int {
        switch self {
        case .float64: 8
        case .float32: 4
        case .float16, .bfloat16: 2
        }
    }

    /// The values of `bytes` (a whole number of elements), in the given byte order.
    public func decode(_ bytes: UnsafeRawBufferPointer, littleEndian: Bool) -> [Double] {
        let count = bytes.count / width
        return [Double](unsafeUninitializedCapacity: count) { out, initialized in
            switch self {
            case .float64 where littleEndian && 1.littleEndian == 1:
                UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<(8 * count)]))
            case .float64:
                for i in 0..<count {
                    let raw = bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)
                    out[i] = Double(bitPattern: littleEndian ? UInt64(littleEndian: raw) : UInt64(bigEndian: raw))
                }
            case .float32:
                for i in 0..<count {
                    let raw = bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)
                    out[i] = Double(Float(bitPattern: littleEndian ? UInt32(littleEndian: raw) : UInt32(bigEndian: raw)))
                }
            case .float16:
                for i in 0..<count {
                    let raw = bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)
                    out[i] = Self.halfToDouble(littleEndian ? UInt16(littleEndian: raw) : UInt16(bigEndian: raw))
                }
            case .bfloat16:
                for i in 0..<count {
                    let raw = bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)
                    let bits = littleEndian ? UInt16(littleEndian: raw) : UInt16(bigEndian: raw)
                    out[i] = Double(Float(bitPattern: UInt32(bits) << 16))
                }
            }
            initialized = count
        }
    }

    /// An IEEE binary16 bit pattern as a `Double` (exact: every half is a double).
    static func halfToDouble(_ h: UInt16) -> Double {
        let sign: Double = h & 0x8000 != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1f), mantissa = Double(h & 0x3ff)
        switch exponent {
        case 0: return sign * mantissa * 0x1p-24                       // zero and subnormals: m 2^-14 / 2^10
        case 0x1f: return mantissa == 0 ? sign * .infinity : .nan
        default: return sign * (1 + mantissa / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
