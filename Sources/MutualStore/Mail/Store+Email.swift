import FluentKit
import Foundation
import SQLKit

/// Someone a message goes to.
public struct EmailRecipient: Sendable, Equatable {
    public var personID: UUID?
    public var email: String
    public var name: String?

    public init(personID: UUID?, email: String, name: String?) {
        self.personID = personID
        self.email = email
        self.name = name
    }
}

/// A message to render and queue: what ``Store/queueEmail(template:category:to:organisationID:values:attachments:uniqueKey:on:)``
/// takes, as a value, so a scan that emails thousands of people queues them in a few statements.
public struct PendingEmail: Sendable {
    public var template: String
    public var category: EmailCategory
    public var recipient: EmailRecipient
    public var organisationID: UUID?
    public var values: [String: any Sendable]
    public var attachments: [EmailAttachment]
    /// A job with this key is written once; a second message with it is skipped.
    public var uniqueKey: String?

    public init(
        template: String, category: EmailCategory, to recipient: EmailRecipient, organisationID: UUID?, values: [String: any Sendable],
        attachments: [EmailAttachment] = [], uniqueKey: String? = nil
    ) {
        self.template = template
        self.category = category
        self.recipient = recipient
        self.organisationID = organisationID
        self.values = values
        self.attachments = attachments
        self.uniqueKey = uniqueKey
    }
}

extension Store {
    /// Renders a message and queues its durable job on `database` (the transaction of the change
    /// that causes it). A non-essential message is not queued for a person who turned its
    /// category off, and carries a one-click unsubscribe link. `attachments` go with it as files
    /// (sealed with the rest of the message). Returns whether it was queued.
    @discardableResult
    public func queueEmail(
        template: String, category: EmailCategory, to recipient: EmailRecipient, organisationID: UUID?, values: [String: any Sendable],
        attachments: [EmailAttachment] = [], uniqueKey: String? = nil, on database: any Database
    ) async throws -> Bool {
        let email = PendingEmail(
            template: template, category: category, to: recipient, organisationID: organisationID, values: values, attachments: attachments,
            uniqueKey: uniqueKey)
        return try await queueEmails([email], on: database).first ?? false
    }

    /// ``queueEmail(template:category:to:organisationID:values:attachments:uniqueKey:on:)`` for
    /// many messages at once: the recipients' opt-outs and the organisations' names are read
    /// once, and the jobs are written in multi-row inserts. Returns, for each message in order,
    /// whether it was queued: false when its recipient turned its category off. (A message whose
    /// unique key is already taken counts as queued: the one that took the key was.)
    @discardableResult
    public func queueEmails(_ emails: [PendingEmail], on database: any Database) async throws -> [Bool] {
        guard !emails.isEmpty else { return [] }
        var optedOut: Set<OptOutKey> = []
        let people = Array(Set(emails.filter { $0.category != .essential }.compactMap(\.recipient.personID)))
        for slice in people.queryBatches() {
            for row in try await EmailOptOut.query(on: database).filter(\.$personID ~~ Array(slice)).all() {
                optedOut.insert(OptOutKey(personID: row.personID, category: row.category))
            }
        }
        var organisationNames: [UUID: String] = [:]
        let organisations = Array(Set(emails.compactMap(\.organisationID)))
        for slice in organisations.queryBatches() {
            for organisation in try await Organisation.query(on: database).filter(\.$id ~~ Array(slice)).all() {
                organisationNames[try organisation.requireID()] = organisation.name
            }
        }
        var jobs: [NewJob] = []
        var queued: [Bool] = []
        jobs.reserveCapacity(emails.count)
        queued.reserveCapacity(emails.count)
        for message in emails {
            if message.category != .essential, let personID = message.recipient.personID,
                optedOut.contains(OptOutKey(personID: personID, category: message.category.rawValue))
            {
                queued.append(false)
                continue
            }
            jobs.append(try emailJob(for: message, organisationName: message.organisationID.flatMap { organisationNames[$0] } ?? ""))
            queued.append(true)
        }
        // 200 rows of 11 values stay well under both databases' limit on bound values.
        for slice in jobs.queryBatches(200) { try await enqueue(Array(slice), on: database) }
        return queued
    }

    /// The durable job that sends one message: rendered, sealed, with a one-click unsubscribe
    /// link when its category is not essential. No database work (the caller has checked the
    /// recipient's opt-outs), so a scan can prepare many at once on every core.
    func emailJob(for message: PendingEmail, organisationName: String) throws -> NewJob {
        var unsubscribeURL: String?
        if message.category != .essential, let personID = message.recipient.personID {
            unsubscribeURL = self.unsubscribeURL(personID: personID, category: message.category)
        }
        var context: [String: Any] = message.values
        context["organisation"] = message.values["organisation"] ?? organisationName
        context["categoryLabel"] = message.category.label
        if let unsubscribeURL { context["unsubscribeURL"] = unsubscribeURL }
        let rendered = try EmailTemplates.shared.render(message.template, context)
        let email = OutgoingEmail(
            organisationID: message.organisationID, recipient: message.recipient.email, recipientName: message.recipient.name,
            subject: rendered.subject, body: rendered.text, html: rendered.html, unsubscribeURL: unsubscribeURL, attachments: message.attachments)
        let payload = EmailJob(
            template: message.template, category: message.category, recipient: message.recipient.email, subject: rendered.subject,
            sealedMessage: try sealer.seal(try JobCoding.encode(email)))
        return try NewJob(
            kind: JobKind.email, payload: payload, subject: "email:\(message.template)", organisationID: message.organisationID,
            uniqueKey: message.uniqueKey, policy: .email)
    }

    private struct OptOutKey: Hashable {
        var personID: UUID
        var category: String
    }

    /// The email job's handler: keeps to the send-rate limit, hands the message to the
    /// transport and keeps a record of it without its body.
    func sendEmailJob(_ job: ClaimedJob) async throws -> JobOutcome {
        let payload = try job.decode(EmailJob.self)
        let email = try JobCoding.decode(OutgoingEmail.self, from: try sealer.open(payload.sealedMessage))
        if let wait = try await reserveSendSlot(for: job, payload: payload) {
            return .later(wait, reason: "Waiting for the send-rate limit (MUTUAL_SMTP_RATE = \(mailSettings.ratePerMinute ?? 0) a minute).")
        }
        do {
            try await mail.send(email)
        } catch {
            // The slot (and the record) is given back: the message was not sent.
            try? await transaction { database in
                try await SentEmail.query(on: database).filter(\.$jobID == job.id).delete()
            }
            if error is any PermanentMailError { throw PermanentEmailFailure(underlying: error) }
            throw error
        }
        return .finished
    }

    /// Writes this message's record, which also takes its place in the last minute's count, or
    /// returns when a place frees up. One writer at a time decides (PostgreSQL: an advisory
    /// lock; SQLite: the single writer), so replicas together keep to the limit.
    private func reserveSendSlot(for job: ClaimedJob, payload: EmailJob) async throws -> Date? {
        let now = clock.now
        let limit = mailSettings.ratePerMinute
        let isPostgres = database.location.isPostgres
        return try await transaction { database in
            guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
            if let limit {
                if isPostgres { try await sql.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(Self.sendRateLockKey)))").run() }
                let recent = try await SentEmail.query(on: database).filter(\.$sentAt > now.addingTimeInterval(-60))
                    .filter(\.$jobID != job.id).sort(\.$sentAt).all()
                if recent.count >= limit {
                    // The place the oldest of the last `limit` messages holds frees a minute after it was sent.
                    return recent[recent.count - limit].sentAt.addingTimeInterval(60.001)
                }
            }
            try await SentEmail.query(on: database).filter(\.$jobID == job.id).delete()
            let record = SentEmail()
            record.organisationID = job.organisationID
            record.jobID = job.id
            record.recipient = payload.recipient
            record.category = payload.category.rawValue
            record.template = payload.template
            record.subject = payload.subject
            record.sentAt = now
            try await record.create(on: database)
            return nil
        }
    }

    /// The advisory lock that serialises send-rate decisions on PostgreSQL.
    static let sendRateLockKey: Int64 = 0x6D75_7475_616C

    // MARK: Email choices and unsubscribing

    /// The link that turns a category off for a person without signing in (RFC 8058 one-click).
    public func unsubscribeURL(personID: UUID, category: EmailCategory) -> String {
        let id = personID.uuidString.lowercased()
        return "\(mailSettings.baseURL)/email/unsubscribe/\(id)/\(category.rawValue)/\(sealer.sign(Self.unsubscribeText(personID, category)))"
    }

    /// Whether this server made the unsubscribe link (essential messages have none).
    public func isUnsubscribeLink(personID: UUID, category: EmailCategory, signature: String) -> Bool {
        category != .essential && sealer.verify(signature, of: Self.unsubscribeText(personID, category))
    }

    /// What an unsubscribe link's signature signs.
    private static func unsubscribeText(_ personID: UUID, _ category: EmailCategory) -> String {
        "unsubscribe:\(personID.uuidString.lowercased()):\(category.rawValue)"
    }

    /// Why an unsubscribe link is refused, and what to do instead.
    public static let invalidUnsubscribeLink = StoreError.gone(
        message: "This unsubscribe link is not valid. Sign in and change your email choices under My profile → Email.")

    /// Turns a category off for the person an unsubscribe link names; throws when the link was
    /// not made by this server (or was altered).
    public func unsubscribe(personID: UUID, category: EmailCategory, signature: String) async throws -> Person {
        guard isUnsubscribeLink(personID: personID, category: category, signature: signature),
            let person = try await Person.find(personID, on: try db())
        else {
            throw Self.invalidUnsubscribeLink
        }
        try await setEmailCategory(category, enabled: false, personID: personID)
        return person
    }

    /// Which optional categories the signed-in person receives.
    public func emailPreferences(of identity: Identity) async throws -> [EmailCategory: Bool] {
        let off = Set(try await EmailOptOut.query(on: try db()).filter(\.$personID == identity.personID).all().map(\.category))
        return Dictionary(uniqueKeysWithValues: EmailCategory.optional.map { ($0, !off.contains($0.rawValue)) })
    }

    /// Sets which optional categories the signed-in person receives.
    public func setEmailPreferences(_ enabled: Set<EmailCategory>, of identity: Identity) async throws {
        for category in EmailCategory.optional {
            try await setEmailCategory(category, enabled: enabled.contains(category), personID: identity.personID)
        }
    }

    private func setEmailCategory(_ category: EmailCategory, enabled: Bool, personID: UUID) async throws {
        let now = clock.now
        try await transaction { database in
            if enabled {
                try await EmailOptOut.query(on: database).filter(\.$personID == personID).filter(\.$category == category.rawValue).delete()
            } else {
                guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
                try await sql.insert(into: EmailOptOut.schema).columns("id", "person_id", "category", "created_at")
                    .values(SQLBind(UUID()), SQLBind(personID), SQLBind(category.rawValue), SQLBind(now))
                    .ignoringConflicts(with: ["person_id", "category"]).run()
            }
        }
    }
}

/// The mail server refused a message for good (an unknown mailbox, say): the job is not retried.
struct PermanentEmailFailure: Error, LocalizedError, PermanentJobError {
    let underlying: any Error
    var errorDescription: String? {
        "The mail server refused this message for good, so it will not be retried: \(Store.describe(underlying))"
    }
}
