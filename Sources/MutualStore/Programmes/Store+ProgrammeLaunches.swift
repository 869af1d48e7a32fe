import FluentKit
import Foundation
import SQLKit

extension Store {
    /// Emails an audience an invitation to enrol in a programme: its pitch and the enrolment
    /// link for people with an account, an invitation link that leads to the programme for
    /// people without one. People already enrolled are left out. When the programme has an
    /// enrolment deadline, a reminder goes two days before it to those who have not enrolled.
    /// Written in batches of 200 per transaction, each with its recipients and emails.
    public func launchProgramme(_ programmeID: UUID, audience: InvitationAudience, by identity: Identity) async throws -> LaunchResult {
        let programme = try await managedProgramme(id: programmeID, of: identity)
        let now = clock.now
        guard programme.selfEnrolment else {
            throw StoreError.conflict(
                field: nil,
                message: "\(programme.name) does not take self-enrolment, so the people you email could not enrol. Turn on self-enrolment in the programme's settings first.")
        }
        guard Self.isEnrolmentOpen(programme, today: isoDate(now)) else {
            let when = programme.enrolmentOpens > isoDate(now) ? "opens on \(programme.enrolmentOpens)" : "closed on \(programme.enrolmentCloses)"
            throw StoreError.conflict(
                field: nil, message: "Enrolment in \(programme.name) \(when), so the link would not work. Change the enrolment dates first.")
        }
        let (people, unknown) = try await self.audience(audience, organisationID: identity.organisationID)
        var result = LaunchResult()
        result.unknownEntries = unknown
        // Only the ids: a programme of 10,000 enrolments is not loaded as models to learn who is in it.
        let enrolled = Set(
            try await database.sql().select().column("person_id").from(Enrolment.schema).where("programme_id", .equal, SQLBind(programmeID)).all()
                .map { try $0.decode(column: "person_id", as: UUID.self) })
        var recipients: [(person: AudiencePerson, email: String)] = []
        for person in people {
            if enrolled.contains(person.id) {
                result.alreadyEnrolled += 1
            } else if let raw = person.email, let email = try? InputRules.email(raw) {
                recipients.append((person, email))
            } else {
                result.withoutEmail += 1
            }
        }
        // Nobody to email is a state of the directory, not a malformed request: 409.
        guard !recipients.isEmpty else {
            throw StoreError.conflict(
                field: "audience",
                message: people.isEmpty
                    ? (try await audienceNotes(audience, organisationID: identity.organisationID)).first
                        ?? "Nobody in the directory matches this audience. Widen the filters or check the pasted list."
                    : "Everyone this audience selects is already enrolled or has no email address, so there is nobody to email.")
        }
        let launch = ProgrammeLaunch(
            organisationID: identity.organisationID, programmeID: programmeID, audience: audience.summary, sentByPersonID: identity.personID,
            sentAt: now)
        launch.reminderAt = Self.launchReminderTime(closes: programme.enrolmentCloses, now: now)
        let launchID = try launch.requireID()
        result.launchID = launchID
        result.reminderAt = launch.reminderAt
        let pitch = InvitationPitch(
            programmeName: programme.name, description: programme.description,
            enrolmentCloses: programme.enrolmentCloses.isEmpty ? "" : programme.enrolmentCloses)
        let programmeLink = "\(mailSettings.baseURL)/programmes/\(programmeID.uuidString)"
        let inviter = identity.accountID
        try await transaction { database in
            try await launch.create(on: database)
            if let reminderAt = launch.reminderAt {
                try await self.enqueue(
                    try NewJob(
                        kind: JobKind.launchReminder, payload: ProgrammeLaunchReminderJob(launchID: launchID),
                        subject: "programme_launch:\(launchID.uuidString.lowercased())", organisationID: identity.organisationID, runAt: reminderAt,
                        uniqueKey: "launch-reminder:\(launchID.uuidString.lowercased())"),
                    on: database)
            }
        }
        for start in stride(from: 0, to: recipients.count, by: 200) {
            let batch = recipients[start..<min(start + 200, recipients.count)]
            let (sent, invited, unreachable, optedOut) = try await transaction { database -> (Int, Int, Int, Int) in
                var sent = 0, invited = 0, unreachable = 0, optedOut = 0
                for recipient in batch {
                    var link = programmeLink
                    var invitedNow = false
                    if !recipient.person.hasAccount {
                        guard let person = try await Person.find(recipient.person.id, on: database),
                            let invitation = try await self.invitationLink(
                                for: person, email: recipient.email, invitedBy: inviter, actor: identity.personID, programmeID: programmeID,
                                on: database)
                        else {
                            unreachable += 1
                            continue
                        }
                        link = invitation.link
                        invitedNow = true
                        if let issued = invitation.issued { try await self.queueInvitationReminder(issued.invitation, on: database) }
                    }
                    // Essential mail, like an invitation: a one-off invitation to enrol that no
                    // email setting covers. (Should one ever be skipped, it is not counted.)
                    let queued = try await self.queueEmail(
                        template: "programme-launch", category: .essential,
                        to: EmailRecipient(personID: recipient.person.id, email: recipient.email, name: recipient.person.name),
                        organisationID: identity.organisationID,
                        values: Self.launchValues(pitch, name: recipient.person.name, sender: identity.name, link: link, invited: invitedNow),
                        uniqueKey: "email:launch:\(launchID.uuidString.lowercased()):\(recipient.person.id.uuidString.lowercased())", on: database)
                    guard queued else {
                        optedOut += 1
                        continue
                    }
                    try await ProgrammeLaunchRecipient(launchID: launchID, personID: recipient.person.id).create(on: database)
                    sent += 1
                    if invitedNow { invited += 1 }
                }
                guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
                try await sql.update(ProgrammeLaunch.schema)
                    .set(SQLIdentifier("recipient_count"), to: SQLQueryString("recipient_count + \(bind: sent)"))
                    .set(SQLIdentifier("invited_count"), to: SQLQueryString("invited_count + \(bind: invited)"))
                    .where("id", .equal, SQLBind(launchID)).run()
                return (sent, invited, unreachable, optedOut)
            }
            result.optedOut += optedOut
            result.recipients += sent
            result.invited += invited
            result.unreachable += unreachable
        }
        let (recipientCount, invitedCount) = (result.recipients, result.invited)
        _ = try await transaction { database in
            try await self.record(
                NewEvent(
                    .programmeLaunched, organisationID: identity.organisationID, actor: identity.personID, subject: launchID,
                    payload: [
                        "programme_id": .id(programmeID), "recipients": .int(recipientCount), "invited": .int(invitedCount),
                        "filters": .string(audience.filterNames),
                    ]),
                on: database)
        }
        return result
    }

    /// Two days before enrolment closes, at 09:00 UTC; nil without a deadline or when that
    /// time is less than an hour away.
    static func launchReminderTime(closes: String, now: Date) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        guard !closes.isEmpty, let day = formatter.date(from: closes) else { return nil }
        let reminder = day.addingTimeInterval(-2 * 86_400 + 9 * 3600)
        return reminder > now.addingTimeInterval(3600) ? reminder : nil
    }

    static func launchValues(_ pitch: InvitationPitch, name: String, sender: String, link: String, invited: Bool) -> [String: any Sendable] {
        [
            "name": name, "sender": sender, "programme": pitch.programmeName, "pitch": pitch.description,
            "hasPitch": !pitch.description.isEmpty, "closes": pitch.enrolmentCloses, "link": link, "invited": invited,
            "action": invited ? "Join Mutual and enrol" : "Enrol",
        ]
    }

    /// The launch reminder's handler: emails the recipients who have not enrolled yet, while
    /// enrolment is still open. Once only (the launch records when it reminded).
    func sendLaunchReminder(_ job: ClaimedJob) async throws -> JobOutcome {
        let payload = try job.decode(ProgrammeLaunchReminderJob.self)
        guard let launch = try await ProgrammeLaunch.find(payload.launchID, on: try db()), launch.remindedAt == nil,
            let programme = try await Programme.find(launch.programmeID, on: try db()),
            Self.isEnrolmentOpen(programme, today: isoDate(clock.now))
        else { return .finished }
        let sql = try database.sql()
        let rows = try await sql.select()
            .column(SQLColumn("id", table: "p")).column(SQLColumn("name", table: "p")).column(SQLColumn("email", table: "p"))
            .column(SQLQueryString("CASE WHEN EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id) THEN 1 ELSE 0 END"), as: "has_account")
            .from(SQLAlias(SQLIdentifier(ProgrammeLaunchRecipient.schema), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier(Person.schema), as: SQLIdentifier("p")), on: SQLColumn("person_id", table: "r"), .equal, SQLColumn("id", table: "p"))
            .where(SQLColumn("launch_id", table: "r"), .equal, SQLBind(payload.launchID))
            .where(SQLQueryString("NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = r.person_id AND e.programme_id = \(bind: launch.programmeID))"))
            .all()
        struct Row: Decodable {
            let id: UUID
            let name: String
            let email: String?
            let has_account: Int
        }
        let pitch = InvitationPitch(programmeName: programme.name, description: programme.description, enrolmentCloses: programme.enrolmentCloses)
        let sender = try await launch.sentByPersonID.asyncMap { try await Person.find($0, on: try db())?.name } ?? nil
        let programmeLink = "\(mailSettings.baseURL)/programmes/\(launch.programmeID.uuidString)"
        try await transaction { database in
            var reminded = 0
            for row in try rows.map({ try $0.decode(model: Row.self) }) {
                guard let email = row.email else { continue }
                var link = programmeLink
                if row.has_account == 0 {
                    // Only a pending invitation's kept link: an expired or withdrawn one is not renewed here.
                    guard let pending = try await Invitation.query(on: database)
                        .filter(\.$organisationID == launch.organisationID).filter(\.$pendingKey == email.lowercased()).first(),
                        pending.status(at: self.clock.now) == .pending, let sealed = pending.sealedToken
                    else { continue }
                    link = "\(self.mailSettings.baseURL)/invitations/\(try self.sealer.open(sealed))"
                }
                var values = Self.launchValues(pitch, name: row.name, sender: sender ?? "Your programme manager", link: link, invited: row.has_account == 0)
                values["reminder"] = true
                let queued = try await self.queueEmail(
                    template: "programme-launch", category: .essential,
                    to: EmailRecipient(personID: row.id, email: email, name: row.name),
                    organisationID: launch.organisationID, values: values,
                    uniqueKey: "email:launch-reminder:\(payload.launchID.uuidString.lowercased()):\(row.id.uuidString.lowercased())", on: database)
                if queued { reminded += 1 }
            }
            launch.remindedAt = self.clock.now
            launch.remindedCount = reminded
            try await launch.save(on: database)
        }
        return .finished
    }

    /// A programme's launches, newest first, each with how many of its recipients enrolled at
    /// or after it was sent.
    public func programmeLaunches(_ programmeID: UUID, of identity: Identity) async throws -> [LaunchSummary] {
        _ = try await managedProgramme(id: programmeID, of: identity)
        let launches = try await ProgrammeLaunch.query(on: try db()).filter(\.$programmeID == programmeID).sort(\.$sentAt, .descending).all()
        guard !launches.isEmpty else { return [] }
        let sql = try database.sql()
        let rows = try await sql.select()
            .column(SQLColumn("id", table: "l"))
            .column(SQLFunction("COUNT", args: SQLColumn("id", table: "e")), as: "enrolled")
            .from(SQLAlias(SQLIdentifier(ProgrammeLaunch.schema), as: SQLIdentifier("l")))
            .join(SQLAlias(SQLIdentifier(ProgrammeLaunchRecipient.schema), as: SQLIdentifier("r")), on: SQLColumn("launch_id", table: "r"), .equal, SQLColumn("id", table: "l"))
            .join(
                SQLAlias(SQLIdentifier(Enrolment.schema), as: SQLIdentifier("e")),
                on: SQLQueryString("e.person_id = r.person_id AND e.programme_id = l.programme_id AND e.created_at >= l.sent_at"))
            .where(SQLColumn("programme_id", table: "l"), .equal, SQLBind(programmeID))
            .groupBy(SQLColumn("id", table: "l"))
            .all()
        var enrolledByLaunch: [UUID: Int] = [:]
        for row in rows { enrolledByLaunch[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "enrolled", as: Int.self) }
        let senders = try await Person.query(on: try db()).filter(\.$id ~~ launches.compactMap(\.sentByPersonID)).all()
        let names = Dictionary(senders.compactMap { person in person.id.map { ($0, person.name) } }, uniquingKeysWith: { first, _ in first })
        return try launches.map { launch in
            let id = try launch.requireID()
            return LaunchSummary(
                id: id, audience: launch.audience, sentAt: launch.sentAt, sentBy: launch.sentByPersonID.flatMap { names[$0] } ?? "A former member",
                recipients: launch.recipientCount, invited: launch.invitedCount, enrolled: enrolledByLaunch[id] ?? 0,
                reminderAt: launch.reminderAt, remindedAt: launch.remindedAt, reminded: launch.remindedCount)
        }
    }
}
