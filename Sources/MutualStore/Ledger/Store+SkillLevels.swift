import FluentKit
import Foundation

extension Store {
    /// The highest current level a want may have; beyond it the skill is a strength.
    public static let highestWantLevel = 4

    /// Raises the caller's current level in a skill they want to learn ("SQL: 2 → 3"), named as
    /// the profile editor accepts it, and keeps the change with its date. Only upward, only for
    /// a want; `meetingID` ties the growth to a meeting of one of the caller's relationships.
    @discardableResult
    public func raiseSkillLevel(
        _ skillText: String, to level: Int, afterMeeting meetingID: UUID? = nil, by identity: Identity
    ) async throws -> SkillLevelChangeView {
        let skillName = try InputRules.requiredText(skillText, field: "skill", label: "the skill", maxLength: TextLimits.skillName)
        if let meetingID {
            let (_, members) = try await scopedMeeting(id: meetingID, of: identity)
            guard members.contains(where: { $0.personID == identity.personID }) else {
                throw StoreError.forbidden(message: "You can tie your growth only to a meeting of your own relationships.")
            }
        }
        let resolver = try await skillResolver(for: identity.organisationID)
        guard let skillID = resolver.existingSkillID(for: skillName) else {
            throw StoreError.invalid(
                field: "skill",
                message: "“\(skillName)” is not a skill in your organisation's taxonomy. Use a skill's name, slug or alias as the profile editor accepts it.")
        }
        let displayName = resolver.name(of: skillID) ?? skillName
        guard level <= Self.highestWantLevel else {
            throw StoreError.invalid(
                field: "level",
                message: "The level of a skill you are learning goes up to \(Self.highestWantLevel). If you can now teach \(displayName), add it to your strengths on your profile.")
        }
        let personID = identity.personID
        let organisationID = identity.organisationID
        let now = clock.now
        let changeID = UUID()
        try await transaction { database in
            // Read and raise under the person's lock, as the profile editor writes them.
            try await Self.lockRows(Person.schema, where: "id", equals: personID, on: database)
            guard let want = try await PersonSkill.query(on: database).filter(\.$personID == personID)
                .filter(\.$skillID == skillID).filter(\.$kind == .want).first()
            else {
                throw StoreError.invalid(
                    field: "skill",
                    message: "\(displayName) is not among the skills you want to learn, so there is no learning level to raise. Add it to your wants on your profile first.")
            }
            guard level > want.level else {
                throw StoreError.invalid(
                    field: "level",
                    message: "Your level in \(displayName) is already \(want.level). Choose a higher level (up to \(Self.highestWantLevel)); levels only go up here, and your profile is where to correct one.")
            }
            let change = SkillLevelChange()
            change.id = changeID
            change.organisationID = organisationID
            change.personID = personID
            change.skillID = skillID
            change.fromLevel = want.level
            change.toLevel = level
            change.changedAt = now
            change.meetingID = meetingID
            want.level = level
            try await want.save(on: database)
            try await change.create(on: database)
            var payload: [String: EventValue] = ["skill_id": .id(skillID), "from": .int(change.fromLevel), "to": .int(level)]
            if let meetingID { payload["meeting_id"] = .id(meetingID) }
            try await self.record(
                NewEvent(.skillLevelRaised, organisationID: organisationID, actor: personID, subject: personID, payload: payload), on: database)
        }
        let stored = try await SkillLevelChange.query(on: try db()).filter(\.$id == changeID).all()
        guard let view = try await levelChangeViews(stored, on: try db()).first else {
            throw StoreError.unavailable
        }
        return view
    }

    /// A person's raised levels, newest first, for anyone in their organisation (levels are on
    /// the profile anyway).
    public func skillLevelChanges(personID: UUID, of identity: Identity) async throws -> [SkillLevelChangeView] {
        _ = try await scopedPerson(id: personID, of: identity)
        let rows = try await SkillLevelChange.query(on: try db()).filter(\.$personID == personID).all()
        return try await levelChangeViews(rows, on: try db())
    }

    /// The raised levels tied to any of these meetings, newest first.
    func skillLevelChanges(meetingIDs: [UUID], on database: any Database) async throws -> [SkillLevelChangeView] {
        var rows: [SkillLevelChange] = []
        for slice in meetingIDs.queryBatches() {
            rows += try await SkillLevelChange.query(on: database).filter(\.$meetingID ~~ slice.map { Optional($0) }).all()
        }
        return try await levelChangeViews(rows, on: database)
    }

    private func levelChangeViews(_ rows: [SkillLevelChange], on database: any Database) async throws -> [SkillLevelChangeView] {
        let skills = try await names(ofSkills: Set(rows.map(\.skillID)), on: database)
        let people = try await names(ofPeople: Set(rows.map(\.personID)), on: database)
        return try rows.map { row in
            SkillLevelChangeView(
                id: try row.requireID(), personID: row.personID, name: people[row.personID] ?? "Someone who left", skillID: row.skillID,
                skill: skills[row.skillID] ?? "A removed skill", fromLevel: row.fromLevel, toLevel: row.toLevel, changedAt: row.changedAt,
                meetingID: row.meetingID)
        }
        .sorted { ($0.changedAt, $0.id.uuidString) > ($1.changedAt, $1.id.uuidString) }
    }
}

extension Store {
    /// The names of the organisation's skills, for the skill inputs' suggestions.
    public func skillNames(of identity: Identity) async throws -> [String] {
        try await Skill.query(on: try db()).filter(\.$organisationID == identity.organisationID).all().map(\.name)
            .sorted { $0.lowercased() < $1.lowercased() }
    }
}
