import FluentKit
import Foundation
import SQLKit

extension Store {
    /// The people an audience selects in an organisation, by name, with whether each has an
    /// account; and the pasted entries that name nobody (so the page can list them).
    public func audience(_ audience: InvitationAudience, organisationID: UUID) async throws -> (people: [AudiencePerson], unknown: [String]) {
        let sql = try database.sql()
        for (field, label, text) in [("department", "The department", audience.department), ("location", "The location", audience.location), ("skill", "The skill", audience.skill)]
        where text.count > 200 {
            throw StoreError.invalid(field: field, message: "\(label) is \(text.count) characters long; give at most 200, or leave it empty.")
        }
        var skillID: UUID?
        let skill = audience.skill.trimmingCharacters(in: .whitespaces)
        if !skill.isEmpty {
            // A skill nobody has selects nobody (said in the answer's notes), rather than refusing
            // a well-formed request.
            guard let id = try await skillResolver(for: organisationID).existingSkillID(for: skill) else { return ([], []) }
            skillID = id
        }
        if let level = audience.level, !(0...20).contains(level) {
            throw StoreError.invalid(field: "level", message: "Level \(level) is outside 0–20. Give the level as a number, or leave it empty.")
        }
        let pasted = audience.pastedEntries
        if pasted.count > 20_000 {
            throw StoreError.invalid(field: "people", message: "The pasted list has \(pasted.count) entries; paste at most 20,000 at a time.")
        }
        if let long = pasted.first(where: { $0.count > 320 }) {
            throw StoreError.invalid(
                field: "people", message: "The entry \"\(long.prefix(40))…\" is \(long.count) characters long; an id or an address has at most 320.")
        }
        let builder = sql.select()
            .column(SQLColumn("id", table: "p")).column(SQLColumn("external_id", table: "p")).column(SQLColumn("name", table: "p"))
            .column(SQLColumn("email", table: "p"))
            .column(SQLQueryString("CASE WHEN EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id) THEN 1 ELSE 0 END"), as: "has_account")
            .from(SQLAlias(SQLIdentifier(Person.schema), as: SQLIdentifier("p")))
            .where(SQLColumn("organisation_id", table: "p"), .equal, SQLBind(organisationID))
        let department = audience.department.trimmingCharacters(in: .whitespaces)
        if !department.isEmpty { builder.where(SQLColumn("department", table: "p"), .equal, SQLBind(department)) }
        if let level = audience.level { builder.where(SQLColumn("level", table: "p"), .equal, SQLBind(level)) }
        let location = audience.location.trimmingCharacters(in: .whitespaces)
        if !location.isEmpty { builder.where(SQLColumn("location", table: "p"), .equal, SQLBind(location)) }
        if let skillID {
            builder.where(SQLQueryString("EXISTS (SELECT 1 FROM person_skills ps WHERE ps.person_id = p.id AND ps.skill_id = \(bind: skillID))"))
        }
        struct Row: Decodable {
            let id: UUID
            let external_id: String
            let name: String
            let email: String?
            let has_account: Int
        }
        var people = try await builder.orderBy(SQLColumn("name", table: "p")).orderBy(SQLColumn("id", table: "p")).all()
            .map { try $0.decode(model: Row.self) }
            .map { AudiencePerson(id: $0.id, externalID: $0.external_id, name: $0.name, email: $0.email, hasAccount: $0.has_account != 0) }
        var unknown: [String] = []
        if !pasted.isEmpty {
            // The list narrows the filtered people; an entry is a directory id or an address.
            var byKey: [String: AudiencePerson] = [:]
            for person in people {
                byKey[person.externalID.lowercased()] = person
                if let email = person.email { byKey[email.lowercased()] = person }
            }
            var chosen: [AudiencePerson] = []
            var seen: Set<UUID> = []
            for entry in pasted {
                guard let person = byKey[entry.lowercased()] else {
                    unknown.append(entry)
                    continue
                }
                if seen.insert(person.id).inserted { chosen.append(person) }
            }
            people = chosen
        }
        return (people, unknown)
    }

    /// What to tell someone about an audience that selects less than they may expect: a skill
    /// that no one in the directory has.
    func audienceNotes(_ audience: InvitationAudience, organisationID: UUID) async throws -> [String] {
        let skill = audience.skill.trimmingCharacters(in: .whitespaces)
        guard !skill.isEmpty, try await skillResolver(for: organisationID).existingSkillID(for: skill) == nil else { return [] }
        return ["No skill called \"\(skill)\" exists in the directory, so the skill filter selected nobody. Check the spelling, or leave it empty."]
    }

    /// Invites, in one action, everyone the audience selects who has an email address, no
    /// account and no pending invitation. Each invitation lasts 14 days and is emailed through
    /// the durable queue, with a reminder after 7 days if still pending. Written in batches of
    /// 200 per transaction: an interrupted send is finished by sending again (those already
    /// invited are skipped, never invited twice).
    public func inviteInBulk(
        _ audience: InvitationAudience, role: Role = .participant, by identity: Identity, acceptURL: @escaping @Sendable (String) -> String
    ) async throws -> BulkInvitationResult {
        try requireRole(.admin, identity)
        let (people, unknown) = try await self.audience(audience, organisationID: identity.organisationID)
        var result = BulkInvitationResult()
        result.unknownEntries = unknown
        result.notes = try await audienceNotes(audience, organisationID: identity.organisationID)
        var candidates: [(person: AudiencePerson, email: String)] = []
        for person in people {
            if person.hasAccount {
                result.alreadyMembers += 1
            } else if let raw = person.email, let email = try? InputRules.email(raw) {
                candidates.append((person, email))
            } else {
                result.withoutEmail += 1
            }
        }
        for batch in stride(from: 0, to: candidates.count, by: 200).map({ candidates[$0..<min($0 + 200, candidates.count)] }) {
            let invited = try await transaction { database -> Int in
                var invited = 0
                for candidate in batch {
                    guard let issued = try await self.issueInvitation(
                        InvitationDraft(
                            email: candidate.email, personID: candidate.person.id, role: role, invitedBy: identity.accountID,
                            actorPersonID: identity.personID, lifetime: Self.bulkInvitationLifetime),
                        organisationID: identity.organisationID, on: database)
                    else { continue }
                    try await self.queueInvitationEmail(
                        issued, inviter: identity.name, organisationName: identity.organisationName, link: acceptURL(issued.token), on: database)
                    invited += 1
                }
                return invited
            }
            result.invited += invited
            result.alreadyInvited += batch.count - invited
        }
        let invitedCount = result.invited
        if invitedCount > 0 {
            _ = try await transaction { database in
                try await self.record(
                    NewEvent(
                        .invitationsSentInBulk, organisationID: identity.organisationID, actor: identity.personID, subject: identity.organisationID,
                        payload: ["invited": .int(invitedCount), "filters": .string(audience.filterNames), "role": .string(role.rawValue)]),
                    on: database)
            }
        }
        return result
    }

    /// The reminder job's handler: emails the same link again if the invitation is still
    /// pending and was not reminded before; otherwise does nothing.
    func sendInvitationReminder(_ job: ClaimedJob) async throws -> JobOutcome {
        let payload = try job.decode(InvitationReminderJob.self)
        try await transaction { database in
            guard let invitation = try await Invitation.find(payload.invitationID, on: database),
                invitation.status(at: self.clock.now) == .pending, invitation.reminderSentAt == nil,
                let sealed = invitation.sealedToken
            else { return }
            let token = try self.sealer.open(sealed)
            let inviter = try await Account.find(invitation.invitedBy, on: database)?.name ?? "Your organisation's admin"
            var values: [String: any Sendable] = [
                "inviter": inviter, "role": invitation.role.withArticle, "link": "\(self.mailSettings.baseURL)/invitations/\(token)",
                "action": "Accept the invitation", "expires": Self.invitationDay(invitation.expiresAt),
            ]
            if let programmeID = invitation.programmeID, let programme = try await Programme.find(programmeID, on: database) {
                values["programme"] = programme.name
                values["action"] = "Join and enrol"
            }
            try await self.queueEmail(
                template: "invitation-reminder", category: .essential, to: EmailRecipient(personID: nil, email: invitation.email, name: nil),
                organisationID: invitation.organisationID, values: values,
                uniqueKey: "email:invitation-reminder:\(payload.invitationID.uuidString.lowercased())", on: database)
            invitation.reminderSentAt = self.clock.now
            try await invitation.save(on: database)
        }
        return .finished
    }

    /// The link of someone's pending invitation, made now if they have none: what a match
    /// email or a programme launch sends to a person without an account instead of a sign-in
    /// page they cannot pass. Nil when the address has a pending invitation from before
    /// migration 032 (its token was never kept), or when `invitedBy` names no account.
    func invitationLink(
        for person: Person, email: String, invitedBy accountID: UUID, actor: UUID?, programmeID: UUID?, on database: any Database
    ) async throws -> (link: String, issued: IssuedInvitation?)? {
        let organisationID = person.organisationID
        if let pending = try await Invitation.query(on: database)
            .filter(\.$organisationID == organisationID).filter(\.$pendingKey == email.lowercased()).first(),
            pending.status(at: clock.now) == .pending
        {
            guard let sealed = pending.sealedToken else { return nil }
            return ("\(mailSettings.baseURL)/invitations/\(try sealer.open(sealed))", nil)
        }
        guard let issued = try await issueInvitation(
            InvitationDraft(
                email: email, personID: person.id, role: .participant, invitedBy: accountID, actorPersonID: actor, programmeID: programmeID,
                lifetime: Self.bulkInvitationLifetime),
            organisationID: organisationID, on: database)
        else { return nil }
        return ("\(mailSettings.baseURL)/invitations/\(issued.token)", issued)
    }
}
