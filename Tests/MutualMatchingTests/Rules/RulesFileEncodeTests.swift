import Testing
@testable import MutualMatching

@Suite("Rules file encoding")
struct RulesFileEncodeTests {
    @Test("encoding then decoding gives the same rules, for every model's defaults and a changed set", arguments: MatchModel.allCases)
    func roundTrip(model: MatchModel) throws {
        var changed = MatchRules.defaults(for: model)
        changed.levelWindow = nil
        changed.minimumOverlapHours = 4
        changed.history = .penalise
        changed.historyPenaltyPercent = 35
        changed.oddOneOut = .triad
        changed.skillFamilies = [SkillFamily(name: "data", skills: ["SQL", "Python"])]
        changed.setCriterion(.language, .init(prefer: .similar, weight: 40))
        for rules in [MatchRules.defaults(for: model), changed] {
            let text = RulesFile.encodeText(rules)
            // Decoded under any model: the document names every key, so the model's defaults do not leak in.
            for other in MatchModel.allCases {
                #expect(try RulesFile.decode(text, model: other) == rules)
            }
            #expect(RulesFile.encodeText(try RulesFile.decode(text, model: model)) == text)
        }
    }

    @Test("the document names every top-level key the decoder knows")
    func everyKey() {
        guard case .object(let members) = RulesFile.encode(.defaults(for: .pairs)) else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.0).sorted() == RulesFile.topLevelKeys.sorted())
    }
}
