import FormalLanguages
import Linalg

/// The FormalLanguages scenarios. Peer (greenery, pure Python): Benchmarks/peers_languages.py.
/// All three use the blow-up language `(a|b)*a(a|b)^7` (a at the 8th position from the end),
/// whose minimal DFA has 2^8 = 256 states.
let languageBenchRegex = "(a|b)*a(a|b)(a|b)(a|b)(a|b)(a|b)(a|b)(a|b)"

var languageBenchScenarios: [BenchScenario] { [
    BenchScenario(name: "lang-dfa-blowup", summary: "regex -> minimal DFA for (a|b)*a(a|b)^7, 256 states (peer: greenery parse/to_fsm/reduce)",
                  flops: 0) {
        let sink = LangSink()
        return { sink.value = try! RegularLanguage(regex: languageBenchRegex).dfa.stateCount }
    },
    BenchScenario(name: "lang-count-1000", summary: "exact member counts of lengths 0...1000 on the 256-state DFA (peer: Python-int DP on greenery's map)",
                  flops: 0) {
        let dfa = try! RegularLanguage(regex: languageBenchRegex).dfa
        let sink = LangSink()
        return { sink.value = dfa.memberCounts(maxLength: 1000)[1000].bitWidth }
    },
    BenchScenario(name: "lang-sample-1e6", summary: "path counts then 10^6 uniform members of length 20 from the 256-state DFA (peer: same in Python)",
                  flops: 0) {
        let dfa = try! RegularLanguage(regex: languageBenchRegex).dfa
        let sink = LangSink()
        return {
            let sampler = UniformSampler(dfa, maxLength: 20)
            let strings = sampler.sampleBatch(length: 20, count: 1_000_000, using: RandomSource(seed: 3))!
            sink.value = Int(strings[123_457])
        }
    },
] }

/// Keeps a benchmark's result alive so the work is not optimized away.
final class LangSink: @unchecked Sendable { var value = 0 }
