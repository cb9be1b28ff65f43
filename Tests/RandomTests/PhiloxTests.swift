import Foundation
import Testing
import Random

/// Philox4x32-10 against Random123's known-answer vectors, and the streams built on it.
@Suite struct PhiloxTests {
    /// `kat_vectors` of Random123 (counter, key, output).
    @Test(arguments: [
        ([0x0000_0000, 0x0000_0000, 0x0000_0000, 0x0000_0000] as [UInt32], [0x0000_0000, 0x0000_0000] as [UInt32],
         [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8] as [UInt32]),
        ([0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff], [0xffff_ffff, 0xffff_ffff],
         [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd]),
        ([0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344], [0xa409_3822, 0x299f_31d0],
         [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1]),
    ])
    func knownAnswers(counter: [UInt32], key: [UInt32], expected: [UInt32]) {
        let out = Philox.block(counter: SIMD4(counter[0], counter[1], counter[2], counter[3]), key: SIMD2(key[0], key[1]))
        #expect([out[0], out[1], out[2], out[3]] == expected)
    }

    /// Four blocks at once are four single blocks (including a counter that wraps around).
    @Test func fourBlocksAreFourBlocks() {
        for first: UInt32 in [0, 17, 0xffff_fffe] {
            let key = SIMD2<UInt32>(0x1234_5678, 0x9abc_def0)
            let (a, b, c, d) = Philox.blocks(first: first, 5, 6, 7, key: key)
            for j in 0..<4 {
                let single = Philox.block(counter: SIMD4(first &+ UInt32(j), 5, 6, 7), key: key)
                #expect(SIMD4(a[j], b[j], c[j], d[j]) == single)
            }
        }
    }

    /// Word `k` of a stream is word `k mod 4` of block `k / 4` with counter `(k/4, item, step, purpose)`.
    @Test func streamWordsAreAddressable() {
        let seed: UInt64 = 0x0123_4567_89ab_cdef
        var stream = PhiloxStream(seed: seed, purpose: .validation, step: 42, item: 9)
        let key = SIMD2<UInt32>(0x89ab_cdef, 0x0123_4567)
        for k in 0..<70 {
            let block = Philox.block(counter: SIMD4(UInt32(k / 4), 9, 42, PhiloxStream.Purpose.validation.rawValue), key: key)
            #expect(stream.nextWord() == block[k % 4], "word \(k)")
        }
    }

    /// Uniforms lie in (0, 1); normals have mean 0 and variance 1 within 5 standard errors
    /// (a fixed stream, so the test is deterministic); truncated normals stay in [-2, 2].
    @Test func drawsHaveTheirDistributions() {
        var stream = PhiloxStream(seed: 7, purpose: .test, step: 0, item: 0)
        let n = 200_000
        var u = [Double](), z = [Double]()
        for _ in 0..<n { u.append(stream.uniform()) }
        for _ in 0..<n { z.append(stream.gaussian()) }
        #expect(u.allSatisfy { $0 > 0 && $0 < 1 })
        let mu = u.reduce(0, +) / Double(n)
        #expect(abs(mu - 0.5) <= 5 * (1.0 / 12 / Double(n)).squareRoot())
        let mz = z.reduce(0, +) / Double(n), vz = z.reduce(0) { $0 + $1 * $1 } / Double(n) - mz * mz
        #expect(abs(mz) <= 5 / Double(n).squareRoot())
        #expect(abs(vz - 1) <= 5 * (2.0 / Double(n)).squareRoot())
        for _ in 0..<10_000 { #expect(abs(stream.truncatedGaussian()) <= 2) }
    }
}
