import FluentKit
import Foundation
import MutualMatching

/// A programme's matching rules as the rules editor and the API show them.
public struct ProgrammeRules: Sendable, Equatable {
    public let programmeID: UUID
    public let model: ProgrammeModel
    public let rules: MatchRules
    /// Whether the programme still uses its model's defaults (nothing saved yet).
    public let isDefault: Bool
    /// The complete rules-file document (``RulesFile/encodeText(_:)``).
    public var document: String { RulesFile.encodeText(rules) }
}

/// What a set of rules would do to the programme's current pool, without saving anything.
public struct RulesEffect: Sendable, Equatable {
    /// Everyone enrolled.
    public let enrolled: Int
    /// The people the next run would see: the enrolled minus those already in a pending match
    /// or an open relationship.
    public let pool: Int
    /// How many of the pool the engine's quick preview matches under the rules (the full run is
    /// exact, so it matches at least as well by score; the count is usually the same).
    public let matched: Int
    /// People in the pool with no allowed partner who has anything to teach or learn with them.
    public let withoutPartner: Int
    /// Whether the count comes from a pairs preview although the programme forms groups.
    public let previewedAsPairs: Bool
}

extension Store {
    /// The programme's rules (its model's defaults until a manager saves some).
    public func programmeRules(programmeID: UUID, by identity: Identity) async throws -> ProgrammeRules {
        let programme = try await managedProgramme(id: programmeID, of: identity)
        return ProgrammeRules(
            programmeID: programmeID, model: programme.model, rules: try Self.rules(of: programme), isDefault: programme.matchingRules.isEmpty)
    }

    /// Checks a rules document (the rules-file JSON; keys left out keep the model's defaults)
    /// and returns the rules, or says which key is wrong and how to fix it.
    public func checkRules(_ document: String, programmeID: UUID, by identity: Identity) async throws -> MatchRules {
        let programme = try await managedProgramme(id: programmeID, of: identity)
        return try Self.decodeRules(document, model: programme.model)
    }

    /// Saves the programme's rules (as a complete document, so later changes to the defaults do
    /// not change them). Runs started afterwards use them and record them.
    @discardableResult
    public func setProgrammeRules(_ rules: MatchRules, programmeID: UUID, by identity: Identity) async throws -> ProgrammeRules {
        let programme = try await managedProgramme(id: programmeID, of: identity)
        programme.matchingRules = RulesFile.encodeText(rules)
        programme.updatedAt = clock.now
        try await transaction { database in
            try await programme.save(on: database)
            try await self.record(
                NewEvent(.programmeRulesChanged, organisationID: identity.organisationID, actor: identity.personID, subject: programmeID),
                on: database)
        }
        return ProgrammeRules(programmeID: programmeID, model: programme.model, rules: rules, isDefault: false)
    }

    /// What the rules would do to the programme's current pool: the engine's quick preview over
    /// the people the next run would see, with the same history. Nothing is saved.
    public func rulesEffect(_ rules: MatchRules, programmeID: UUID, by identity: Identity) async throws -> RulesEffect {
        let programme = try await managedProgramme(id: programmeID, of: identity)
        let enrolled = try await Enrolment.query(on: try db()).filter(\.$programmeID == programmeID).count()
        let people = try await matchingPeople(of: programme)
        let model = Self.engineModel(programme.model)
        guard people.count >= 2 else {
            return RulesEffect(enrolled: enrolled, pool: people.count, matched: 0, withoutPartner: people.count, previewedAsPairs: model == nil)
        }
        let history = try await previousPairs(in: programmeID)
        let options = MatchOptions(model: model ?? .pairs, preview: true, seed: 1)
        let result = await MatchEngine.run(people: people, rules: rules, history: history, options: options)
        let withoutPartner = result.unmatched.filter { $0.reason.hasPrefix("no feasible") || $0.reason.hasPrefix("capacity:") && $0.reason.contains("capacity 0") }.count
        return RulesEffect(
            enrolled: enrolled, pool: people.count, matched: result.matchedCount, withoutPartner: withoutPartner, previewedAsPairs: model == nil)
    }

    // MARK: Helpers

    /// The engine model whose defaults a programme's rules start from (groups use the pair rules).
    static func rulesModel(_ model: ProgrammeModel) -> MatchModel { engineModel(model) ?? .pairs }

    /// The programme's rules: the saved document, or the model's defaults.
    static func rules(of programme: Programme) throws -> MatchRules {
        guard !programme.matchingRules.isEmpty else { return MatchRules.defaults(for: rulesModel(programme.model)) }
        return try decodeRules(programme.matchingRules, model: programme.model)
    }

    /// The one reading of a rules document (a programme's, a run's, or one sent to be checked),
    /// with the failing key named in the error.
    static func decodeRules(_ document: String, model: ProgrammeModel) throws -> MatchRules {
        do {
            return try RulesFile.decode(document, model: rulesModel(model))
        } catch {
            let field = error.path.isEmpty ? "rules" : error.path
            throw StoreError.invalid(field: field, message: "The rules are not valid: \(error.path.isEmpty ? "" : "\(error.path): ")\(error.reason). Fix that value and send the rules again.")
        }
    }

    /// The rules a run recorded (the defaults for runs made before rules were recorded). A run
    /// is reproduced from these and its seed, whatever the programme's rules are now.
    static func runRules(of run: MatchRun) throws -> MatchRules {
        guard !run.rules.isEmpty else { return MatchRules.defaults(for: rulesModel(run.model)) }
        return try decodeRules(run.rules, model: run.model)
    }
}
