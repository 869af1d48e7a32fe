import FluentKit
import Foundation
import SQLKit

/// What one run of the nudge scan did (for tests, benchmarks and the job's log).
public struct NudgeScanResult: Sendable, Equatable {
    /// People emailed a nudge this run.
    public var nudged: Int
    /// Reasons found for people whose morning it is (before the one-a-day rule).
    public var findings: Int
    /// Match requests closed unanswered.
    public var requestsClosed: Int
    /// Relationships closed for silence.
    public var relationshipsClosed: Int
}

extension Store {
    /// The local hour nudges go out at: the scan of the UTC hour in which a person's clock
    /// shows 08:00–08:59 emails them.
    public static let nudgeMorningHour = 8
    /// A relationship with no activity for this many days is flagged on the needs-attention list…
    public static let silenceDays = 90
    /// …and, where the programme's rule says so, closed this many days later.
    public static let silenceGraceDays = 7
    /// Self-match requests are nudged at 7 days and closed at 14.
    public static let requestNudgeDays = 7
    public static let requestCloseDays = 14

    /// Every source of relationship activity. The learning ledger adds its logs here when it
    /// lands: `.table("meeting_logs", time: "created_at")` (see docs/architecture.md, Nudges).
    public static let relationshipActivitySources: [RelationshipActivitySource] = [.meetings, .meetingLogs]

    /// Every kind of nudge. The goals capability adds its milestones query here (kind
    /// ``NudgeKind/milestoneDue``, gated on ``NudgeRules/milestones``).
    public static let nudgeQueries: [NudgeQuery] = [.noFirstMeeting, .quiet, .requestWaiting, .agreementUnsigned, .milestoneDue]

    /// The hourly `nudges.scan` job.
    func nudgeScan(_ job: ClaimedJob) async throws -> JobOutcome {
        let result = try await runNudgeScan()
        logger.info(
            "Nudge scan finished",
            metadata: [
                "nudged": "\(result.nudged)", "findings": "\(result.findings)", "requests_closed": "\(result.requestsClosed)",
                "relationships_closed": "\(result.relationshipsClosed)",
            ])
        return .finished
    }

    /// One scan at the clock's time: closes requests unanswered for 14 days and (where the
    /// programme says so) relationships silent for 97, then emails everyone whose local morning
    /// it is one nudge with every reason they have, unless they had one today or turned nudges off.
    /// Safe to run twice at once (two replicas): each close is a conditional update, and each
    /// person's day is one row of `nudge_deliveries` that only one transaction can insert.
    @discardableResult
    public func runNudgeScan() async throws -> NudgeScanResult {
        let now = clock.now
        let database = try db()
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        let rules = try await allNudgeRules(on: database)
        let requestsClosed = try await closeUnansweredRequests(now: now)
        let relationshipsClosed = try await closeSilentRelationships(now: now, rules: rules)

        // The zones whose clocks show the morning hour now, and each one's local date.
        let zoneNames = try await sql.raw("SELECT DISTINCT timezone FROM \(ident: Person.schema)").all()
            .map { try $0.decode(column: "timezone", as: String.self) }
        var localDates: [String: String] = [:]
        for name in zoneNames {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = Self.timeZone(named: name)
            let parts = calendar.dateComponents([.year, .month, .day, .hour], from: now)
            guard parts.hour == Self.nudgeMorningHour else { continue }
            localDates[name] = Self.isoDay(parts)
        }
        var result = NudgeScanResult(nudged: 0, findings: 0, requestsClosed: requestsClosed, relationshipsClosed: relationshipsClosed)
        guard !localDates.isEmpty else { return result }
        let context = NudgeQueryContext(now: now, morningZones: localDates.keys.sorted(), rules: rules)
        var findings: [NudgeFinding] = []
        for query in Self.nudgeQueries { findings += try await query.find(context, sql) }
        result.findings = findings.count
        guard !findings.isEmpty else { return result }

        // One email per person: every reason together.
        var byPerson: [UUID: [NudgeFinding]] = [:]
        for finding in findings { byPerson[finding.personID, default: []].append(finding) }
        let optedOut = Set(
            try await EmailOptOut.query(on: database).filter(\.$category == EmailCategory.nudges.rawValue).all().map(\.personID))
        let people = Array(byPerson.keys.filter { !optedOut.contains($0) })
        var programmeNames: [UUID: String] = [:]
        for programme in try await Programme.query(on: database).filter(\.$id ~~ Array(Set(findings.map(\.programmeID)))).all() {
            programmeNames[try programme.requireID()] = programme.name
        }
        var organisationNames: [UUID: String] = [:]
        for organisation in try await Organisation.query(on: database).filter(\.$id ~~ Array(Set(findings.map(\.organisationID)))).all() {
            organisationNames[try organisation.requireID()] = organisation.name
        }
        let recipients = try await nudgeRecipients(people, localDates: localDates, on: sql)
        let texts = NudgeTexts(
            findings: byPerson, programmeNames: programmeNames, organisationNames: organisationNames, link: mailSettings.baseURL, now: now)

        // Rendering is most of the work and needs no database: each chunk's emails are rendered
        // on every core while the previous chunk's claims and jobs are written.
        let chunks = recipients.queryBatches(Self.nudgeChunk).map(Array.init)
        var next = chunks.first.map { chunk in Task { try await self.prepareNudges(chunk, texts) } }
        for index in chunks.indices {
            guard let prepared = try await next?.value else { break }
            next = index + 1 < chunks.count ? Task { [chunk = chunks[index + 1]] in try await self.prepareNudges(chunk, texts) } : nil
            result.nudged += try await claimNudges(prepared, now: now)
        }
        return result
    }

    /// How many people one transaction of the scan claims and emails.
    static let nudgeChunk = 1_000

    /// The people to email this morning, with their addresses and local dates; those without an
    /// address, and those whose nudge today is already claimed (by an earlier scan, or another
    /// replica's), are left out. The claim in ``claimNudges(_:now:)`` still decides: this read
    /// only spares rendering emails that would not be sent.
    private func nudgeRecipients(_ people: [UUID], localDates: [String: String], on sql: any SQLDatabase) async throws -> [NudgeRecipient] {
        let dates = Array(Set(localDates.values)).sorted()
        var recipients: [NudgeRecipient] = []
        recipients.reserveCapacity(people.count)
        for slice in people.queryBatches() {
            let rows = try await sql.raw(
                "SELECT p.id, p.organisation_id, p.name, p.email, p.timezone, d.local_date AS claimed FROM \(ident: Person.schema) p "
                    + "LEFT JOIN \(ident: NudgeDelivery.schema) d ON d.person_id = p.id AND d.local_date IN \(NudgeQueryContext.list(dates)) "
                    + "WHERE p.id IN \(NudgeQueryContext.list(Array(slice)))"
            ).all()
            var claimed: Set<UUID> = []
            var found: [UUID: NudgeRecipient] = [:]
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                guard let date = localDates[try row.decode(column: "timezone", as: String.self)],
                    let email = try row.decode(column: "email", as: String?.self), !email.isEmpty
                else { continue }
                if try row.decode(column: "claimed", as: String?.self) == date { claimed.insert(id) }
                found[id] = NudgeRecipient(
                    personID: id, organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                    name: try row.decode(column: "name", as: String.self), email: email, localDate: date)
            }
            recipients += slice.compactMap { id in claimed.contains(id) ? nil : found[id] }
        }
        return recipients
    }

    /// Each person's email rendered and sealed as a job, on every core.
    private func prepareNudges(_ recipients: [NudgeRecipient], _ texts: NudgeTexts) async throws -> [PreparedNudge] {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, recipients.count / 50))
        let size = (recipients.count + parts - 1) / max(1, parts)
        return try await withThrowingTaskGroup(of: (Int, [PreparedNudge]).self) { group in
            for (part, slice) in recipients.queryBatches(max(1, size)).enumerated() {
                group.addTask {
                    (part, try slice.map { recipient in
                        PreparedNudge(recipient: recipient, kinds: texts.kinds(of: recipient.personID),
                            job: try self.emailJob(for: texts.email(to: recipient), organisationName: texts.organisationNames[recipient.organisationID] ?? ""))
                    })
                }
            }
            var done: [(Int, [PreparedNudge])] = []
            for try await part in group { done.append(part) }
            return done.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    /// Claims today's nudge for each prepared person (a person already nudged today is skipped
    /// by the unique index, so two replicas' scans send one) and queues the emails of those
    /// claimed, in one transaction. Returns how many were queued.
    private func claimNudges(_ prepared: [PreparedNudge], now: Date) async throws -> Int {
        guard !prepared.isEmpty else { return 0 }
        return try await transaction { database in
            guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
            let rows: [SQLQueryString] = prepared.map { nudge in
                let recipient = nudge.recipient
                return "(\(bind: UUID()), \(bind: recipient.organisationID), \(bind: recipient.personID), \(bind: recipient.localDate), \(bind: nudge.kinds), \(bind: now))"
            }
            let inserted = try await sql.raw(
                "INSERT INTO \(ident: NudgeDelivery.schema) (id, organisation_id, person_id, local_date, reasons, created_at) VALUES "
                    + rows.joined(separator: ", ") + " ON CONFLICT (person_id, local_date) DO NOTHING RETURNING person_id"
            ).all()
            let claimed = Set(try inserted.map { try $0.decode(column: "person_id", as: UUID.self) })
            let jobs = prepared.filter { claimed.contains($0.recipient.personID) }.map(\.job)
            for slice in jobs.queryBatches(200) { try await self.enqueue(Array(slice), on: database) }
            return jobs.count
        }
    }

    /// Closes self-match requests unanswered for ``requestCloseDays``; `match_request.expired`
    /// tells both people. The update is conditional on the request still pending, so a scan
    /// racing another (or an answer) closes each request at most once.
    private func closeUnansweredRequests(now: Date) async throws -> Int {
        let cutoff = now.addingTimeInterval(-Double(Self.requestCloseDays) * 86_400)
        return try await transaction { database in
            guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
            let closed = try await sql.raw(
                """
                UPDATE \(ident: MatchRequest.schema) SET status = \(bind: MatchRequest.Status.expired.rawValue), answered_at = \(bind: now) \
                WHERE status = \(bind: MatchRequest.Status.pending.rawValue) AND created_at <= \(bind: cutoff) \
                RETURNING id, organisation_id, programme_id
                """
            ).all()
            for row in closed {
                try await self.record(
                    NewEvent(
                        .matchRequestExpired, organisationID: try row.decode(column: "organisation_id", as: UUID.self), actor: nil,
                        subject: try row.decode(column: "id", as: UUID.self),
                        payload: ["programme_id": .id(try row.decode(column: "programme_id", as: UUID.self)), "days": .int(Self.requestCloseDays)]),
                    on: database)
            }
            return closed.count
        }
    }

    /// Closes (as completed, with the reason) active relationships of programmes whose rule
    /// says so, silent for ``silenceDays`` + ``silenceGraceDays``; `relationship.closed_for_silence`
    /// tells the members.
    private func closeSilentRelationships(now: Date, rules: [UUID: NudgeRules]) async throws -> Int {
        let programmes = rules.filter(\.value.closeSilent).map(\.key)
        guard !programmes.isEmpty else { return 0 }
        let days = Self.silenceDays + Self.silenceGraceDays
        let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
        let reason = "Closed automatically after \(days) days without a meeting."
        return try await transaction { database in
            guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
            var closed = 0
            for slice in programmes.queryBatches(200) {
                let quiet = Self.relationshipActivitySources.map { " AND NOT EXISTS (" + $0.activityAfter("r.id", cutoff) + ")" as SQLQueryString }
                let rows = try await sql.raw(
                    "UPDATE \(ident: Relationship.schema) SET status = \(bind: Relationship.Status.completed.rawValue), ended_at = \(bind: now), "
                        + "end_reason = \(bind: reason) WHERE id IN (SELECT r.id FROM \(ident: Relationship.schema) r "
                        + "WHERE r.status = \(bind: Relationship.Status.active.rawValue) AND r.started_at <= \(bind: cutoff) "
                        + "AND r.programme_id IN \(NudgeQueryContext.list(Array(slice)))" + quiet.joined() + ") "
                        + "AND status = \(bind: Relationship.Status.active.rawValue) RETURNING id, organisation_id, programme_id"
                ).all()
                for row in rows {
                    try await self.record(
                        NewEvent(
                            .relationshipClosedForSilence, organisationID: try row.decode(column: "organisation_id", as: UUID.self), actor: nil,
                            subject: try row.decode(column: "id", as: UUID.self),
                            payload: ["from": .string("active"), "to": .string("completed"), "silent_days": .int(days)]),
                        on: database)
                }
                closed += rows.count
            }
            return closed
        }
    }

    static func isoDay(_ parts: DateComponents) -> String {
        func pad(_ value: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(value).count)) + String(value) }
        return "\(pad(parts.year ?? 0, 4))-\(pad(parts.month ?? 0, 2))-\(pad(parts.day ?? 0, 2))"
    }
}
