import BigInt
import FormalLanguages
import Linalg
import PropertyBased
import Testing

/// Random DFA families: as many distinct, non-trivial languages of a given size as asked.
@Suite struct RandomDFAFamilyTests {
    @Test func languagesAreDistinctNonTrivialAndOfTheAskedSize() async {
        await propertyCheck(count: 40, input: Gen.uint64()) { seed in
            let random = RandomSource(seed: seed)
            let states = random.int(in: 2...8), size = random.int(in: 2...3)
            let lo = random.int(in: 0...3), lengths = lo...(lo + random.int(in: 2...4))
            let family = try! RandomDFAFamily(states: states, alphabetSize: size, lengths: lengths, seed: seed)
            let languages = try! family.languages(count: 20)
            #expect(languages.count == 20)
            let strings = lengths.flatMap { allStrings(size: size, length: $0) }
            var seen = Set<[Bool]>()
            for dfa in languages {
                #expect(dfa.stateCount == states && dfa.isMinimal, "seed \(seed)")
                let labels = strings.map { dfa.accepts($0) }
                #expect(labels.contains(true) && labels.contains(false), "seed \(seed): trivial on \(lengths)")
                #expect(seen.insert(labels).inserted, "seed \(seed): two languages agree on every string of length in \(lengths)")
            }
            #expect(try! family.languages(count: 20) == languages, "seed \(seed): not reproducible")
        }
    }

    @Test func exhaustionAndBadParameters() {
        // One state: the only languages are the empty one and everything, both trivial.
        #expect(throws: FormalLanguageError.familyExhausted(found: 0, wanted: 1, attempts: 1000)) {
            try RandomDFAFamily(states: 1, alphabetSize: 2, lengths: 0...3, seed: 1).languages(count: 1)
        }
        // Two symbols, lengths 0...1: 2^3 = 8 possible restrictions, 6 non-trivial.
        #expect(throws: FormalLanguageError.self) {
            try RandomDFAFamily(states: 2, alphabetSize: 2, lengths: 0...1, seed: 1).languages(count: 7, maxAttempts: 5000)
        }
        #expect(throws: FormalLanguageError.outOfRange(name: "states", value: "0", accepted: "in 1...4096")) {
            try RandomDFAFamily(states: 0, alphabetSize: 2, lengths: 0...3, seed: 1)
        }
    }
}
