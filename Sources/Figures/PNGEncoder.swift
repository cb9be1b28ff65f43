import CZlibSystem
import Foundation

/// An 8-bit RGB PNG encoder over zlib, enough to embed a heatmap in an SVG as
/// `data:image/png;base64,...`.
///
/// Each row is filtered before deflate (PNG filter types 0-4: none, sub, up, average,
/// Paeth), choosing per row the filter with the smallest sum of |residual| as signed bytes,
/// libpng's heuristic: a smooth colour map leaves residuals near zero, which deflate (level
/// 9) compresses to a small fraction of the raw size.
public enum PNGEncoder {
    public enum EncodingError: Error, CustomStringConvertible {
        case zlib(status: Int32)
        public var description: String { "PNG: zlib's compress2 failed with status \(self)" }
    }

    /// The PNG file of a `width x height` image; `rgb` holds the rows top to bottom, 3 bytes a pixel.
    public static func encode(width: Int, height: Int, rgb: [UInt8]) throws -> [UInt8] {
        precondition(width > 0 && height > 0 && rgb.count == width * height * 3, "PNGEncoder: \(rgb.count) bytes for \(width) x \(height)")
        let stride = width * 3
        var filtered = [UInt8](repeating: 0, count: height * (stride + 1))
        var candidate = [UInt8](repeating: 0, count: stride)
        rgb.withUnsafeBufferPointer { image in
            for row in 0..<height {
                let current = UnsafeBufferPointer(rebasing: image[(row * stride)..<((row + 1) * stride)])
                let above = row > 0 ? UnsafeBufferPointer(rebasing: image[((row - 1) * stride)..<(row * stride)]) : nil
                var best: (type: UInt8, cost: Int) = (0, .max)
                var bestBytes = [UInt8](repeating: 0, count: stride)
                for type in UInt8(0)...4 {
                    let cost = applyFilter(type, current, above, into: &candidate)
                    if cost < best.cost { best = (type, cost); swap(&bestBytes, &candidate) }
                }
                let offset = row * (stride + 1)
                filtered[offset] = best.type
                filtered.replaceSubrange((offset + 1)...(offset + stride), with: bestBytes)
            }
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type RGB, deflate, adaptive filtering, no interlace
        chunk("IHDR", header, into: &png)
        chunk("IDAT", try deflate(filtered), into: &png)
        chunk("IEND", [], into: &png)
        return png
    }

    /// The PNG as base64 text (for a `data:` URL).
    public static func base64(_ png: [UInt8]) -> String { Data(png).base64EncodedString() }

    /// Writes the filtered row into `out`; returns the sum of |residual| read as signed bytes.
    private static func applyFilter(_ type: UInt8, _ x: UnsafeBufferPointer<UInt8>, _ above: UnsafeBufferPointer<UInt8>?,
                                    into out: inout [UInt8]) -> Int {
        var cost = 0
        for i in 0..<x.count {
            let a = i >= 3 ? Int(x[i - 3]) : 0                     // left
            let b = above.map { Int($0[i]) } ?? 0                    // up
            let c = i >= 3 ? (above.map { Int($0[i - 3]) } ?? 0) : 0 // up-left
            let predictor: Int
            switch type {
            case 0: predictor = 0
            case 1: predictor = a
            case 2: predictor = b
            case 3: predictor = (a + b) / 2
            default:
                let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
            }
            let residual = UInt8(truncatingIfNeeded: Int(x[i]) - predictor)
            out[i] = residual
            cost += abs(Int(Int8(bitPattern: residual)))
        }
        return cost
    }

    /// A zlib stream (RFC 1950) of `data` at the best compression level.
    private static func deflate(_ data: [UInt8]) throws -> [UInt8] {
        var size = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let status = compress2(&out, &size, data, uLong(data.count), Z_BEST_COMPRESSION)
        guard status == Z_OK else { throw EncodingError.zlib(status: status) }
        return Array(out.prefix(Int(size)))
    }

    private static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    /// length, type, data, CRC-32 of type and data (zlib's `crc32`).
    private static func chunk(_ type: String, _ data: [UInt8], into out: inout [UInt8]) {
        let body = Array(type.utf8) + data
        out += bigEndian(UInt32(data.count)) + body
        out += bigEndian(UInt32(crc32(0, body, uInt(body.count))))
    }
}
