import FluentKit
import Foundation
import SQLKit

/// A deletion request as its person and the admins see it.
public struct DeletionRequestView: Sendable, Equatable {
    public let id: UUID
    public let personID: UUID
    public let personName: String
    public let requestedAt: Date
    public let dueAt: Date
}

extension Store {
    /// How long a deletion request waits before it is carried out, so a person can change their mind.
    public static let deletionGracePeriod: TimeInterval = 14 * 86_400

    /// The signed-in person asks for their account to be deleted: a `privacy.erase` job is
    /// queued for 14 days on (durable: it survives a restart), they are emailed the date and how
    /// to cancel, and `privacy.deletion_requested` is recorded, all in one transaction. Asking
    /// again while a request is open returns the open one.
    @discardableResult
    public func requestDeletion(by identity: Identity) async throws -> DeletionRequestView {
        let now = clock.now
        let due = now.addingTimeInterval(Self.deletionGracePeriod)
        let base = mailSettings.baseURL
        return try await transaction { database in
            try await Self.lockRows(Person.schema, where: "id", equals: identity.personID, on: database)
            if identity.role == .admin {
                // Deleting the only admin would leave nobody to run the organisation.
                let admins = try await Account.query(on: database).filter(\.$organisationID == identity.organisationID)
                    .filter(\.$role == .admin).count()
                if admins <= 1 {
                    throw StoreError.conflict(
                        field: nil,
                        message: "You are the organisation's only admin, so your account cannot be deleted yet. Make another member an admin on the Members page first.")
                }
            }
            if let open = try await self.openDeletionRequest(personID: identity.personID, on: database) {
                return DeletionRequestView(
                    id: try open.requireID(), personID: open.personID, personName: identity.name, requestedAt: open.requestedAt, dueAt: open.dueAt)
            }
            let request = DeletionRequest()
            request.organisationID = identity.organisationID
            request.personID = identity.personID
            request.requestedBy = identity.personID
            request.requestedAt = now
            request.dueAt = due
            try await request.create(on: database)
            let id = try request.requireID()
            try await self.enqueue(
                try NewJob(
                    kind: JobKind.privacyErase, payload: DeletionRequestJob(requestID: id), subject: "deletion_request:\(id.uuidString.lowercased())",
                    organisationID: identity.organisationID, runAt: due, uniqueKey: "privacy-erase:\(id.uuidString.lowercased())"),
                on: database)
            try await self.record(
                NewEvent(
                    .deletionRequested, organisationID: identity.organisationID, actor: identity.personID, subject: id,
                    payload: ["person_id": .string(identity.personID.uuidString.lowercased()), "due_on": .string(UTCDay(due).iso)]),
                on: database)
            _ = try await self.queueEmail(
                template: "deletion-requested", category: .essential,
                to: EmailRecipient(personID: identity.personID, email: identity.email, name: identity.name),
                organisationID: identity.organisationID,
                values: [
                    "name": identity.name, "organisation": identity.organisationName, "date": Self.longDate(due),
                    "link": "\(base)/account/privacy", "action": "Cancel the deletion",
                ],
                uniqueKey: "email:deletion-requested:\(id.uuidString.lowercased())", on: database)
            return DeletionRequestView(id: id, personID: identity.personID, personName: identity.name, requestedAt: now, dueAt: due)
        }
    }

    /// The signed-in person's open deletion request, if any.
    public func deletionRequest(of identity: Identity) async throws -> DeletionRequestView? {
        guard let open = try await openDeletionRequest(personID: identity.personID, on: try db()) else { return nil }
        return DeletionRequestView(
            id: try open.requireID(), personID: open.personID, personName: identity.name, requestedAt: open.requestedAt, dueAt: open.dueAt)
    }

    /// The person cancels their open request (a conditional update: a request already carried
    /// out, or cancelled, is not touched). Emails them and records `privacy.deletion_cancelled`.
    public func cancelDeletion(by identity: Identity) async throws {
        let base = mailSettings.baseURL
        try await transaction { database in
            guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
            let rows = try await sql.raw("""
                UPDATE deletion_requests SET cancelled_at = \(bind: self.clock.now) \
                WHERE person_id = \(bind: identity.personID) AND organisation_id = \(bind: identity.organisationID) \
                AND cancelled_at IS NULL AND executed_at IS NULL RETURNING id
                """).all()
            guard let row = rows.first else {
                throw StoreError.conflict(field: nil, message: "You have no pending deletion request to cancel. Your account is not scheduled for deletion.")
            }
            let id = try row.decode(column: "id", as: UUID.self)
            try await self.record(
                NewEvent(.deletionCancelled, organisationID: identity.organisationID, actor: identity.personID, subject: id), on: database)
            _ = try await self.queueEmail(
                template: "deletion-cancelled", category: .essential,
                to: EmailRecipient(personID: identity.personID, email: identity.email, name: identity.name),
                organisationID: identity.organisationID,
                values: ["name": identity.name, "organisation": identity.organisationName, "link": "\(base)/account/privacy", "action": "Open your account page"],
                uniqueKey: "email:deletion-cancelled:\(id.uuidString.lowercased())", on: database)
        }
    }

    /// The organisation's open deletion requests, soonest due first (the admin's privacy page).
    public func pendingDeletionRequests(of admin: Identity) async throws -> [DeletionRequestView] {
        try requireRole(.admin, admin)
        let requests = try await DeletionRequest.query(on: try db()).filter(\.$organisationID == admin.organisationID)
            .filter(\.$cancelledAt == nil).filter(\.$executedAt == nil).sort(\.$dueAt).all()
        let people = try await Person.query(on: try db()).filter(\.$id ~~ requests.map(\.personID)).all()
        return try requests.map { request in
            DeletionRequestView(
                id: try request.requireID(), personID: request.personID,
                personName: people.first { $0.id == request.personID }?.name ?? Self.formerMemberName,
                requestedAt: request.requestedAt, dueAt: request.dueAt)
        }
    }

    /// An admin carries out an open request before it is due. The request is claimed with a
    /// conditional update in the erasure's transaction, so a cancel or the job at the same
    /// moment cannot both win.
    public func confirmDeletion(_ requestID: UUID, by admin: Identity) async throws -> ErasureReport {
        try requireRole(.admin, admin)
        let placeholderHash = try await passwords.hash(tokens.makeToken())
        return try await transaction { database in
            guard let request = try await DeletionRequest.query(on: database).filter(\.$id == requestID)
                .filter(\.$organisationID == admin.organisationID).first()
            else { throw StoreError.notFound(what: "deletion request") }
            if request.personID == admin.personID {
                throw StoreError.conflict(
                    field: nil, message: "You cannot confirm your own deletion. It happens on its date, or another admin can confirm it.")
            }
            guard let report = try await self.carryOutDeletion(requestID, placeholderHash: placeholderHash, actor: admin.personID, on: database) else {
                throw StoreError.conflict(
                    field: nil, message: "This deletion request was cancelled or has already been carried out. Reload the page to see the current list.")
            }
            return report
        }
    }

    /// Claims an open request and erases its person; nil when it was cancelled or done already.
    func carryOutDeletion(_ requestID: UUID, placeholderHash: String, actor: UUID?, on database: any Database) async throws -> ErasureReport? {
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        let claimed = try await sql.raw("""
            UPDATE deletion_requests SET executed_at = \(bind: clock.now), confirmed_by = \(bind: actor) \
            WHERE id = \(bind: requestID) AND cancelled_at IS NULL AND executed_at IS NULL RETURNING person_id, organisation_id
            """).all()
        guard let row = claimed.first else { return nil }
        let personID = try row.decode(column: "person_id", as: UUID.self)
        let organisationID = try row.decode(column: "organisation_id", as: UUID.self)
        if let actor {
            try await record(NewEvent(.deletionConfirmed, organisationID: organisationID, actor: actor, subject: requestID), on: database)
        }
        let report = try await erase(personID: personID, organisationID: organisationID, placeholderHash: placeholderHash, on: database)
        try await record(
            NewEvent(
                .personErased, organisationID: organisationID, actor: actor, subject: personID,
                payload: ["accounts": .int(report.accounts), "by_request": .bool(true), "request_id": .string(requestID.uuidString.lowercased())]),
            on: database)
        return report
    }

    /// The `privacy.erase` job: at the due date, carries out the request unless it was
    /// cancelled (or an admin already did it), which leaves nothing to do.
    func runDeletionJob(_ job: ClaimedJob) async throws -> JobOutcome {
        let payload = try job.decode(DeletionRequestJob.self)
        let placeholderHash = try await passwords.hash(tokens.makeToken())
        return try await transaction { database -> JobOutcome in
            guard let request = try await DeletionRequest.find(payload.requestID, on: database), request.isOpen else { return .finished }
            // A job run early (a clock moved back, a replayed job) waits for the date.
            guard request.dueAt <= self.clock.now else { return .later(request.dueAt, reason: "not due yet") }
            _ = try await self.carryOutDeletion(payload.requestID, placeholderHash: placeholderHash, actor: nil, on: database)
            return .finished
        }
    }

    func openDeletionRequest(personID: UUID, on database: any Database) async throws -> DeletionRequest? {
        try await DeletionRequest.query(on: database).filter(\.$personID == personID)
            .filter(\.$cancelledAt == nil).filter(\.$executedAt == nil).first()
    }

    /// "15 March 2027", in UTC: the day a request is carried out, as the email says it.
    static func longDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMMM yyyy"
        return formatter.string(from: date)
    }
}
