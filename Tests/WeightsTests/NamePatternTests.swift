import Testing
import Weights

/// `--map` patterns: `{k}` and `{h}` match decimal numbers only, and fill back in.
@Suite struct NamePatternTests {
    @Test func matchesNumbersOnly() throws {
        let p = try #require(NamePattern("blocks.{k}.attn.{h}.wq"))
        #expect(p.match("blocks.12.attn.3.wq")! == (12, 3))
        #expect(p.match("blocks.x.attn.3.wq") == nil)
        #expect(p.match("blocks..attn.3.wq") == nil)
        #expect(p.match("blocks.1.attn.3.wq.extra") == nil)
        #expect(p.match("blocks.1.attn.3") == nil)
        #expect(NamePattern("layers.{k}.heads.{h}.W_Q")!.filled(layer: 12, head: 3) == "layers.12.heads.3.W_Q")
        #expect(NamePattern("w.{k}.{k}")!.match("w.1.2") == nil && NamePattern("w.{k}.{k}")!.match("w.2.2")! == (2, nil))
    }

    @Test func refusesUnknownOrAdjacentPlaceholders() {
        #expect(NamePattern("a.{x}") == nil)
        #expect(NamePattern("a.{k}{h}") == nil)
        #expect(NamePattern("a.{k") == nil)
        #expect(NamePattern("a.{k}.{h}") != nil)
    }
}
