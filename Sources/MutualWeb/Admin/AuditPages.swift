import Foundation
import Hummingbird
import MutualStore

/// The audit log for admins: who did what to what, when. The page `/admin/audit` filters by
/// person, event type and dates; `/admin/audit.csv` exports what the filter shows;
/// `GET /api/v1/audit` is the same for integrations.
struct AuditPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/admin/audit", role: .admin, show)
        routes.member(.get, "/admin/audit.csv", role: .admin, csv)
        routes.api(.get, "/api/v1/audit", role: .admin, list)
    }

    /// Reads the filter from the query: `person` (a person id), `type` (an event type),
    /// `from` and `to` (dates, `YYYY-MM-DD`, both inclusive), `page`, `per_page`.
    static func query(_ request: Request) throws -> AuditQuery {
        let parameters = request.uri.queryParameters
        var query = AuditQuery()
        if let text = parameters.get("person"), !text.isEmpty {
            guard let id = UUID(uuidString: text) else {
                throw StoreError.invalid(field: "person", message: "person must be a person's id (a UUID), not \"\(text)\".")
            }
            query.actorPersonID = id
        }
        if let text = parameters.get("type"), !text.isEmpty {
            guard let type = EventType(rawValue: text) else {
                throw StoreError.invalid(field: "type", message: "The event type \"\(text)\" is unknown; see docs/events.md for the types, e.g. match.published.")
            }
            query.type = type
        }
        query.from = try day(parameters.get("from"), field: "from")
        if let to = try day(parameters.get("to"), field: "to") { query.until = to.addingTimeInterval(86_400) }
        if let from = query.from, let until = query.until, until <= from {
            throw StoreError.invalid(field: "to", message: "The end date is before the start date. Swap them or clear one.")
        }
        query.page = try Paging.number(parameters.get("page"), field: "page", default: 1, range: 1...1_000_000)
        query.perPage = try Paging.number(parameters.get("per_page"), field: "per_page", default: 50, range: 1...500)
        return query
    }

    /// The start (00:00 UTC) of a `YYYY-MM-DD` day that exists, read as the programme dates are.
    private static func day(_ text: String?, field: String) throws -> Date? {
        guard let text, !text.isEmpty else { return nil }
        let valid = try Store.isoDate(text, field: field, label: field == "from" ? "the From date" : "the To date", required: false)
        return try Date(valid + "T00:00:00Z", strategy: .iso8601)
    }

    // MARK: API

    /// One entry of `GET /api/v1/audit`.
    struct EntryBody: APIBody {
        let id: UUID
        let eventId: UUID
        let type: String
        let occurredAt: Date
        let actorPersonId: UUID?
        let actorName: String
        let subjectType: String
        let subjectId: String
        let summary: String
        /// The event's payload: ids, counts and settings (docs/events.md).
        let payload: EventPayload

        static var example: EntryBody {
            EntryBody(
                id: UUID(), eventId: UUID(), type: EventType.programmeCreated.rawValue, occurredAt: Date(), actorPersonId: UUID(),
                actorName: "Ana Silva", subjectType: "programme", subjectId: UUID().uuidString, summary: "Ana Silva created a programme.",
                payload: EventPayload(values: ["name": .string("Data mentoring")]))
        }
    }

    /// An event's payload: open-ended keys (docs/events.md), so documented as a free-form object.
    struct EventPayload: Codable, Sendable, APIFreeForm {
        let values: [String: EventValue]
        init(values: [String: EventValue]) { self.values = values }
        init(from decoder: any Decoder) throws { values = try decoder.singleValueContainer().decode([String: EventValue].self) }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(values)
        }
    }

    struct EntriesBody: APIBody {
        let items: [EntryBody]
        let total: Int
        let page: Int
        let perPage: Int
        static var example: EntriesBody { EntriesBody(items: [.example], total: 1, page: 1, perPage: 50) }
    }

    @Sendable func list(_ request: Request, _ context: SignedInContext) async throws -> EntriesBody {
        let query = try Self.query(request)
        let (lines, total) = try await store.auditLog(query, of: context.identity)
        return EntriesBody(items: lines.map(EntryBody.init), total: total, page: query.page, perPage: query.perPage)
    }

    // MARK: CSV

    @Sendable func csv(_ request: Request, _ context: SignedInContext) async throws -> Response {
        var query = try Self.query(request)
        query.page = 1
        // Check access before the body starts streaming (a stream cannot answer 403 any more).
        _ = try await store.auditLog(AuditQuery(perPage: 1), of: context.identity)
        let pages = store.auditLogPages(query, of: context.identity)
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "occurred_at,type,actor_person_id,actor,subject_type,subject_id,summary,event_id\r\n"))
            for try await page in pages {
                var text = ""
                for line in page {
                    let fields = [
                        line.occurredAt.formatted(.iso8601), line.type, line.actorPersonID?.uuidString.lowercased() ?? "", line.actorName,
                        line.subjectType, line.subjectID, line.sentence, line.eventID.uuidString.lowercased(),
                    ]
                    text += fields.map(CSVText.field).joined(separator: ",") + "\r\n"
                }
                try await writer.write(ByteBuffer(string: text))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"mutual-audit-log.csv\"", .cacheControl: "no-store"],
            body: body)
    }

    // MARK: Page

    struct Row {
        let when: String, type: String, actorName: String, words: String, actorLink: String
        let subject: String, subjectLink: String
    }
    struct Option { let value: String, label: String, selected: Bool }
    struct PageModel {
        let page: PageChrome
        let rows: [Row], hasRows: Bool, total: Int, totalLabel: String, filtered: Bool
        let types: [Option], people: [Option]
        let from: String, to: String
        var csvLink: String
        let pageNumber: Int, hasPrevious: Bool, hasNext: Bool, previousLink: String, nextLink: String
        var error = ""
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let query: AuditQuery
        do {
            query = try Self.query(request)
        } catch let error as StoreError {
            var model = try await model(AuditQuery(), request: request, context)
            model.error = error.errorDescription ?? ""
            model.csvLink = "/admin/audit.csv"  // the bad filter would only fail again
            return try pages.render("audit", model, status: .badRequest)
        }
        return try pages.render("audit", try await model(query, request: request, context))
    }

    private func model(_ query: AuditQuery, request: Request, _ context: SignedInContext) async throws -> PageModel {
        let (lines, total) = try await store.auditLog(query, of: context.identity)
        let members = try await store.members(of: context.identity)
        let parameters = request.uri.queryParameters
        let filter = ["person", "type", "from", "to"].compactMap { key -> String? in
            guard let value = parameters.get(key), !value.isEmpty else { return nil }
            return "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? value)"
        }.joined(separator: "&")
        let rows = lines.map { line in
            let (subject, subjectLink) = Self.subject(line)
            return Row(
                when: JobsPages.time(line.occurredAt), type: line.type, actorName: line.actorName,
                words: EventType(rawValue: line.type)?.pastTense ?? line.type,
                actorLink: line.actorPersonID.map { "/admin/audit?person=\($0.uuidString)" } ?? "", subject: subject, subjectLink: subjectLink)
        }
        return PageModel(
            page: pages.chrome(title: "Audit log", context: context, current: "audit"), rows: rows, hasRows: !rows.isEmpty, total: total,
            totalLabel: total == 1 ? "1 entry" : "\(total) entries", filtered: !filter.isEmpty,
            types: [Option(value: "", label: "Anything", selected: query.type == nil)]
                + EventType.allCases.map { Option(value: $0.rawValue, label: Self.sentenceCase($0.pastTense), selected: $0 == query.type) },
            people: [Option(value: "", label: "Anyone", selected: query.actorPersonID == nil)]
                + members.map { Option(value: $0.personID.uuidString, label: $0.name, selected: $0.personID == query.actorPersonID) },
            from: parameters.get("from") ?? "", to: parameters.get("to") ?? "",
            csvLink: "/admin/audit.csv" + (filter.isEmpty ? "" : "?\(filter)"), pageNumber: query.page, hasPrevious: query.page > 1,
            hasNext: query.page * query.perPage < total,
            previousLink: "/admin/audit?page=\(query.page - 1)" + (filter.isEmpty ? "" : "&\(filter)"),
            nextLink: "/admin/audit?page=\(query.page + 1)" + (filter.isEmpty ? "" : "&\(filter)"))
    }

    /// What an entry is about, in words, and the page that shows it (when there is one).
    static func subject(_ line: AuditLine) -> (String, String) {
        let id = line.subjectID
        switch line.subjectType {
        case "programme": return ("Programme", "/programmes/\(id)")
        case "match_run": return ("Match run", "/runs/\(id)")
        case "relationship": return ("Relationship", "/relationships/\(id)")
        case "match": return ("Published match", "")
        case "match_request": return ("Match request", "")
        case "invitation": return ("Invitation", "/admin/members")
        case "import": return ("People import", "/people")
        default: return (line.subjectType, "")
        }
    }

    /// "published a match" → "Published a match", for the type list.
    static func sentenceCase(_ words: String) -> String { words.prefix(1).uppercased() + words.dropFirst() }
}

extension AuditPages.EntryBody {
    init(_ line: AuditLine) {
        self.init(
            id: line.id, eventId: line.eventID, type: line.type, occurredAt: line.occurredAt, actorPersonId: line.actorPersonID,
            actorName: line.actorName, subjectType: line.subjectType, subjectId: line.subjectID, summary: line.sentence,
            payload: AuditPages.EventPayload(values: (try? JobCoding.decode([String: EventValue].self, from: line.payloadJSON)) ?? [:]))
    }
}
