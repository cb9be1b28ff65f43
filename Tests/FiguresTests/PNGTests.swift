import CZlibSystem
import Figures
import Foundation
import Testing

/// The PNG encoder's output decodes back to the image it was given (zlib inflate, then the
/// PNG filters undone as the specification defines them), its chunks carry correct CRCs, and
/// a smooth heatmap compresses to a small fraction of its raw size.
@Suite struct PNGTests {
    /// Chunks of a PNG file: (type, data), checking each CRC.
    static func chunks(_ png: [UInt8]) -> [(String, [UInt8])] {
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var out: [(String, [UInt8])] = []
        var i = 8
        func u32(_ k: Int) -> Int { Int(png[k]) << 24 | Int(png[k + 1]) << 16 | Int(png[k + 2]) << 8 | Int(png[k + 3]) }
        while i < png.count {
            let length = u32(i)
            let body = Array(png[(i + 4)..<(i + 8 + length)])
            let crc = u32(i + 8 + length)
            #expect(UInt32(crc) == UInt32(crc32(0, body, uInt(body.count))), "CRC of chunk at \(i)")
            out.append((String(decoding: body.prefix(4), as: UTF8.self), Array(body.dropFirst(4))))
            i += 12 + length
        }
        return out
    }

    /// Decodes an 8-bit RGB PNG written by the encoder (single IDAT) to its pixel bytes.
    static func decode(_ png: [UInt8], width: Int, height: Int) -> [UInt8] {
        let idat = chunks(png).filter { $0.0 == "IDAT" }.flatMap(\.1)
        let stride = width * 3
        var raw = [UInt8](repeating: 0, count: height * (stride + 1))
        var size = uLong(raw.count)
        #expect(uncompress(&raw, &size, idat, uLong(idat.count)) == Z_OK)
        #expect(Int(size) == raw.count)
        var image = [UInt8](repeating: 0, count: height * stride)
        for row in 0..<height {
            let type = raw[row * (stride + 1)]
            for i in 0..<stride {
                let x = Int(raw[row * (stride + 1) + 1 + i])
                let a = i >= 3 ? Int(image[row * stride + i - 3]) : 0
                let b = row > 0 ? Int(image[(row - 1) * stride + i]) : 0
                let c = i >= 3 && row > 0 ? Int(image[(row - 1) * stride + i - 3]) : 0
                let predictor: Int
                switch type {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
                    predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: Issue.record("filter type \(type)"); predictor = 0
                }
                image[row * stride + i] = UInt8((x + predictor) & 0xFF)
            }
        }
        return image
    }

    @Test(arguments: [(37, 23, false), (200, 150, true), (1, 1, false)])
    func roundTrip(width: Int, height: Int, smooth: Bool) throws {
        var state: UInt64 = 12345
        let rgb = (0..<(width * height)).flatMap { k -> [UInt8] in
            if smooth { return { (r: (UInt8, UInt8, UInt8)) in [r.0, r.1, r.2] }(Viridis.rgb(Double(k % width) / Double(width))) }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return [UInt8(state >> 56), UInt8((state >> 48) & 0xFF), UInt8((state >> 40) & 0xFF)]
        }
        let png = try PNGEncoder.encode(width: width, height: height, rgb: rgb)
        #expect(Self.decode(png, width: width, height: height) == rgb)
        let header = Self.chunks(png)[0]
        func bigEndian(_ v: Int) -> [UInt8] { [24, 16, 8, 0].map { UInt8((v >> $0) & 0xFF) } }
        #expect(header.0 == "IHDR" && header.1 == bigEndian(width) + bigEndian(height) + [8, 2, 0, 0, 0])
        if smooth { #expect(png.count * 20 < rgb.count, "a smooth image compresses: \(png.count) bytes for \(rgb.count) raw") }
        #expect(Data(base64Encoded: PNGEncoder.base64(png)).map(Array.init) == png)
    }

    /// Paeth's ties decide between `b` and `c` when `pb == pc < pa`: that happens for
    /// `b - c = -2 (a - c)`. A two-row image built so that Paeth is the best filter for its
    /// second row (cycles of: a step off the diagonal, four steps where Paeth predicts `a`
    /// exactly (Up does not), one step with the tie, where Paeth predicts `b` exactly) and that
    /// row has nine such ties: an encoder that broke them the other way would still choose
    /// Paeth there (its residual sum is 168 against Up's 300) and decode wrong. (A tie between
    /// `a` and the others cannot change a prediction: `pa == pb <= pc` forces `a == b`.)
    @Test func paethTiesBetweenAboveAndDiagonalFollowTheSpecification() throws {
        var above: [Int] = [128], row: [Int] = [128]
        for i in 1..<60 {
            let c = above[i - 1], a = row[i - 1]
            switch (i - 1) % 6 {
            case 0: above.append(c < 200 ? c + 20 : c - 20); row.append(above[i] + 6)
            case 5: above.append(3 * c - 2 * a); row.append(above[i])
            default: above.append(c); row.append(a)
            }
        }
        let ties = (1..<60).filter { i in
            let (a, b, c) = (row[i - 1], above[i], above[i - 1])
            return abs(a - c) == abs(a + b - 2 * c) && abs(a - c) < abs(b - c)
        }
        #expect(ties.count == 9)
        let rgb = (above + row).flatMap { v in [UInt8(v), UInt8(v), UInt8(v)] }
        let png = try PNGEncoder.encode(width: 60, height: 2, rgb: rgb)
        #expect(Self.decode(png, width: 60, height: 2) == rgb)
    }

    @Test func heatmapIsACompleteDocument() throws {
        let n = 30
        let values = (0..<(n * n)).map { k in Double((k % n) * (k % n) + (k / n) * (k / n)) }
        let map = Heatmap(values: values, columns: n, rows: n, xRange: (0, 1), yRange: (0, 1), xLabel: "u", yLabel: "v",
                          valueLabel: "f", title: "T", subtitle: "s", contourLevels: 5,
                          path: Heatmap.Path(points: [(0.1, 0.1), (0.5, 0.9)], caption: "path"))
        let svg = try map.svg()
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n") && svg.contains("data:image/png;base64,"))
        #expect(svg.contains(">u</text>") && svg.contains(">v</text>") && svg.contains("5 contour levels"))
        #expect(map.valueRange == (0, Double(2 * (n - 1) * (n - 1))))
    }
}
