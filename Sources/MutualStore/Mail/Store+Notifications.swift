import FluentKit
import Foundation

extension Store {
    /// The notification consumer: turns an event into the emails it causes, one job per
    /// recipient. Idempotent: each message's job has the event and the recipient as its unique
    /// key, so consuming an event twice queues nothing new.
    func consumeForNotifications(_ job: ClaimedJob) async throws -> JobOutcome {
        let payload = try job.decode(EventJob.self)
        guard let event = try await event(id: payload.eventID), let type = EventType(rawValue: event.type) else { return .finished }
        if type == .messagePosted {
            try await queueMessageDigests(for: event)
            return .finished
        }
        let eventKey = payload.eventID.uuidString.lowercased()
        let messages = try await notifications(for: type, event: event)
        guard !messages.isEmpty else { return .finished }
        try await transaction { database in
            for var message in messages {
                if let invite = message.inviteFirst, let person = try await Person.find(invite.personID, on: database),
                    let invited = try await self.invitationLink(
                        for: person, email: message.recipient.email, invitedBy: invite.invitedBy, actor: event.actorPersonID,
                        programmeID: nil, on: database)
                {
                    // Someone without an account gets an invitation link instead of a sign-in
                    // page they cannot pass; the reminder follows as for any invitation.
                    message.values["link"] = invited.link
                    message.values["invited"] = true
                    message.values["action"] = "Join Mutual and answer"
                    if let issued = invited.issued { try await self.queueInvitationReminder(issued.invitation, on: database) }
                }
                try await self.queueEmail(
                    template: message.template, category: message.category, to: message.recipient, organisationID: event.organisationID,
                    values: message.values, attachments: message.attachments,
                    uniqueKey: "email:\(eventKey):\(message.recipient.email.lowercased())", on: database)
            }
        }
        return .finished
    }

    /// One message an event causes.
    struct Notification: Sendable {
        var template: String
        var category: EmailCategory
        var recipient: EmailRecipient
        var values: [String: any Sendable]
        /// Files sent with it (a meeting's `.ics`).
        var attachments: [EmailAttachment] = []
        /// Set when the recipient has no account: the message carries an invitation link.
        var inviteFirst: InviteFirst?
    }

    /// A recipient without an account, and the account the invitation is sent in the name of.
    struct InviteFirst: Sendable {
        var personID: UUID
        var invitedBy: UUID
    }

    private func notifications(for type: EventType, event: DomainEvent) async throws -> [Notification] {
        let link = mailSettings.baseURL
        switch type {
        case .matchPublished:
            guard let match = try await PublishedMatch.find(UUID(uuidString: event.subjectID), on: try db()) else { return [] }
            let programme = try await Programme.find(match.programmeID, on: try db())
            let people = try await matchPeople(match)
            let members = try await MatchMember.query(on: try db()).filter(\.$matchID == (try match.requireID())).all()
            let withAccounts = Set(try await Account.query(on: try db()).filter(\.$personID ~~ people.compactMap(\.id)).all().map(\.personID))
            let inviter = try await invitingAccount(actor: event.actorPersonID, organisationID: event.organisationID)
            var notifications: [Notification] = []
            for person in people {
                guard let email = person.email, let member = members.first(where: { $0.personID == person.id }) else { continue }
                // The same words as My matches: what they will learn and teach, and why, for this reader.
                let others = people.filter { $0.id != person.id }
                let explanation = try await explainMatch(try match.requireID(), reader: member, organisationID: event.organisationID)
                let words = MatchDescription(explanation, others: others.map(\.name), programme: programme?.name ?? "your programme")
                var notification = Notification(
                    template: "match-published", category: .matches,
                    recipient: EmailRecipient(personID: person.id, email: email, name: person.name),
                    values: [
                        "name": person.name, "programme": programme?.name ?? "your programme", "others": Self.names(others),
                        "words": words, "link": "\(link)/matches", "action": "Accept or decline",
                    ])
                if let personID = person.id, !withAccounts.contains(personID), let inviter {
                    notification.inviteFirst = InviteFirst(personID: personID, invitedBy: inviter)
                }
                notifications.append(notification)
            }
            return notifications
        case .matchDeclined:
            guard let match = try await PublishedMatch.find(UUID(uuidString: event.subjectID), on: try db()) else { return [] }
            let programme = try await Programme.find(match.programmeID, on: try db())
            let people = try await matchPeople(match)
            // Declined for someone their identity provider deactivated: the others are told, not them.
            let declinerID = event.actorPersonID ?? event.payloadValue("deactivated_person_id").flatMap(UUID.init(uuidString:))
            let decliner = people.first { $0.id == declinerID }?.name ?? "Someone"
            return people.filter { $0.id != declinerID }.compactMap { person in
                guard let email = person.email else { return nil }
                return Notification(
                    template: "match-declined", category: .matches, recipient: EmailRecipient(personID: person.id, email: email, name: person.name),
                    values: [
                        "name": person.name, "programme": programme?.name ?? "your programme", "decliner": decliner,
                        "link": "\(link)/matches", "action": "Open My matches",
                    ])
            }
        case .matchRequestSent:
            guard let request = try await MatchRequest.find(UUID(uuidString: event.subjectID), on: try db()),
                let to = try await Person.find(request.toPersonID, on: try db()), let email = to.email
            else { return [] }
            let from = try await Person.find(request.fromPersonID, on: try db())
            let programme = try await Programme.find(request.programmeID, on: try db())
            return [
                Notification(
                    template: "match-request", category: .matches, recipient: EmailRecipient(personID: to.id, email: email, name: to.name),
                    values: [
                        "name": to.name, "requester": from?.name ?? "A colleague", "programme": programme?.name ?? "your programme",
                        "link": "\(link)/matches", "action": "Answer the request",
                    ])
            ]
        case .matchRequestExpired:
            guard let request = try await MatchRequest.find(UUID(uuidString: event.subjectID), on: try db()) else { return [] }
            let people = try await Person.query(on: try db()).filter(\.$id ~~ [request.fromPersonID, request.toPersonID]).all()
            let programme = try await Programme.find(request.programmeID, on: try db())
            return people.compactMap { person in
                guard let email = person.email else { return nil }
                let asked = person.id == request.fromPersonID
                return Notification(
                    template: "match-request-expired", category: .matches, recipient: EmailRecipient(personID: person.id, email: email, name: person.name),
                    values: [
                        "name": person.name, "programme": programme?.name ?? "your programme", "asked": asked,
                        "other": Self.names(people.filter { $0.id != person.id }), "link": "\(link)/matches", "action": "Open My matches",
                    ])
            }
        case .relationshipOpened, .agreementChanged, .relationshipPaused, .relationshipResumed, .relationshipCompleted, .relationshipUnwound,
            .relationshipClosedForSilence:
            guard let relationshipID = UUID(uuidString: event.subjectID),
                let relationship = try await Relationship.find(relationshipID, on: try db())
            else { return [] }
            let programme = try await Programme.find(relationship.programmeID, on: try db())
            let memberIDs = try await RelationshipMember.query(on: try db()).filter(\.$relationshipID == relationshipID).sort(\.$position).all()
                .map(\.personID)
            let people = try await Person.query(on: try db()).filter(\.$id ~~ memberIDs).all()
            let actor = try await event.actorPersonID.asyncMap { try await Person.find($0, on: try db()) } ?? nil
            // A relationship paused because a member was deactivated tells the others, not them.
            let deactivated = event.payloadValue("deactivated_person_id").flatMap(UUID.init(uuidString:))
            let recipients =
                type == .relationshipOpened ? people : people.filter { $0.id != event.actorPersonID && $0.id != deactivated }
            let relationshipLink = "\(link)/relationships/\(relationshipID.uuidString)"
            return recipients.compactMap { person in
                guard let email = person.email else { return nil }
                var values: [String: any Sendable] = [
                    "name": person.name, "programme": programme?.name ?? "your programme", "link": relationshipLink,
                    "others": Self.names(people.filter { $0.id != person.id }), "changer": actor?.name ?? "Your programme manager",
                    "actor": actor?.name ?? "Your programme manager", "action": "Open your relationship",
                ]
                let template: String
                switch type {
                case .relationshipOpened:
                    template = "relationship-opened"
                    values["action"] = "Write your agreement"
                case .agreementChanged:
                    template = "agreement-changed"
                    values["action"] = "Read and sign"
                default:
                    template = "relationship-changed"
                    values["status"] = Self.statusWord(type)
                    values["unwound"] = type == .relationshipUnwound
                    if type == .relationshipClosedForSilence || deactivated != nil { values["actor"] = "Mutual" }
                    values["memberLeft"] = deactivated != nil
                }
                return Notification(
                    template: template, category: .relationships, recipient: EmailRecipient(personID: person.id, email: email, name: person.name),
                    values: values)
            }
        case .matchRunFinished, .matchRunFailed:
            guard let runID = UUID(uuidString: event.subjectID), let run = try await MatchRun.find(runID, on: try db()),
                let account = try await Account.find(run.createdBy, on: try db()),
                let login = try await Login.find(account.loginID, on: try db())
            else { return [] }
            let programme = try await Programme.find(run.programmeID, on: try db())
            return [
                Notification(
                    template: "run-finished", category: .programmes,
                    recipient: EmailRecipient(personID: account.personID, email: login.email, name: account.name),
                    values: [
                        "name": account.name, "programme": programme?.name ?? "your programme", "failed": type == .matchRunFailed,
                        "matched": String(run.matched), "participants": String(run.participants),
                        "link": "\(link)/runs/\(runID.uuidString)", "action": type == .matchRunFailed ? "See why" : "Review the matches",
                    ])
            ]
        // Calendar invitations, one per member with the .ics (Calendar/Store+MeetingInvitations.swift).
        case .meetingScheduled, .meetingChanged, .meetingCancelled:
            return try await meetingInvitations(for: event)
        case .peopleImported, .invitationCreated, .invitationAccepted, .invitationRevoked, .programmeCreated, .programmeChanged,
            .programmeRulesChanged, .enrolmentAdded, .enrolmentWithdrawn, .matchRunStarted, .matchAccepted, .matchRequestAnswered,
            .agreementSigned, .passwordResetRequested, .passwordReset, .accountLocked, .accountUnlocked,
            .twoFactorEnabled, .twoFactorDisabled, .twoFactorRecoveryCodeUsed, .twoFactorRecoveryCodesRegenerated,
            .organisationSettingsChanged, .messagePosted, .nudgeRulesChanged, .goalCompleted, .milestoneCompleted, .meetingLogged,
            .skillLevelRaised, .goalCreated, .goalChanged, .goalRemoved, .milestoneCreated, .milestoneChanged, .milestoneRemoved, .feedbackReceived,
            .outcomesImported, .concernRaised, .singleSignOnMemberJoined, .invitationsSentInBulk, .programmeLaunched,
            .programmeManagerAdded, .programmeManagerRemoved:
            // Invitations carry a secret link, so their message is queued with the invitation
            // itself (sealed); the rest need no email.
            return []
        case .personProvisioned, .personDeactivated, .personReactivated, .scimTokenCreated, .scimTokenRotated, .scimTokenRevoked:
            // Provisioning tells no one by itself; the relationships a deactivation pauses
            // write their own `relationship.paused` events, which tell the other members.
            return []
        case .webhookCreated, .webhookDeleted, .webhookSecretRotated, .webhookEnabled, .webhookDisabled:
            // A disabled endpoint's admins are emailed in the transaction that disables it.
            return []
        case .personErased, .deletionRequested, .deletionCancelled, .deletionConfirmed, .personalDataExported, .privacySettingsChanged,
            .retentionApplied, .organisationExported:
            // The deletion emails go out in the request's own transaction; an erased person gets none.
            return []
        }
    }

    /// The account an automatic invitation is sent in the name of: the actor's, else the
    /// organisation's longest-standing admin's.
    func invitingAccount(actor: UUID?, organisationID: UUID) async throws -> UUID? {
        if let actor, let account = try await Account.query(on: try db()).filter(\.$personID == actor).first() {
            return try account.requireID()
        }
        return try await Account.query(on: try db()).filter(\.$organisationID == organisationID).filter(\.$role == .admin)
            .sort(\.$createdAt).first()?.requireID()
    }

    private func matchPeople(_ match: PublishedMatch) async throws -> [Person] {
        let members = try await MatchMember.query(on: try db()).filter(\.$matchID == (try match.requireID())).sort(\.$position).all()
        let people = try await Person.query(on: try db()).filter(\.$id ~~ members.map(\.personID)).all()
        let byID = Dictionary(uniqueKeysWithValues: people.compactMap { person in person.id.map { ($0, person) } })
        return members.compactMap { byID[$0.personID] }
    }

    static func names(_ people: [Person]) -> String {
        let names = people.map(\.name)
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    private static func statusWord(_ type: EventType) -> String {
        switch type {
        case .relationshipPaused: "paused"
        case .relationshipResumed: "active again"
        case .relationshipCompleted: "completed"
        case .relationshipClosedForSilence: "closed after a long silence (no meeting for \(Store.silenceDays + Store.silenceGraceDays) days)"
        default: "ended (unwound)"
        }
    }
}
