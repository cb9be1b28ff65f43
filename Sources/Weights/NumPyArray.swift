/// NumPy's `.npy` format, as `np.save` writes it: the magic `\x93NUMPY`, a major and a minor
/// version byte, the header length (2 bytes little-endian in version 1.0; 4 bytes in 2.0 and
/// 3.0), the header (a Python dict literal `{'descr': '<f8', 'fortran_order': False,
/// 'shape': (2, 3), }`, ASCII in 1.0 and 2.0, UTF-8 in 3.0, padded with spaces and ending in a
/// newline), then the elements. Read: `descr` `<f8`, `<f4`, `<f2` and their big-endian `>`
/// forms (converted), `fortran_order` either way (returned in row-major order); any other
/// `descr` (integers, booleans, objects, structured records) is refused by name. The header may
/// be at most 10000 bytes (NumPy's own `max_header_size`), and the data must be exactly the
/// shape's elements.
public enum NumPyArray {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    static let maxHeaderSize = 10_000

    /// Whether `bytes` start like a `.npy` file.
    public static func looksLikeNpy(_ bytes: some Collection<UInt8>) -> Bool { bytes.starts(with: magic) }

    /// The array in `bytes`, or an error naming what is wrong (`name`: the file or npz member, for messages).
    public static func decode(_ bytes: [UInt8], name: String = "the array") throws(TensorFileError) -> SafeTensors.Tensor {
        try bytes.withUnsafeBytes { raw in Result { () throws(TensorFileError) in try decode(raw: raw, name: name) } }.get()
    }

    /// The same, from bytes in place (a memory-mapped file).
    public static func decode(raw bytes: UnsafeRawBufferPointer, name: String = "the array") throws(TensorFileError) -> SafeTensors.Tensor {
        let label = name.escapingControlCharacters
        guard bytes.count >= 10, looksLikeNpy(bytes) else { throw .malformed("\(label) is not a .npy file: bytes [0, 6) are not the magic \\x93NUMPY") }
        let major = bytes[6], minor = bytes[7]
        let lengthBytes: Int
        switch (major, minor) {
        case (1, 0): lengthBytes = 2
        case (2, 0), (3, 0): lengthBytes = 4
        default: throw .unsupported("\(label): .npy format version \(major).\(minor); 1.0, 2.0 and 3.0 are read")
        }
        guard bytes.count >= 8 + lengthBytes else { throw .malformed("\(label): the file ends inside its header length") }
        var headerLength = 0
        for i in 0..<lengthBytes { headerLength |= Int(bytes[8 + i]) << (8 * i) }
        let headerStart = 8 + lengthBytes
        guard headerLength <= maxHeaderSize else {
            throw .malformed("\(label): the header length \(headerLength) is above NumPy's limit of \(maxHeaderSize)")
        }
        guard headerLength <= bytes.count - headerStart else {
            throw .malformed("\(label): the header length \(headerLength) puts the header at bytes [\(headerStart), \(headerStart + headerLength)), past its end (\(bytes.count) bytes)")
        }
        let dataStart = headerStart + headerLength
        guard let text = String(validating: bytes[headerStart..<dataStart], as: UTF8.self) else {
            throw .malformed("\(label): the header is not text")
        }
        let header = try Header(parsing: text, label: label)
        let (count, overflow) = header.shape.reduce((1, false)) { acc, k in
            let (p, o) = acc.0.multipliedReportingOverflow(by: k)
            return (p, acc.1 || o)
        }
        let (byteCount, byteOverflow) = count.multipliedReportingOverflow(by: header.type.width)
        let available = bytes.count - dataStart
        guard !overflow, !byteOverflow, byteCount == available else {
            throw .malformed("\(label): shape \(header.shape) of \(header.descr) needs \(overflow || byteOverflow ? "more than \(Int.max)" : String(byteCount)) data bytes, the file has \(available) at bytes [\(dataStart), \(bytes.count))")
        }
        var values = header.type.decode(UnsafeRawBufferPointer(rebasing: bytes[dataStart...]), littleEndian: header.littleEndian)
        if header.fortranOrder && header.shape.count > 1 { values = rowMajor(fromColumnMajor: values, shape: header.shape) }
        return SafeTensors.Tensor(shape: header.shape, values: values)
    }

    /// Column-major (Fortran) elements of `shape` in row-major (C) order.
    static func rowMajor(fromColumnMajor values: [Double], shape: [Int]) -> [Double] {
        var out = [Double](repeating: 0, count: values.count)
        var strides = [Int](repeating: 1, count: shape.count)     // column-major strides
        for k in 1..<shape.count { strides[k] = strides[k - 1] * shape[k - 1] }
        var index = [Int](repeating: 0, count: shape.count)
        for i in 0..<values.count {
            var source = 0
            for k in 0..<shape.count { source += index[k] * strides[k] }
            out[i] = values[source]
            var k = shape.count - 1                                   // next row-major index
            while k >= 0 { index[k] += 1; if index[k] < shape[k] { break }; index[k] = 0; k -= 1 }
        }
        return out
    }

    /// The header dict: `descr`, `fortran_order`, `shape`.
    struct Header {
        var descr: String
        var type: ElementType
        var littleEndian: Bool
        var fortranOrder: Bool
        var shape: [Int]

        init(parsing text: String, label: String) throws(TensorFileError) {
            var parser = PythonLiteralParser(text)
            let dict: [String: PythonLiteralParser.Value]
            do { dict = try parser.parseHeaderDict() } catch {
                throw .malformed("\(label): the header is not a dict of descr, fortran_order and shape (\(error.description))")
            }
            guard case .string(let descr)? = dict["descr"] else {
                throw .unsupported("\(label): descr is not a plain dtype string (a structured or record dtype?); <f8, <f4, <f2 are read")
            }
            guard case .bool(let fortran)? = dict["fortran_order"] else { throw .malformed("\(label): the header lacks fortran_order") }
            guard case .tuple(let shape)? = dict["shape"] else { throw .malformed("\(label): the header lacks a shape tuple") }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw .malformed("\(label): shape \(shape) has a negative size") }
            self.descr = descr
            let order = descr.first, code = descr.dropFirst()
            let types: [Substring: ElementType] = ["f8": .float64, "f4": .float32, "f2": .float16]
            guard let order, order == "<" || order == ">" || order == "=", let type = types[code] else {
                throw .unsupported("\(label): dtype \(descr.escapingControlCharacters) is not read; float arrays <f8, <f4, <f2 (or > for big-endian) are read")
            }
            self.type = type
            self.littleEndian = order != ">"
            self.fortranOrder = fortran
            self.shape = shape
        }
    }
}

/// The Python literals of a `.npy` header: a dict of string keys whose values are strings,
/// `True`/`False`, or tuples of non-negative integers (`()`, `(3,)`, `(2, 3)`). Anything else
/// is an error saying where.
struct PythonLiteralParser {
    enum Value: Equatable { case string(String), bool(Bool), tuple([Int]), other }
    struct Failure: Error { var description: String }

    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    mutating func parseHeaderDict() throws(Failure) -> [String: Value] {
        skipSpace()
        try expect("{")
        var dict: [String: Value] = [:]
        skipSpace()
        while peek() != "}" {
            guard case .string(let key) = try value() else { throw fail("a dict key that is not a string") }
            skipSpace()
            try expect(":")
            skipSpace()
            dict[key] = try value()
            skipSpace()
            if peek() == "," { position += 1; skipSpace() } else if peek() != "}" { throw fail("no ',' or '}'") }
        }
        position += 1
        skipSpace()
        guard position == scalars.count else { throw fail("text after the dict") }
        return dict
    }

    private mutating func value() throws(Failure) -> Value {
        switch peek() {
        case "'", "\"":
            let quote = scalars[position]
            position += 1
            var s = String.UnicodeScalarView()
            while let c = peek(), c != quote {
                guard c != "\\" else { throw fail("an escape in a string") }
                s.append(c)
                position += 1
            }
            try expect(quote)
            return .string(String(s))
        case "(":
            position += 1
            var items: [Int] = []
            skipSpace()
            while peek() != ")" {
                var digits = ""
                while let c = peek(), ("0"..."9").contains(c), digits.count < 19 { digits.unicodeScalars.append(c); position += 1 }
                guard let n = Int(digits) else { throw fail("a shape entry that is not a non-negative integer") }
                items.append(n)
                skipSpace()
                if peek() == "," { position += 1; skipSpace() } else if peek() != ")" { throw fail("no ',' or ')' in the shape") }
            }
            position += 1
            return .tuple(items)
        case "T": try word("True"); return .bool(true)
        case "F": try word("False"); return .bool(false)
        case "[", "{":
            // A structured dtype's list of fields: skipped to its matching bracket, reported as `.other`.
            var depth = 0
            repeat {
                guard let c = peek() else { throw fail("an unclosed bracket") }
                if c == "[" || c == "{" || c == "(" { depth += 1 } else if c == "]" || c == "}" || c == ")" { depth -= 1 }
                position += 1
            } while depth > 0
            return .other
        default: throw fail("an unexpected character")
        }
    }

    private func peek() -> Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }
    private mutating func skipSpace() { while let c = peek(), c == " " || c == "\n" || c == "\t" || c == "\r" { position += 1 } }
    private mutating func expect(_ c: Unicode.Scalar) throws(Failure) {
        guard peek() == c else { throw fail("'\(c)' expected") }
        position += 1
    }
    private mutating func word(_ w: String) throws(Failure) {
        for c in w.unicodeScalars { try expect(c) }
    }
    private func fail(_ what: String) -> Failure { Failure(description: "\(what) at character \(position)") }
}
