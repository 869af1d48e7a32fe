import Foundation
import Hummingbird
import MutualStore

/// The members page's "Who can sign in": each status's count as a filter, a name search and a
/// page of people (keyset paged, 50 at a time), so it reads the same at 50 people or 50,000.
struct AccessSection {
    /// The filter and position, from the page's query: `access` (a status), `q`, `after`.
    struct Query {
        var status: AccessStatus?
        var text = ""
        var after: String?

        init(status: AccessStatus? = nil, text: String = "", after: String? = nil) {
            self.status = status
            self.text = text
            self.after = after
        }

        init(_ request: Request) throws {
            let parameters = request.uri.queryParameters
            status = try BulkInvitationsAPI.status(parameters.get("access"))
            text = String((parameters.get("q") ?? "").prefix(200))
            after = parameters.get("after").flatMap { $0.isEmpty ? nil : $0 }
        }

        /// The query string for a link with these values (and `after` when given).
        func link(status: AccessStatus?, after: String? = nil) -> String {
            var items: [URLQueryItem] = []
            if let status { items.append(URLQueryItem(name: "access", value: status.rawValue)) }
            if !text.isEmpty { items.append(URLQueryItem(name: "q", value: text)) }
            if let after { items.append(URLQueryItem(name: "after", value: after)) }
            var components = URLComponents()
            components.path = "/admin/members"
            components.queryItems = items.isEmpty ? nil : items
            return (components.string ?? "/admin/members") + "#access-heading"
        }
    }

    struct Filter { let label: String, count: Int, link: String, current: Bool }
    struct Row {
        let name: String, email: String, department: String, statusLabel: String, detail: String
        /// A pending invitation's id, for its Withdraw button.
        let withdrawID: String
    }

    let filters: [Filter]
    let rows: [Row]
    let hasRows: Bool
    let total: Int
    let text: String
    let statusValue: String
    let nextLink: String
    let firstLink: String
    let isLaterPage: Bool
    /// People with an address and neither an account nor a pending invitation.
    let invitable: Int

    static func make(store: Store, query: Query, identity: Identity) async throws -> AccessSection {
        let page = try await store.memberAccess(status: query.status, text: query.text, after: query.after, limit: 50, of: identity)
        var filters = [Filter(label: "Everyone", count: page.total, link: query.link(status: nil), current: query.status == nil)]
        for status in AccessStatus.allCases {
            filters.append(
                Filter(label: status.label, count: page.counts[status] ?? 0, link: query.link(status: status), current: query.status == status))
        }
        let rows = page.lines.map { line in
            Row(
                name: line.name, email: line.email ?? "—", department: line.department.isEmpty ? "—" : line.department,
                statusLabel: line.status.label, detail: detail(line),
                withdrawID: line.status == .invited ? line.invitationID?.uuidString ?? "" : "")
        }
        return AccessSection(
            filters: filters, rows: rows, hasRows: !rows.isEmpty, total: page.total, text: query.text, statusValue: query.status?.rawValue ?? "",
            nextLink: page.next.map { query.link(status: query.status, after: $0) } ?? "", firstLink: query.link(status: query.status),
            isLaterPage: query.after != nil, invitable: (page.counts[.noAccount] ?? 0) + (page.counts[.invitationExpired] ?? 0))
    }

    /// "Last signed in 3 Dec 2026", "Invited 1 Dec 2026, expires 15 Dec 2026".
    static func detail(_ line: AccessLine) -> String {
        let format = MemberPages.dayFormatter
        switch line.status {
        case .signedIn: return line.lastSignInAt.map { "Last signed in \(format.string(from: $0))" } ?? ""
        case .neverSignedIn: return "Has an account and has never signed in"
        case .invited:
            guard let invited = line.invitedAt else { return "" }
            return "Invited \(format.string(from: invited))" + (line.invitationExpiresAt.map { ", link works until \(format.string(from: $0))" } ?? "")
        case .invitationExpired:
            return line.invitedAt.map { "Invited \(format.string(from: $0)); the link expired unanswered" } ?? ""
        case .noAccount: return "Never invited"
        case .noEmail: return "Add an email address to their directory entry to invite them"
        }
    }
}
