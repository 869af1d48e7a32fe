import FluentKit
import Foundation

/// What deactivating a person does, in the transaction of the SCIM request that asked for it.
extension Store {
    /// Deactivates `person` (SCIM `active: false`): they leave every programme's pool (their
    /// enrolments are withdrawn, one `enrolment.withdrawn` per programme), each of their active
    /// relationships is paused (`relationship.paused` with `deactivated_person_id`, which emails
    /// the other members), matches waiting for their answer are declined for them
    /// (`match.declined` with `deactivated_person_id`, which tells the others), their sessions
    /// and API tokens end, and `person.deactivated` is
    /// recorded. All on `database`, the caller's transaction, so it happens whole or not at all.
    func deactivate(_ person: Person, on database: any Database) async throws {
        let personID = try person.requireID()
        let organisationID = person.organisationID
        let now = clock.now
        person.deactivatedAt = now
        person.updatedAt = now
        try await person.save(on: database)

        let enrolments = try await Enrolment.query(on: database).filter(\.$organisationID == organisationID).filter(\.$personID == personID).all()
        let programmes = Set(enrolments.map(\.programmeID)).sorted { $0.uuidString < $1.uuidString }
        try await Enrolment.query(on: database).filter(\.$organisationID == organisationID).filter(\.$personID == personID).delete()
        for programmeID in programmes {
            try await record(
                NewEvent(.enrolmentWithdrawn, organisationID: organisationID, actor: nil, subject: programmeID, payload: ["people": .ids([personID])]),
                on: database)
        }

        let relationshipIDs = try await RelationshipMember.query(on: database).filter(\.$personID == personID).all().map(\.relationshipID)
        var paused = 0
        if !relationshipIDs.isEmpty {
            let active = try await Relationship.query(on: database).filter(\.$organisationID == organisationID)
                .filter(\.$id ~~ relationshipIDs).filter(\.$status == .active).all()
            for relationship in active {
                relationship.status = .paused
                try await relationship.save(on: database)
                try await record(
                    NewEvent(
                        .relationshipPaused, organisationID: organisationID, actor: nil, subject: try relationship.requireID(),
                        payload: [
                            "from": .string(Relationship.Status.active.rawValue), "to": .string(Relationship.Status.paused.rawValue),
                            "deactivated_person_id": .id(personID),
                        ]),
                    on: database)
                paused += 1
            }
        }

        // Matches waiting for their answer are declined for them, so the others are not left
        // waiting for someone who has gone (and are told, by `match.declined`).
        let waiting = try await MatchMember.query(on: database).filter(\.$organisationID == organisationID)
            .filter(\.$personID == personID).filter(\.$response == .pending).all()
        var declined = 0
        for member in waiting {
            guard let match = try await PublishedMatch.find(member.matchID, on: database), match.status == .pending else { continue }
            member.response = .declined
            member.reason = ""
            member.respondedAt = now
            try await member.save(on: database)
            match.status = .declined
            try await match.save(on: database)
            try await record(
                NewEvent(
                    .matchDeclined, organisationID: organisationID, actor: nil, subject: member.matchID,
                    payload: [
                        "programme_id": .id(match.programmeID), "match_status": .string(match.status.rawValue), "deactivated_person_id": .id(personID),
                    ]),
                on: database)
            declined += 1
        }

        // Whoever is signed in as them is signed out, and their scripts stop, at once.
        let accountIDs = try await Account.query(on: database).filter(\.$personID == personID).all().compactMap(\.id)
        if !accountIDs.isEmpty {
            try await Session.query(on: database).filter(\.$accountID ~~ accountIDs).delete()
            try await APIToken.query(on: database).filter(\.$accountID ~~ accountIDs).delete()
        }
        try await record(
            NewEvent(
                .personDeactivated, organisationID: organisationID, actor: nil, subject: personID,
                payload: ["programmes": .ids(programmes), "relationships_paused": .int(paused), "matches_declined": .int(declined)]),
            on: database)
    }

    /// Makes a deactivated person active again: they can sign in. Their enrolments and paused
    /// relationships are not restored: rejoining a programme is their (or a manager's) choice,
    /// and a paused relationship is resumed by its members.
    func reactivate(_ person: Person, on database: any Database) async throws {
        let now = clock.now
        person.deactivatedAt = nil
        person.updatedAt = now
        try await person.save(on: database)
        try await record(
            NewEvent(.personReactivated, organisationID: person.organisationID, actor: nil, subject: try person.requireID()), on: database)
    }
}
