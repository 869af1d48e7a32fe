import FluentKit
import Foundation

/// What happens after the agreement, for the demo: the demo participant's own relationship
/// (signed, with past meetings and one coming up) and a realistic spread among the others —
/// some thriving, some stalled, one one-sided — so the relationship pages, the ledger and the
/// needs-attention list are never empty.
///
/// The history is written as rows dated in the past, without events: it did not happen now,
/// so nobody is emailed invitations to meetings that took place weeks ago.
enum DemoRelationshipLife {
    /// How each of the other open relationships is doing, by its position in the organisation's list.
    enum Shape: CaseIterable {
        case thriving, stalled, oneSided
    }

    /// Days before today of the past meetings of a thriving (or one-sided) relationship.
    static let pastMeetingDays = [42, 28, 14]
}

extension Store {
    /// Runs after `loadDemoProgrammes`: see `DemoRelationshipLife`.
    func loadDemoRelationshipLife(admin: Identity) async throws {
        let database = try db()
        var open = try await Relationship.query(on: database).filter(\.$organisationID == admin.organisationID)
            .filter(\.$status == .active).sort(\.$startedAt).all()
        if let own = try await openDemoParticipantRelationship(admin: admin) {
            try await backdate(own, days: 49)
            try await signDemoAgreement(own)
            for days in DemoRelationshipLife.pastMeetingDays {
                try await demoMeeting(own, daysFromNow: -days, agenda: "1. What each of us tried since last time\n2. One skill each, taught by whoever is ahead\n3. Next step for each")
            }
            try await demoMeeting(own, daysFromNow: 5, agenda: "1. Review: the dashboard Ana built\n2. Stakeholder interviews: a role play\n3. Next step for each")
            open.removeAll { $0.id == own.id }
        }
        for (index, relationship) in open.enumerated() {
            let shape = DemoRelationshipLife.Shape.allCases[index % DemoRelationshipLife.Shape.allCases.count]
            switch shape {
            case .thriving, .oneSided:
                try await backdate(relationship, days: 56)
                for days in DemoRelationshipLife.pastMeetingDays { try await demoMeeting(relationship, daysFromNow: -days, agenda: "") }
                if shape == .thriving { try await demoMeeting(relationship, daysFromNow: 7, agenda: "") }
            case .stalled:
                // Opened weeks ago and never met: what the needs-attention list is for.
                try await backdate(relationship, days: 40)
            }
        }
    }

    /// Enrols the demo participant in the buddies programme and opens a relationship with a
    /// free buddy there (one who can teach her something she wants, when there is one).
    private func openDemoParticipantRelationship(admin: Identity) async throws -> Relationship? {
        let database = try db()
        guard
            let ana = try await Person.query(on: database).filter(\.$organisationID == admin.organisationID)
                .filter(\.$email == DemoOrganisation.participantEmail).first(),
            let programme = try await Programme.query(on: database).filter(\.$organisationID == admin.organisationID)
                .filter(\.$model == .buddies).first()
        else { return nil }
        let anaID = try ana.requireID()
        let programmeID = try programme.requireID()
        _ = try await enrol(personIDs: [anaID], in: programmeID, by: admin)
        let busy = try await busyPeople(in: programmeID, on: database)
        let enrolled = try await Enrolment.query(on: database).filter(\.$programmeID == programmeID).all().map(\.personID)
        let free = enrolled.filter { $0 != anaID && !busy.contains($0) }
        let anaWants = Set(try await PersonSkill.query(on: database).filter(\.$personID == anaID).filter(\.$kind == .want).all().map(\.skillID))
        var best: UUID? = free.first
        for candidate in free {
            let strengths = try await PersonSkill.query(on: database).filter(\.$personID == candidate).filter(\.$kind == .strength).all().map(\.skillID)
            if !anaWants.isDisjoint(with: strengths) {
                best = candidate
                break
            }
        }
        guard let partner = best else { return nil }
        return try await transaction { transaction in
            try await self.openRelationship(programme: programme, matchID: nil, memberIDs: [anaID, partner], actor: admin.personID, on: transaction)
        }
    }

    private func backdate(_ relationship: Relationship, days: Int) async throws {
        relationship.startedAt = clock.now.addingTimeInterval(-TimeInterval(days * 86_400))
        try await relationship.save(on: try db())
    }

    private func signDemoAgreement(_ relationship: Relationship) async throws {
        let database = try db()
        relationship.vision = "Each of us leaves the cycle able to do one thing we could not do before, taught by the other."
        relationship.cadence = "45 minutes, video, mornings"
        relationship.cadenceInterval = MeetingCadence.Interval.fortnightly.rawValue
        relationship.cadenceDays = 0
        relationship.boundaries = "No performance reviews or pay."
        relationship.confidentiality = "What we share about our teams stays between us."
        relationship.agreementVersion = 2
        relationship.agreementUpdatedAt = relationship.startedAt.addingTimeInterval(2 * 86_400)
        try await relationship.save(on: database)
        for member in try await RelationshipMember.query(on: database).filter(\.$relationshipID == relationship.requireID()).all() {
            member.signedVersion = 2
            member.signedAt = relationship.agreementUpdatedAt
            try await member.save(on: database)
        }
    }

    /// A meeting at 10:00 in the first member's time zone, `daysFromNow` days away (negative: past).
    private func demoMeeting(_ relationship: Relationship, daysFromNow: Int, agenda: String) async throws {
        let database = try db()
        let relationshipID = try relationship.requireID()
        let first = try await RelationshipMember.query(on: database).filter(\.$relationshipID == relationshipID).sort(\.$position).first()
        let zone = try await timeZone(ofPerson: first?.personID ?? UUID())
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let day = calendar.date(byAdding: .day, value: daysFromNow, to: clock.now) ?? clock.now
        let start = calendar.date(bySettingHour: 10, minute: 0, second: 0, of: day) ?? day
        let meeting = Meeting()
        meeting.organisationID = relationship.organisationID
        meeting.relationshipID = relationshipID
        meeting.startsAt = start
        meeting.durationMinutes = 45
        meeting.place = "https://meet.example/\(relationshipID.uuidString.prefix(8).lowercased())"
        meeting.agenda = agenda
        meeting.status = .scheduled
        meeting.cancelNote = ""
        meeting.sequence = 0
        meeting.createdBy = first?.personID
        meeting.createdAt = min(clock.now, start.addingTimeInterval(-7 * 86_400))
        meeting.updatedAt = meeting.createdAt
        try await meeting.create(on: database)
    }
}
