import MutualMatching
import Testing

@Suite("Rules file")
struct RulesFileTests {
    @Test("an empty object gives the model's defaults")
    func defaults() throws {
        #expect(try RulesFile.decode("{}", model: .pairs) == MatchRules.defaults(for: .pairs))
        #expect(try RulesFile.decode("{}", model: .mentoring).levelWindow == nil)
    }

    @Test("every documented key is read")
    func fullFile() throws {
        let rules = try RulesFile.decode("""
            {
              "level_window": null, "shared_language": false, "min_overlap_hours": 3,
              "working_hours": {"start": 8, "end": 16}, "forbid_reporting_line": false,
              "honour_exclusions": false, "history": {"mode": "penalise", "penalty_percent": 40},
              "reciprocity": 100,
              "teaching": {"gap_values": [100, 80], "related_credit_percent": 50, "skills_counted": 2},
              "skill_families": {"data": ["SQL", "Python"]},
              "criteria": {"company": {"prefer": "different", "weight": 20}},
              "odd_one_out": "triad", "candidates_per_person": 12, "default_capacity": 2
            }
            """, model: .pairs)
        #expect(rules.levelWindow == nil)
        #expect(!rules.requireSharedLanguage)
        #expect(rules.minimumOverlapHours == 3)
        #expect(rules.workingHoursStart == 8 && rules.workingHoursEnd == 16)
        #expect(rules.history == .penalise && rules.historyPenaltyPercent == 40)
        #expect(rules.reciprocity == 100)
        #expect(rules.gapValues == [100, 80])
        #expect(rules.gapValue(5) == 80)
        #expect(rules.relatedCreditPercent == 50)
        #expect(rules.skillFamilies == [SkillFamily(name: "data", skills: ["python", "sql"])])
        #expect(rules.criterion(.company) == MatchRules.Criterion(prefer: .different, weight: 20))
        #expect(rules.criterion(.department) == MatchRules.defaults(for: .pairs).criterion(.department))
        #expect(rules.oddOneOut == .triad)
        #expect(rules.candidatesPerPerson == 12)
        #expect(rules.defaultCapacity == 2)
    }

    @Test("a misspelt key is an error that suggests the right one")
    func typoSuggestion() {
        do {
            _ = try RulesFile.decode(#"{"level_windw": 2}"#, model: .pairs)
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "level_windw")
            #expect(error.description.contains("did you mean \"level_window\""))
        }
    }

    @Test("a misspelt nested key names its full path")
    func nestedTypo() {
        do {
            _ = try RulesFile.decode(#"{"criteria": {"departmnt": {"prefer": "similar"}}}"#, model: .pairs)
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "criteria.departmnt")
            #expect(error.reason.contains("department"))
        }
    }

    @Test("wrong types, ranges and choices are errors naming the key")
    func valueErrors() {
        let cases: [(String, String)] = [
            (#"{"reciprocity": "high"}"#, "reciprocity"),
            (#"{"reciprocity": 101}"#, "reciprocity"),
            (#"{"shared_language": 1}"#, "shared_language"),
            (#"{"criteria": {"level": {"prefer": "simlar"}}}"#, "criteria.level.prefer"),
            (#"{"odd_one_out": "drop"}"#, "odd_one_out"),
            (#"{"working_hours": {"start": 17, "end": 9}}"#, "working_hours"),
            (#"{"skill_families": {"a": ["SQL"], "b": ["sql"]}}"#, "skill_families.b"),
            (#"{"teaching": {"gap_values": []}}"#, "teaching.gap_values"),
        ]
        for (text, path) in cases {
            do {
                _ = try RulesFile.decode(text, model: .pairs)
                Issue.record("expected an error for \(text)")
            } catch {
                #expect(error.path == path, "\(text)")
            }
        }
    }

    @Test("invalid JSON reports line and column")
    func syntaxError() {
        do {
            _ = try RulesFile.decode("{\n  \"reciprocity\": 50,\n}", model: .pairs)
            Issue.record("expected an error")
        } catch {
            #expect(error.reason.contains("line 3"))
        }
    }
}
