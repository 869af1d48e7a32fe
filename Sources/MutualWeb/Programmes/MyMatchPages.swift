import Foundation
import Hummingbird
import MutualStore

/// My matches: each published match with who, why, and the accept or decline buttons.
struct MyMatchPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/matches", role: .participant, list)
        routes.member(.post, "/matches/:id/accept", role: .participant, accept)
        routes.member(.post, "/matches/:id/decline", role: .participant, decline)
        routes.member(.post, "/requests/:id/accept", role: .participant) { try await answerRequest($1, action: .accept) }
        routes.member(.post, "/requests/:id/decline", role: .participant) { try await answerRequest($1, action: .decline) }
        routes.member(.post, "/requests/:id/withdraw", role: .participant) { try await answerRequest($1, action: .withdraw) }
    }

    enum RequestAction { case accept, decline, withdraw }

    /// Answers or withdraws a self-match request, then shows My matches with the outcome.
    private func answerRequest(_ context: SignedInContext, action: RequestAction) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "request")
        do {
            switch action {
            case .accept: try await store.answerMatchRequest(id, accept: true, by: context.identity)
            case .decline: try await store.answerMatchRequest(id, accept: false, by: context.identity)
            case .withdraw: try await store.withdrawMatchRequest(id, by: context.identity)
            }
        } catch let error as StoreError where error.isInputProblem {
            var model = try await model(context)
            model.error = error.errorDescription ?? ""
            return try pages.render("my-matches", model, status: APIProblem(error).status)
        }
        var model = try await model(context)
        model.status = switch action {
        case .accept: "You accepted. Your new relationship is listed below: open it to write your agreement together."
        case .decline: "You declined the request."
        case .withdraw: "You withdrew your request."
        }
        return try pages.render("my-matches", model)
    }

    struct PartnerRow { let name: String, department: String, answer: String }
    struct MatchRow {
        let id: String, programme: String, partners: [PartnerRow], score: Int
        /// "You and Olga Andersen", or "Your group with …".
        let title: String
        /// The match in words for the reader (what they learn, teach, and why).
        let words: MatchDescription
        let open: Bool, answer: String, relationshipID: String
        /// Whom declining concerns, by name ("Olga Andersen").
        let others: String
        /// The relationship exists (everyone accepted), so there is a page to link to. Stored,
        /// not computed: templates see stored properties only.
        let hasRelationship: Bool
    }
    struct RelationshipRow { let id: String, programme: String, members: String, status: String, signed: Bool }
    struct RequestRow { let id: String, programme: String, other: String, message: String, incoming: Bool, pending: Bool, status: String }
    struct ListModel {
        let page: PageChrome, matches: [MatchRow], hasMatches: Bool
        let relationships: [RelationshipRow], hasRelationships: Bool
        let requests: [RequestRow], hasRequests: Bool
        var status = "", error = ""
    }

    private static func answer(_ response: MatchMember.Response) -> String {
        switch response {
        case .pending: "has not answered yet"
        case .accepted: "accepted"
        case .declined: "declined"
        }
    }

    /// Where the match stands for the person reading it. A relationship (and its page) exists
    /// only once everyone accepted, so until then this says who is still to answer instead of
    /// linking to a page that is not there yet.
    static func answerText(_ match: MyMatch) -> String {
        if match.status == .declined { return "This match was declined; you will be in the next round of matching." }
        guard match.myResponse == .accepted else { return "" }
        let waitingFor = match.partners.filter { $0.response != .accepted }.map(\.name)
        guard match.relationshipID == nil, !waitingFor.isEmpty else { return "You accepted." }
        return "You accepted. Waiting for \(Self.list(waitingFor)) to accept; your relationship and agreement open here when everyone has."
    }

    /// "Ana", "Ana and Ben", "Ana, Ben and Caro".
    static func list(_ names: [String]) -> String {
        names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    private func model(_ context: SignedInContext) async throws -> ListModel {
        var matches: [MatchRow] = []
        for match in try await store.myMatches(of: context.identity) {
            let names = match.partners.map(\.name)
            let explanation = try await store.explainMatch(match.id, for: context.identity)
            matches.append(
                MatchRow(
                    id: match.id.uuidString, programme: match.programmeName,
                    partners: match.partners.map { PartnerRow(name: $0.name, department: $0.department, answer: Self.answer($0.response)) },
                    score: match.score,
                    title: names.count == 1 ? "You and \(names[0])" : "Your group with \(Self.list(names))",
                    words: MatchDescription(explanation, others: names, programme: match.programmeName),
                    open: match.status == .pending && match.myResponse == .pending,
                    answer: Self.answerText(match), relationshipID: match.relationshipID?.uuidString ?? "", others: Self.list(names),
                    hasRelationship: match.relationshipID != nil))
        }
        let relationships = try await store.myRelationships(of: context.identity).map { relationship in
            RelationshipRow(
                id: relationship.id.uuidString, programme: relationship.programmeName, members: relationship.memberNames.joined(separator: ", "),
                status: relationship.status.rawValue, signed: relationship.isSigned)
        }
        let requests = try await store.matchRequests(of: context.identity).map { request in
            RequestRow(
                id: request.id.uuidString, programme: request.programmeName, other: request.otherName, message: request.message,
                incoming: request.incoming, pending: request.status == .pending, status: request.status.rawValue)
        }
        return ListModel(
            page: pages.chrome(title: "My matches", context: context, current: "matches"), matches: matches, hasMatches: !matches.isEmpty,
            relationships: relationships, hasRelationships: !relationships.isEmpty, requests: requests, hasRequests: !requests.isEmpty)
    }

    @Sendable func list(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try pages.render("my-matches", try await model(context))
    }

    private func respond(_ context: SignedInContext, accept: Bool) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match")
        do {
            try await store.respond(toMatch: id, accept: accept, reason: context.form["reason"] ?? "", by: context.identity)
        } catch let error as StoreError where error.isInputProblem {
            var model = try await model(context)
            model.error = error.errorDescription ?? ""
            return try pages.render("my-matches", model, status: APIProblem(error).status)
        }
        var model = try await model(context)
        model.status = accept ? "You accepted the match." : "You declined the match. You will be in the next round of matching."
        return try pages.render("my-matches", model)
    }

    @Sendable func accept(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try await respond(context, accept: true)
    }

    @Sendable func decline(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try await respond(context, accept: false)
    }
}
