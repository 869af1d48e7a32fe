import FluentKit
import Foundation
import SQLKit

/// The payload of a `message.digest` job: one person's digest for one hour.
struct MessageDigestJob: Codable, Sendable {
    var personID: UUID
    var organisationID: UUID
    /// The start of the hour the digest closes (the job runs when it ends).
    var hour: Date
}

extension Store {
    /// Longest message accepted in a thread.
    public static let threadMessageLimit = TextLimits.threadMessage

    /// Posts a message in a relationship's thread. Members write as themselves; a programme
    /// manager who is not a member writes only as the manager (a nudge, marked "from the
    /// programme manager"), and so does a member-manager who passes `asManager`. Anyone else
    /// gets "not found". The other members get it in their next hourly digest
    /// (`message.posted` → one `message.digest` job per recipient and hour).
    @discardableResult
    public func postMessage(in relationshipID: UUID, body rawBody: String, asManager: Bool = false, by identity: Identity) async throws -> MessageView {
        let (relationship, members) = try await scopedRelationship(id: relationshipID, of: identity)
        let isMember = members.contains { $0.personID == identity.personID }
        let fromManager = asManager || !isMember
        if fromManager { try await requireManager(ofProgrammeID: relationship.programmeID, identity) }
        let body = try InputRules.longText(rawBody, field: "body", label: "the message", maxLength: Self.threadMessageLimit)
        guard !body.isEmpty else {
            throw StoreError.invalid(field: "body", message: "Write a message before sending it.")
        }
        guard relationship.status.isOpen else {
            throw StoreError.conflict(
                field: nil, message: "This relationship is \(relationship.status.rawValue), so its thread is closed. Start a new match to write again.")
        }
        let message = RelationshipMessage()
        message.id = UUID()
        message.organisationID = identity.organisationID
        message.relationshipID = relationshipID
        message.authorPersonID = identity.personID
        message.fromManager = fromManager
        message.body = body
        message.createdAt = clock.now
        let recipients = members.map(\.personID).filter { $0 != identity.personID }
        try await transaction { database in
            try await message.create(on: database)
            try await self.record(
                NewEvent(
                    .messagePosted, organisationID: identity.organisationID, actor: identity.personID, subject: try message.requireID(),
                    payload: [
                        "relationship_id": .id(relationshipID), "recipients": .ids(recipients), "from_manager": .bool(fromManager),
                    ]),
                on: database)
        }
        let author = try await Person.find(identity.personID, on: try db())
        return MessageView(
            id: try message.requireID(), relationshipID: relationshipID, authorPersonID: identity.personID,
            authorName: author?.name ?? identity.name, fromManager: fromManager, body: body, createdAt: message.createdAt, isViewer: true)
    }

    /// A relationship's thread, oldest first, for its members and programme managers (anyone
    /// else: "not found"). At most the newest `limit` messages.
    public func messages(inRelationship relationshipID: UUID, limit: Int = 200, of identity: Identity) async throws -> [MessageView] {
        _ = try await scopedRelationship(id: relationshipID, of: identity)
        let rows = try await RelationshipMessage.query(on: try db()).filter(\.$relationshipID == relationshipID)
            .filter(\.$organisationID == identity.organisationID).sort(\.$createdAt, .descending).sort(\.$id)
            .limit(max(1, limit)).all()
        let authorIDs = Array(Set(rows.compactMap(\.authorPersonID)))
        var names: [UUID: String] = [:]
        for slice in authorIDs.queryBatches() {
            for person in try await Person.query(on: try db()).filter(\.$id ~~ Array(slice)).all() { names[try person.requireID()] = person.name }
        }
        return try rows.reversed().map { row in
            MessageView(
                id: try row.requireID(), relationshipID: row.relationshipID, authorPersonID: row.authorPersonID,
                authorName: row.authorPersonID.flatMap { names[$0] } ?? "Someone who left", fromManager: row.fromManager, body: row.body,
                createdAt: row.createdAt, isViewer: row.authorPersonID == identity.personID)
        }
    }

    // MARK: Digests

    /// The hour a digest covers: the one `time` falls in.
    static let digestSchedule = JobSchedule(name: "message-digest", kind: JobKind.messageDigest, period: .hourly)

    /// `message.posted`'s consumer: one digest job per recipient for the hour the message was
    /// posted in, run when that hour ends. The unique key (person and hour) makes every message
    /// of the hour share one job, so nobody gets more than one digest an hour.
    func queueMessageDigests(for event: DomainEvent) async throws {
        let payload = try JobCoding.decode([String: EventValue].self, from: event.payload)
        guard case .ids(let recipients)? = payload["recipients"], !recipients.isEmpty else { return }
        let hour = Self.digestSchedule.slot(containing: event.occurredAt)
        let jobs = try recipients.map { personID in
            try NewJob(
                kind: JobKind.messageDigest, payload: MessageDigestJob(personID: personID, organisationID: event.organisationID, hour: hour),
                subject: "message_digest:\(personID.uuidString.lowercased())", organisationID: event.organisationID,
                runAt: hour.addingTimeInterval(3600),
                uniqueKey: "message-digest:\(personID.uuidString.lowercased()):\(Int(hour.timeIntervalSince1970))")
        }
        try await transaction { database in try await self.enqueue(jobs, on: database) }
    }

    /// The `message.digest` job: emails one person every message others wrote in their
    /// relationships since their last digest, then moves their cursor past them.
    func sendMessageDigest(_ job: ClaimedJob) async throws -> JobOutcome {
        let payload = try job.decode(MessageDigestJob.self)
        let now = clock.now
        let link = mailSettings.baseURL
        try await transaction { database in
            guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
            guard let person = try await Person.find(payload.personID, on: database), let email = person.email else { return }
            let cursor = try await MessageDigestCursor.find(payload.personID, on: database)
            let since = cursor?.sentThrough ?? Date(timeIntervalSince1970: 0)
            let rows = try await sql.raw(
                """
                SELECT msg.relationship_id, msg.body, msg.created_at, msg.from_manager, author.name AS author_name, prog.name AS programme_name \
                FROM \(ident: RelationshipMessage.schema) msg \
                JOIN \(ident: RelationshipMember.schema) me ON me.relationship_id = msg.relationship_id AND me.person_id = \(bind: payload.personID) \
                JOIN \(ident: Relationship.schema) rel ON rel.id = msg.relationship_id \
                JOIN \(ident: Programme.schema) prog ON prog.id = rel.programme_id \
                LEFT JOIN \(ident: Person.schema) author ON author.id = msg.author_person_id \
                WHERE msg.organisation_id = \(bind: payload.organisationID) AND msg.created_at > \(bind: since) \
                AND msg.created_at <= \(bind: now) \
                AND (msg.author_person_id IS NULL OR msg.author_person_id <> \(bind: payload.personID)) \
                ORDER BY msg.created_at, msg.id
                """
            ).all()
            guard !rows.isEmpty else { return }
            let zone = Self.timeZone(named: person.timeZone)
            var threads: [(id: UUID, programme: String, messages: [[String: any Sendable]])] = []
            var newest = since
            for row in rows {
                let relationshipID = try row.decode(column: "relationship_id", as: UUID.self)
                let createdAt = try row.decode(column: "created_at", as: Date.self)
                newest = max(newest, createdAt)
                let fromManager = try row.decode(column: "from_manager", as: Bool.self)
                let message: [String: any Sendable] = [
                    "author": try row.decode(column: "author_name", as: String?.self) ?? "Someone who left",
                    "fromManager": fromManager, "body": try row.decode(column: "body", as: String.self),
                    "time": Self.digestTime(createdAt, in: zone),
                ]
                if let index = threads.firstIndex(where: { $0.id == relationshipID }) {
                    threads[index].messages.append(message)
                } else {
                    threads.append((relationshipID, try row.decode(column: "programme_name", as: String.self), [message]))
                }
            }
            let values: [String: any Sendable] = [
                "name": person.name, "count": String(rows.count), "several": rows.count > 1,
                "threads": threads.map { thread -> [String: any Sendable] in
                    ["programme": thread.programme, "link": "\(link)/relationships/\(thread.id.uuidString)", "messages": thread.messages]
                },
                "link": "\(link)/matches", "action": "Open My matches",
            ]
            try await self.queueEmail(
                template: "message-digest", category: .messages,
                to: EmailRecipient(personID: payload.personID, email: email, name: person.name), organisationID: payload.organisationID,
                values: values, uniqueKey: "email:message-digest:\(payload.personID.uuidString.lowercased()):\(Int(payload.hour.timeIntervalSince1970))",
                on: database)
            let moved = cursor ?? MessageDigestCursor()
            moved.id = payload.personID
            moved.sentThrough = newest
            try await moved.save(on: database)
        }
        return .finished
    }

    /// "Mon 7 Dec, 10:05" in the reader's zone.
    static func digestTime(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.weekday, .day, .month, .hour, .minute], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[((parts.weekday ?? 1) - 1) % 7]
        let month = months[((parts.month ?? 1) - 1) % 12]
        func twoDigits(_ value: Int?) -> String { (value ?? 0) < 10 ? "0\(value ?? 0)" : "\(value ?? 0)" }
        return "\(weekday) \(parts.day ?? 1) \(month), \(twoDigits(parts.hour)):\(twoDigits(parts.minute))"
    }
}
