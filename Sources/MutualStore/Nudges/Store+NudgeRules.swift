import FluentKit
import Foundation

extension Store {
    /// A programme's nudge rules, for its managers (defaults until one changes them).
    public func nudgeRules(for programmeID: UUID, of identity: Identity) async throws -> NudgeRules {
        _ = try await managedProgramme(id: programmeID, of: identity)
        return try await NudgeRulesRow.find(programmeID, on: try db())?.rules ?? .defaults
    }

    /// Saves a programme's nudge rules (managers only); day counts outside
    /// ``NudgeRules/dayRange`` are refused with the field named.
    @discardableResult
    public func updateNudgeRules(for programmeID: UUID, _ rules: NudgeRules, by identity: Identity) async throws -> NudgeRules {
        _ = try await managedProgramme(id: programmeID, of: identity)
        let checked = try rules.validated()
        let now = clock.now
        try await transaction { database in
            try await Self.lockRows(Programme.schema, where: "id", equals: programmeID, on: database)
            let row = try await NudgeRulesRow.find(programmeID, on: database) ?? NudgeRulesRow()
            guard row.id == nil || row.rules != checked else { return }
            row.id = programmeID
            row.organisationID = identity.organisationID
            row.apply(checked)
            row.updatedAt = now
            try await row.save(on: database)
            try await self.record(
                NewEvent(
                    .nudgeRulesChanged, organisationID: identity.organisationID, actor: identity.personID, subject: programmeID,
                    payload: [
                        "first_meeting": .bool(checked.firstMeeting), "first_meeting_days": .int(checked.firstMeetingDays),
                        "quiet": .bool(checked.quiet), "quiet_days": .int(checked.quietDays), "requests": .bool(checked.requests),
                        "agreement": .bool(checked.agreement), "agreement_days": .int(checked.agreementDays),
                        "milestones": .bool(checked.milestones), "close_silent": .bool(checked.closeSilent),
                    ]),
                on: database)
        }
        return checked
    }

    /// Every programme's rules (all organisations: the scan is the system's), defaults filled in.
    func allNudgeRules(on database: any Database) async throws -> [UUID: NudgeRules] {
        var rules: [UUID: NudgeRules] = [:]
        for programme in try await Programme.query(on: database).field(\.$id).all() { rules[try programme.requireID()] = .defaults }
        for row in try await NudgeRulesRow.query(on: database).all() { rules[try row.requireID()] = row.rules }
        return rules
    }
}
