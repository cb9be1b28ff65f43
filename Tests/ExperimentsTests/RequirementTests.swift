import Experiments
import Testing

/// The `--require` grammar: `KEY OP NUMBER|KEY|NUMBER*KEY`, checked at its boundaries.
@Suite struct RequirementTests {
    let values: [String: Double] = ["trainedLoss": 1.01, "constructionLoss": 1.0, "modelCos": 0.99, "predsDiff": 0.2]

    @Test func boundariesOfEachRelation() throws {
        let cases: [(String, Bool)] = [
            ("modelCos>=0.99", true), ("modelCos>0.99", false), ("modelCos<=0.99", true), ("modelCos<0.99", false),
            ("trainedLoss<=1.02*constructionLoss", true), ("trainedLoss<=1.005*constructionLoss", false),
            ("trainedLoss >= constructionLoss", true), ("predsDiff<0.2", false), ("predsDiff<=2e-1", true),
        ]
        for (text, holds) in cases {
            let result = try Requirement(parsing: text).check(values)
            #expect(result.holds == holds, "\(text): \(result)")
        }
        let scaled = try Requirement(parsing: "trainedLoss<=1.02*constructionLoss").check(values)
        #expect(scaled.value == 1.01 && scaled.bound == 1.02)
    }

    @Test func mistakesNameTheKeysOrTheForm() {
        for (text, message) in [("modelcos>=0.99", "unknown key 'modelcos'; the keys are trainedLoss"), ("modelCos=0.99", "has no relation"),
                                ("trainedLoss<=2*gdLoss", "unknown key 'gdLoss'"), ("modelCos>=inf", "is not a finite number"),
                                ("modelCos>=1*2*modelCos", "the bound is NUMBER, KEY or NUMBER*KEY"), ("modelCos>=", "'' is not a finite number")] {
            do { _ = try Requirement(parsing: text); Issue.record("\(text) parsed") } catch {
                #expect(error.description.contains(message), "\(text): \(error)")
            }
        }
    }
}
