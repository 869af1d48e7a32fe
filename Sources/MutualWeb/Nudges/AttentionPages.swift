import Foundation
import Hummingbird
import MutualStore

/// The manager's needs-attention list, for one programme (`/programmes/:id/attention`) or all
/// of them (`/attention`), with snooze, message (into the relationship's thread, as the
/// programme manager) and unwind on each relationship.
struct AttentionPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/attention", role: .programmeManager, all)
        routes.member(.get, "/programmes/:id/attention", role: .programmeManager, programme)
        routes.member(.post, "/attention/:id/snooze", role: .programmeManager, snooze)
        routes.member(.post, "/attention/:id/message", role: .programmeManager, message)
        routes.member(.post, "/attention/:id/unwind", role: .programmeManager, unwind)
    }

    struct Row {
        let id: String, programme: String, members: String, started: String, lastActivity: String
        let flags: [String], groups: String, snoozedUntil: String, isSnoozed: Bool
    }
    struct AttentionPage {
        let page: PageChrome
        let heading: String, programmeID: String, scoped: Bool
        let rows: [Row], hasRows: Bool, showingSnoozed: Bool, snoozeDefault: String, messageLimit: Int
        var notice = "", error = ""
    }

    private func model(_ context: SignedInContext, programmeID: UUID?, showSnoozed: Bool) async throws -> AttentionPage {
        let items = try await store.needsAttention(in: programmeID, includeSnoozed: showSnoozed, of: context.identity)
        let zone = try await store.timeZone(of: context.identity)
        var heading = "Needs attention in all programmes"
        if let programmeID { heading = "Needs attention in \(try await store.programme(id: programmeID, of: context.identity).draft.name)" }
        let rows = items.map { item in
            Row(
                id: item.relationshipID.uuidString, programme: item.programmeName,
                members: item.memberNames.joined(separator: ", "), started: Store.shortTime(item.startedAt, in: zone),
                lastActivity: item.lastActivityAt.map { Store.shortTime($0, in: zone) } ?? "no meeting yet", flags: item.flags.map(\.text),
                groups: Array(Set(item.flags.map(\.reason.group))).sorted().map { $0.replacingOccurrences(of: "_", with: "-") }.joined(separator: ", "),
                snoozedUntil: item.snoozedUntil.map { Store.shortTime($0, in: zone) } ?? "", isSnoozed: item.snoozedUntil != nil)
        }
        return AttentionPage(
            page: pages.chrome(title: "Needs attention", context: context, current: "attention"), heading: heading,
            programmeID: programmeID?.uuidString ?? "", scoped: programmeID != nil, rows: rows, hasRows: !rows.isEmpty,
            showingSnoozed: showSnoozed, snoozeDefault: Self.day(store.clock.now.addingTimeInterval(7 * 86_400), in: zone),
            messageLimit: Store.threadMessageLimit)
    }

    /// What each action says once done, by the `done` query parameter of the list it returns to.
    static let notices = [
        "snoozed": "Snoozed: it leaves the list until then.",
        "message": "Message sent: it is in the relationship's thread, marked as from the programme manager.",
        "unwound": "The relationship is unwound: its members return to the pool for the next match.",
    ]

    @Sendable func all(_ request: Request, _ context: SignedInContext) async throws -> Response {
        var page = try await model(context, programmeID: nil, showSnoozed: request.uri.queryParameters["snoozed"] == "1")
        page.notice = request.uri.queryParameters.get("done").flatMap { Self.notices[$0] } ?? ""
        return try pages.render("attention", page)
    }

    @Sendable func programme(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        var page = try await model(context, programmeID: id, showSnoozed: request.uri.queryParameters["snoozed"] == "1")
        page.notice = request.uri.queryParameters.get("done").flatMap { Self.notices[$0] } ?? ""
        return try pages.render("attention", page)
    }

    /// Runs an action on one relationship, then back to the list it came from (a fresh GET, so
    /// reloading the page cannot send a message twice); on a problem, the list with what to fix.
    private func perform(_ context: SignedInContext, done: String, _ action: (UUID, TimeZone) async throws -> Void) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        // Another organisation's relationship is "not found" before any field is read.
        _ = try await store.relationship(id: id, of: context.identity)
        let programmeID = (context.form["programme_id"]).flatMap(UUID.init(uuidString:))
        let zone = try await store.timeZone(of: context.identity)
        do {
            try await action(id, zone)
        } catch let error as StoreError where error.isInputProblem {
            var page = try await model(context, programmeID: programmeID, showSnoozed: false)
            page.error = error.errorDescription ?? ""
            return try pages.render("attention", page, status: APIProblem(error).status)
        }
        let list = programmeID.map { "/programmes/\($0)/attention" } ?? "/attention"
        return .redirect(to: "\(list)?done=\(done)", type: .normal)
    }

    @Sendable func snooze(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try await perform(context, done: "snoozed") { id, zone in
            guard let until = Self.startOfDay(context.form["until"] ?? "", in: zone) else {
                throw StoreError.invalid(field: "until", message: "Enter the date to snooze until as YYYY-MM-DD (for example 2027-03-01).")
            }
            try await store.snoozeAttention(relationshipID: id, until: until, by: context.identity)
        }
    }

    @Sendable func message(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try await perform(context, done: "message") { id, _ in
            try await store.postMessage(in: id, body: context.form["body"] ?? "", asManager: true, by: context.identity)
        }
    }

    @Sendable func unwind(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try await perform(context, done: "unwound") { id, _ in
            try await store.changeRelationship(id: id, to: .dissolved, reason: context.form["reason"] ?? "", by: context.identity)
        }
    }

    /// The start of a `YYYY-MM-DD` day in `zone`; nil when it is not such a date.
    static func startOfDay(_ text: String, in zone: TimeZone) -> Date? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day else { return nil }
        return date
    }

    /// `YYYY-MM-DD` of `date` in `zone`.
    static func day(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        func pad(_ value: Int?, _ width: Int) -> String { let text = String(value ?? 0); return String(repeating: "0", count: max(0, width - text.count)) + text }
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))"
    }
}
