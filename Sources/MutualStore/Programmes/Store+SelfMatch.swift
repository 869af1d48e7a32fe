import FluentKit
import Foundation
import MutualMatching
import SQLKit

/// A peer the signed-in participant could ask, ranked by the engine's score.
public struct PeerSuggestion: Sendable, Equatable {
    public let personID: UUID
    public let name: String
    public let department: String
    public let score: Int
    public let reasons: [String]
    /// The viewer already asked them and is waiting for an answer.
    public let requested: Bool
}

/// A self-match request as the sender or the receiver sees it.
public struct MatchRequestView: Sendable, Equatable {
    public let id: UUID
    public let programmeID: UUID
    public let programmeName: String
    public let otherName: String
    /// Whether the viewer received it (and so can accept or decline).
    public let incoming: Bool
    public let status: MatchRequest.Status
    public let message: String
    public let createdAt: Date
}

extension Store {
    /// How many suggestions the self-match page shows.
    public static let suggestionLimit = 20

    /// Peers the participant could ask in a self-match programme, best first: everyone
    /// enrolled with room left whom the programme's hard rules allow and with whom there is
    /// something to learn, scored and explained exactly as a match run would.
    public func suggestedPeers(in programmeID: UUID, by identity: Identity) async throws -> [PeerSuggestion] {
        let programme = try await selfMatchProgramme(programmeID, identity: identity)
        let model = try selfMatchModel(programme)
        let enrolments = try await Enrolment.query(on: try db()).filter(\.$programmeID == programmeID).all()
        guard let mine = enrolments.first(where: { $0.personID == identity.personID }) else {
            throw StoreError.conflict(field: nil, message: "Enrol in \(programme.name) first; suggestions are for its participants.")
        }
        let taken = try await placesTaken(in: programmeID)
        let others = enrolments.filter { $0.personID != identity.personID && taken[$0.personID, default: 0] < programme.capacity }
        let converted = try await enrolledPeople([mine] + others, in: programme)
        let ordered = ([mine] + others).compactMap { enrolment in converted[enrolment.personID].map { (enrolment.personID, $0) } }
        guard ordered.count >= 2, ordered[0].0 == identity.personID else { return [] }
        let people = ordered.map(\.1)
        let context = ScoringContext(
            people: people, rules: try Self.rules(of: programme), model: model, history: try await previousPairs(in: programmeID))
        let pending = Set(
            try await MatchRequest.query(on: try db()).filter(\.$programmeID == programmeID).filter(\.$fromPersonID == identity.personID)
                .filter(\.$status == .pending).all().map(\.toPersonID))
        var suggestions: [PeerSuggestion] = []
        for other in 1..<people.count {
            // Someone the rules allow but who has nothing to teach or learn here is no suggestion.
            guard let (a, b) = Self.orientation(context, viewer: 0, other: other), context.weight(a, b) > 0 else { continue }
            suggestions.append(
                PeerSuggestion(
                    personID: ordered[other].0, name: people[other].name, department: people[other].department,
                    score: context.displayScore(context.weight(a, b)), reasons: PairExplainer.reasons(context, a, b),
                    requested: pending.contains(ordered[other].0)))
        }
        return Array(suggestions.sorted { ($1.score, $0.name) < ($0.score, $1.name) }.prefix(Self.suggestionLimit))
    }

    /// Asks another participant to work together. Refused when the programme's hard rules do
    /// not allow the pair, when either has no room left, or when a request is already open.
    @discardableResult
    public func sendMatchRequest(in programmeID: UUID, to personID: UUID, message rawMessage: String, by identity: Identity) async throws -> UUID {
        let programme = try await selfMatchProgramme(programmeID, identity: identity)
        let model = try selfMatchModel(programme)
        guard personID != identity.personID else {
            throw StoreError.invalid(field: "person", message: "Choose someone other than yourself.")
        }
        let message = try InputRules.longText(rawMessage, field: "message", label: "the message", maxLength: TextLimits.message)
        let enrolments = try await Enrolment.query(on: try db()).filter(\.$programmeID == programmeID)
            .filter(\.$personID ~~ [identity.personID, personID]).all()
        guard enrolments.contains(where: { $0.personID == identity.personID }) else {
            throw StoreError.conflict(field: nil, message: "Enrol in \(programme.name) before asking someone.")
        }
        guard enrolments.contains(where: { $0.personID == personID }),
            let other = try await Person.query(on: try db()).filter(\.$id == personID).filter(\.$organisationID == identity.organisationID).first()
        else { throw StoreError.notFound(what: "participant") }
        let open = try await MatchRequest.query(on: try db()).filter(\.$programmeID == programmeID).filter(\.$status == .pending).group(.or) { either in
            either.group(.and) { $0.filter(\.$fromPersonID == identity.personID).filter(\.$toPersonID == personID) }
            either.group(.and) { $0.filter(\.$fromPersonID == personID).filter(\.$toPersonID == identity.personID) }
        }.first()
        if let open {
            throw StoreError.conflict(
                field: nil,
                message: open.fromPersonID == identity.personID
                    ? "You already asked \(other.name); wait for their answer." : "\(other.name) already asked you; accept their request under My matches.")
        }
        let taken = try await placesTaken(in: programmeID)
        guard taken[identity.personID, default: 0] < programme.capacity else {
            throw StoreError.conflict(field: nil, message: "You already have \(programme.capacity) open relationship(s) in \(programme.name), the most it allows.")
        }
        guard taken[personID, default: 0] < programme.capacity else {
            throw StoreError.conflict(field: nil, message: "\(other.name) has no room left in \(programme.name). Choose someone else.")
        }
        // The pair must pass the same hard rules as a run.
        let converted = try await enrolledPeople(enrolments, in: programme)
        guard let me = converted[identity.personID], let them = converted[personID] else { throw StoreError.notFound(what: "participant") }
        let context = ScoringContext(
            people: [me, them], rules: try Self.rules(of: programme), model: model, history: try await previousPairs(in: programmeID))
        if Self.orientation(context, viewer: 0, other: 1) == nil {
            let blocking = context.blockingConstraint(0, 1) ?? context.blockingConstraint(1, 0) ?? .samePerson
            throw StoreError.conflict(
                field: "person", message: "\(programme.name)'s rules do not allow you and \(other.name) as a match (\(blocking.rawValue)). Choose someone else.")
        }
        let request = MatchRequest()
        request.organisationID = identity.organisationID
        request.programmeID = programmeID
        request.fromPersonID = identity.personID
        request.toPersonID = personID
        request.status = .pending
        request.message = message
        request.createdAt = clock.now
        try await transaction { database in
            try await request.create(on: database)
            try await self.record(
                NewEvent(
                    .matchRequestSent, organisationID: identity.organisationID, actor: identity.personID, subject: try request.requireID(),
                    payload: ["programme_id": .id(programmeID), "to_person_id": .id(personID)]),
                on: database)
        }
        return try request.requireID()
    }

    /// Accepts or declines a request sent to the signed-in participant. Accepting opens the
    /// relationship. Capacity is checked inside the transaction after both people's enrolment
    /// rows are locked, so two accepts at the same moment cannot go past anyone's capacity.
    public func answerMatchRequest(_ id: UUID, accept: Bool, by identity: Identity) async throws {
        guard let request = try await MatchRequest.query(on: try db()).filter(\.$id == id).filter(\.$organisationID == identity.organisationID)
            .group(.or, { $0.filter(\.$toPersonID == identity.personID).filter(\.$fromPersonID == identity.personID) }).first()
        else { throw StoreError.notFound(what: "request") }
        guard request.toPersonID == identity.personID else {
            throw StoreError.forbidden(message: "Only the person you asked can answer this request; you can withdraw it.")
        }
        guard request.status == .pending else {
            throw StoreError.conflict(field: nil, message: "This request is already \(request.status.rawValue).")
        }
        guard accept else {
            request.status = .declined
            request.answeredAt = clock.now
            try await transaction { database in
                try await request.save(on: database)
                try await self.record(
                    NewEvent(.matchRequestAnswered, organisationID: identity.organisationID, actor: identity.personID, subject: id, payload: ["accepted": .bool(false)]),
                    on: database)
            }
            return
        }
        guard let programme = try await Programme.find(request.programmeID, on: try db()) else { throw StoreError.notFound(what: "programme") }
        let names = Dictionary(
            try await Person.query(on: try db()).filter(\.$id ~~ [request.fromPersonID, request.toPersonID]).all().map { (try $0.requireID(), $0.name) },
            uniquingKeysWith: { a, _ in a })
        try await transaction { transaction in
            // Lock both enrolments first, always in the same order (no deadlock). The first
            // statement is a write, so SQLite takes its write lock here and PostgreSQL its row
            // locks: a concurrent accept waits, then counts what this one committed.
            let pair = [request.fromPersonID, request.toPersonID].sorted { $0.uuidString < $1.uuidString }
            guard let sql = transaction as? any SQLDatabase else { throw StoreError.unavailable }
            for personID in pair {
                try await sql.update(Enrolment.schema).set(SQLIdentifier("role"), to: SQLIdentifier("role"))
                    .where("programme_id", .equal, SQLBind(request.programmeID)).where("person_id", .equal, SQLBind(personID)).run()
            }
            guard let fresh = try await MatchRequest.find(id, on: transaction), fresh.status == .pending else {
                throw StoreError.conflict(field: nil, message: "This request was answered or withdrawn a moment ago.")
            }
            let enrolled = try await Enrolment.query(on: transaction).filter(\.$programmeID == request.programmeID)
                .filter(\.$personID ~~ pair).count()
            guard enrolled == 2 else {
                throw StoreError.conflict(field: nil, message: "One of you has left \(programme.name), so this request can no longer be accepted.")
            }
            let taken = try await self.placesTaken(in: request.programmeID, among: pair, on: transaction)
            for personID in [request.toPersonID, request.fromPersonID] where taken[personID, default: 0] >= programme.capacity {
                let who = personID == identity.personID ? "You have" : "\(names[personID] ?? "They") has"
                throw StoreError.conflict(
                    field: nil, message: "\(who) no room left in \(programme.name) (at most \(programme.capacity) open relationship(s) each). End or complete one first.")
            }
            fresh.status = .accepted
            fresh.answeredAt = self.clock.now
            try await fresh.save(on: transaction)
            try await self.record(
                NewEvent(.matchRequestAnswered, organisationID: identity.organisationID, actor: identity.personID, subject: id, payload: ["accepted": .bool(true)]),
                on: transaction)
            _ = try await self.openRelationship(
                programme: programme, matchID: nil, memberIDs: [request.fromPersonID, request.toPersonID], actor: identity.personID, on: transaction)
        }
    }

    /// Throws "not found" unless the signed-in participant sent or received the request.
    public func requireMatchRequest(_ id: UUID, of identity: Identity) async throws {
        guard try await MatchRequest.query(on: try db()).filter(\.$id == id).filter(\.$organisationID == identity.organisationID)
            .group(.or, { $0.filter(\.$toPersonID == identity.personID).filter(\.$fromPersonID == identity.personID) }).first() != nil
        else { throw StoreError.notFound(what: "request") }
    }

    /// Withdraws a request the signed-in participant sent and nobody answered yet.
    public func withdrawMatchRequest(_ id: UUID, by identity: Identity) async throws {
        guard let request = try await MatchRequest.query(on: try db()).filter(\.$id == id).filter(\.$organisationID == identity.organisationID)
            .filter(\.$fromPersonID == identity.personID).first()
        else { throw StoreError.notFound(what: "request") }
        guard request.status == .pending else {
            throw StoreError.conflict(field: nil, message: "This request is already \(request.status.rawValue).")
        }
        request.status = .withdrawn
        request.answeredAt = clock.now
        try await request.save(on: try db())
    }

    /// The signed-in participant's requests, sent and received, newest first.
    public func matchRequests(of identity: Identity) async throws -> [MatchRequestView] {
        let requests = try await MatchRequest.query(on: try db()).filter(\.$organisationID == identity.organisationID)
            .group(.or, { $0.filter(\.$toPersonID == identity.personID).filter(\.$fromPersonID == identity.personID) })
            .sort(\.$createdAt, .descending).all()
        guard !requests.isEmpty else { return [] }
        let otherIDs = requests.map { $0.toPersonID == identity.personID ? $0.fromPersonID : $0.toPersonID }
        let names = Dictionary(
            try await Person.query(on: try db()).filter(\.$id ~~ Array(Set(otherIDs))).all().map { (try $0.requireID(), $0.name) },
            uniquingKeysWith: { a, _ in a })
        let programmes = Dictionary(
            try await Programme.query(on: try db()).filter(\.$id ~~ Array(Set(requests.map(\.programmeID)))).all().map { (try $0.requireID(), $0.name) },
            uniquingKeysWith: { a, _ in a })
        return try zip(requests, otherIDs).map { request, other in
            MatchRequestView(
                id: try request.requireID(), programmeID: request.programmeID, programmeName: programmes[request.programmeID] ?? "",
                otherName: names[other] ?? "Someone who left", incoming: request.toPersonID == identity.personID, status: request.status,
                message: request.message, createdAt: request.createdAt)
        }
    }

    // MARK: Helpers

    private func selfMatchProgramme(_ programmeID: UUID, identity: Identity) async throws -> Programme {
        let programme = try await scopedProgramme(id: programmeID, of: identity)
        guard programme.selfMatch else {
            // Someone who may not see the programme at all hears that it does not exist.
            _ = try await self.programme(id: programmeID, of: identity)
            throw StoreError.conflict(
                field: nil, message: "\(programme.name) matches people through the programme manager's runs; choosing your own match is switched off.")
        }
        return programme
    }

    private func selfMatchModel(_ programme: Programme) throws -> MatchModel {
        guard let model = Self.engineModel(programme.model) else {
            throw StoreError.conflict(field: nil, message: "\(programme.name) forms groups, which the programme manager composes; self-match is for pairs.")
        }
        return model
    }

    /// The pair as the engine scores it, viewer first, or the mentor first in mentoring;
    /// `nil` when no direction is allowed.
    static func orientation(_ context: ScoringContext, viewer: Int, other: Int) -> (Int, Int)? {
        guard context.model == .mentoring else { return context.isAllowed(viewer, other) ? (viewer, other) : nil }
        if context.isAllowed(other, viewer) { return (other, viewer) }
        if context.isAllowed(viewer, other) { return (viewer, other) }
        return nil
    }

    /// Places each person uses in the programme: open relationships and pending matches.
    func placesTaken(in programmeID: UUID, among people: [UUID]? = nil, on database: (any Database)? = nil) async throws -> [UUID: Int] {
        let database = try database ?? db()
        var taken: [UUID: Int] = [:]
        let open = try await Relationship.query(on: database).filter(\.$programmeID == programmeID).filter(\.$status ~~ [.active, .paused]).all()
            .map { try $0.requireID() }
        for slice in open.queryBatches() {
            let query = RelationshipMember.query(on: database).filter(\.$relationshipID ~~ Array(slice))
            if let people { query.filter(\.$personID ~~ people) }
            for member in try await query.all() { taken[member.personID, default: 0] += 1 }
        }
        let pending = try await PublishedMatch.query(on: database).filter(\.$programmeID == programmeID).filter(\.$status == .pending).all()
            .map { try $0.requireID() }
        for slice in pending.queryBatches() {
            let query = MatchMember.query(on: database).filter(\.$matchID ~~ Array(slice))
            if let people { query.filter(\.$personID ~~ people) }
            for member in try await query.all() { taken[member.personID, default: 0] += 1 }
        }
        return taken
    }
}
