import FluentKit
import Foundation
import MutualMatching

/// A relationship as its members and the programme manager see it: who is in it, what each
/// can teach the others, and the agreement with everyone's signature.
public struct RelationshipView: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public let personID: UUID
        public let name: String
        public let department: String
        public let email: String?
        /// Their profile's time zone (an IANA name), so pages show each member's local time.
        public let timeZone: String
        public let goals: String
        /// Whether they signed the current version of the agreement.
        public let signed: Bool
        public let isViewer: Bool
    }

    public let id: UUID
    public let programmeID: UUID
    public let programmeName: String
    public let status: Relationship.Status
    public let startedAt: Date
    public let endedAt: Date?
    public let endReason: String
    public let vision: String
    public let boundaries: String
    public let confidentiality: String
    public let cadence: String
    /// The structured choice of how often they meet; `nil` until chosen.
    public let meetingCadence: MeetingCadence?
    public let structure: ProgrammeStructure
    public let agreementVersion: Int
    public let members: [Member]
    /// Who can teach whom what, in the engine's words ("Ana (SQL 4) → Ben (SQL 2, wants it)").
    public let teaching: [String]
    /// Why they were matched, from the published match (empty for a self-match).
    public let reasons: [String]

    public var viewerIsMember: Bool { members.contains(where: \.isViewer) }
    /// Every member signed the current version.
    public var isSigned: Bool { members.allSatisfy(\.signed) }
    public var viewerSigned: Bool { members.first(where: \.isViewer)?.signed ?? false }
}

/// One line in a list of relationships.
public struct RelationshipSummary: Sendable, Equatable {
    public let id: UUID
    public let programmeName: String
    public let memberNames: [String]
    public let status: Relationship.Status
    public let isSigned: Bool
}

/// What a member writes into the agreement. `goals` are the writer's own goals.
public struct AgreementDraft: Sendable, Equatable {
    public var vision: String
    public var goals: String
    public var boundaries: String
    public var confidentiality: String
    public var cadence: String
    public var structure: ProgrammeStructure
    /// How often they meet, as a structured choice; `nil` keeps the current choice (or, when
    /// there is none, takes the one `cadence`'s words clearly name).
    public var meetingCadence: MeetingCadence?

    public init(
        vision: String, goals: String, boundaries: String, confidentiality: String, cadence: String, structure: ProgrammeStructure,
        meetingCadence: MeetingCadence? = nil
    ) {
        self.meetingCadence = meetingCadence
        self.vision = vision
        self.goals = goals
        self.boundaries = boundaries
        self.confidentiality = confidentiality
        self.cadence = cadence
        self.structure = structure
    }
}

extension Store {
    /// Longest text accepted in any agreement field.
    public static let agreementFieldLimit = TextLimits.agreementField

    /// Opens a relationship for people who just agreed to work together, with the agreement's
    /// cadence and structure started from the programme's. Runs inside the caller's transaction.
    func openRelationship(
        programme: Programme, matchID: UUID?, memberIDs: [UUID], actor: UUID?, on database: any Database
    ) async throws -> Relationship {
        let relationship = Relationship()
        relationship.organisationID = programme.organisationID
        relationship.programmeID = try programme.requireID()
        relationship.matchID = matchID
        relationship.status = .active
        relationship.endReason = ""
        relationship.startedAt = clock.now
        relationship.vision = ""
        relationship.boundaries = ""
        relationship.confidentiality = ""
        relationship.cadence = programme.cadence
        let cadence = MeetingCadence.interpret(programme.cadence)
        relationship.cadenceInterval = cadence?.interval.rawValue ?? ""
        relationship.cadenceDays = cadence?.days ?? 0
        relationship.structure = programme.structure
        relationship.agreementVersion = 1
        try await relationship.create(on: database)
        for (position, personID) in memberIDs.enumerated() {
            let member = RelationshipMember()
            member.organisationID = programme.organisationID
            member.relationshipID = try relationship.requireID()
            member.personID = personID
            member.position = position
            member.goals = try await Enrolment.query(on: database).filter(\.$programmeID == relationship.programmeID)
                .filter(\.$personID == personID).first()?.goals ?? ""
            member.signedVersion = 0
            try await member.create(on: database)
            // Goals and milestones (Goals/): the enrolment's goals, one per line, and the programme's templates.
            try await addGoals(
                fromText: member.goals, relationshipID: member.relationshipID, personID: personID, organisationID: programme.organisationID, on: database)
        }
        try await applyMilestoneTemplates(to: relationship, on: database)
        var payload: [String: EventValue] = ["programme_id": .id(relationship.programmeID), "members": .ids(memberIDs)]
        if let matchID { payload["match_id"] = .id(matchID) }
        try await record(
            NewEvent(.relationshipOpened, organisationID: programme.organisationID, actor: actor, subject: try relationship.requireID(), payload: payload),
            on: database)
        return relationship
    }

    /// A relationship for one of its members or a programme manager; "not found" for anyone
    /// else, so nobody learns which relationships exist.
    public func relationship(id: UUID, of identity: Identity) async throws -> RelationshipView {
        let (relationship, members) = try await scopedRelationship(id: id, of: identity)
        guard let programme = try await Programme.find(relationship.programmeID, on: try db()) else {
            throw StoreError.notFound(what: "relationship")
        }
        let personIDs = members.map(\.personID)
        var people: [UUID: Person] = [:]
        for person in try await Person.query(on: try db()).filter(\.$id ~~ personIDs).all() { people[try person.requireID()] = person }
        let memberViews = members.map { member in
            RelationshipView.Member(
                personID: member.personID, name: people[member.personID]?.name ?? "Someone who left", department: people[member.personID]?.department ?? "",
                email: people[member.personID]?.email, timeZone: people[member.personID]?.timeZone ?? "UTC", goals: member.goals, signed: member.signedVersion == relationship.agreementVersion,
                isViewer: member.personID == identity.personID)
        }
        var reasons: [String] = []
        if let matchID = relationship.matchID, let match = try await PublishedMatch.find(matchID, on: try db()) {
            reasons = (try? JSONDecoder().decode([String].self, from: Data(match.reasonsJSON.utf8))) ?? []
        }
        return RelationshipView(
            id: id, programmeID: relationship.programmeID, programmeName: programme.name, status: relationship.status,
            startedAt: relationship.startedAt, endedAt: relationship.endedAt,
            endReason: Self.endReason(
                of: relationship, members: members, for: identity, viewerManages: try await manages(programmeID: relationship.programmeID, identity)),
            vision: relationship.vision,
            boundaries: relationship.boundaries, confidentiality: relationship.confidentiality, cadence: relationship.cadence,
            meetingCadence: relationship.meetingCadence, structure: relationship.structure, agreementVersion: relationship.agreementVersion, members: memberViews,
            teaching: try await teachingLines(personIDs, organisationID: relationship.organisationID), reasons: reasons)
    }

    /// The signed-in member's relationships, open ones first, then newest first.
    public func myRelationships(of identity: Identity) async throws -> [RelationshipSummary] {
        let mine = try await RelationshipMember.query(on: try db()).filter(\.$personID == identity.personID)
            .filter(\.$organisationID == identity.organisationID).all()
        return try await summaries(of: mine.map(\.relationshipID))
    }

    /// A programme's relationships, for its manager.
    public func relationships(in programmeID: UUID, by identity: Identity) async throws -> [RelationshipSummary] {
        _ = try await managedProgramme(id: programmeID, of: identity)
        let ids = try await Relationship.query(on: try db()).filter(\.$programmeID == programmeID).all().map { try $0.requireID() }
        return try await summaries(of: ids)
    }

    /// Changes the agreement. Only members write it; any change is a new version, so everyone
    /// signs again what they now agree to.
    public func updateAgreement(relationshipID id: UUID, _ draft: AgreementDraft, by identity: Identity) async throws {
        let (relationship, members) = try await scopedRelationship(id: id, of: identity)
        guard let me = members.first(where: { $0.personID == identity.personID }) else {
            throw StoreError.forbidden(message: "Only the members of a relationship write its agreement. You can read it as the programme manager.")
        }
        guard relationship.status.isOpen else {
            throw StoreError.conflict(field: nil, message: "This relationship is \(relationship.status.rawValue), so its agreement can no longer change.")
        }
        let fields: [(String, String, String)] = [
            ("vision", "shared vision", draft.vision), ("goals", "goals", draft.goals), ("boundaries", "boundaries", draft.boundaries),
            ("confidentiality", "confidentiality", draft.confidentiality), ("cadence", "cadence", draft.cadence),
        ]
        var clean: [String: String] = [:]
        for (field, label, value) in fields {
            clean[field] = try InputRules.longText(value, field: field, label: "the \(label)", maxLength: Self.agreementFieldLimit)
        }
        let text = clean
        let myID = try me.requireID()
        try await transaction { transaction in
            // Read again under the row's lock: two edits at once each see the other's version,
            // so every text gets a version of its own and the versions stay contiguous.
            try await Self.lockRows(Relationship.schema, where: "id", equals: id, on: transaction)
            guard let relationship = try await Relationship.find(id, on: transaction),
                let me = try await RelationshipMember.find(myID, on: transaction)
            else { throw StoreError.notFound(what: "relationship") }
            guard relationship.status.isOpen else {
                throw StoreError.conflict(field: nil, message: "This relationship is \(relationship.status.rawValue), so its agreement can no longer change.")
            }
            let choice = draft.meetingCadence ?? relationship.meetingCadence ?? MeetingCadence.interpret(text["cadence"] ?? "")
            let changed = relationship.vision != text["vision"] || me.goals != text["goals"] || relationship.boundaries != text["boundaries"]
                || relationship.confidentiality != text["confidentiality"] || relationship.cadence != text["cadence"]
                || relationship.structure != draft.structure || relationship.meetingCadence != choice
            guard changed else { return }
            relationship.cadenceInterval = choice?.interval.rawValue ?? ""
            relationship.cadenceDays = choice?.days ?? 0
            relationship.vision = text["vision"] ?? ""
            relationship.boundaries = text["boundaries"] ?? ""
            relationship.confidentiality = text["confidentiality"] ?? ""
            relationship.cadence = text["cadence"] ?? ""
            relationship.structure = draft.structure
            relationship.agreementVersion += 1
            relationship.agreementUpdatedAt = self.clock.now
            try await relationship.save(on: transaction)
            me.goals = text["goals"] ?? ""
            try await me.save(on: transaction)
            // New lines of the member's goals become trackable goals; none is removed (Goals/).
            try await self.addGoals(
                fromText: me.goals, relationshipID: id, personID: me.personID, organisationID: identity.organisationID, on: transaction)
            try await self.record(
                NewEvent(
                    .agreementChanged, organisationID: identity.organisationID, actor: identity.personID, subject: id,
                    payload: ["version": .int(relationship.agreementVersion)]),
                on: transaction)
        }
    }

    /// Signs the agreement as the member read it. `version` is the version they saw: when
    /// someone changed it since, signing is refused so nobody signs words they have not read.
    public func signAgreement(relationshipID id: UUID, version: Int, by identity: Identity) async throws {
        let (relationship, members) = try await scopedRelationship(id: id, of: identity)
        guard let me = members.first(where: { $0.personID == identity.personID }) else {
            throw StoreError.forbidden(message: "Only the members of a relationship sign its agreement.")
        }
        guard relationship.status.isOpen else {
            throw StoreError.conflict(field: nil, message: "This relationship is \(relationship.status.rawValue); there is nothing left to sign.")
        }
        let myID = try me.requireID()
        try await transaction { database in
            // The version is compared under the row's lock: an edit committed meanwhile cannot
            // slip between the check and the signature.
            try await Self.lockRows(Relationship.schema, where: "id", equals: id, on: database)
            guard let relationship = try await Relationship.find(id, on: database), let me = try await RelationshipMember.find(myID, on: database) else {
                throw StoreError.notFound(what: "relationship")
            }
            guard version == relationship.agreementVersion else {
                throw StoreError.conflict(
                    field: "version", message: "The agreement changed since you opened it. Read the new version and sign again.")
            }
            guard !relationship.vision.isEmpty, !relationship.cadence.isEmpty || relationship.meetingCadence != nil else {
                throw StoreError.invalid(
                    field: relationship.vision.isEmpty ? "vision" : "cadence",
                    message: "Write down the shared vision and how often you meet before signing.")
            }
            me.signedVersion = version
            me.signedAt = self.clock.now
            try await me.save(on: database)
            try await self.record(
                NewEvent(.agreementSigned, organisationID: identity.organisationID, actor: identity.personID, subject: id, payload: ["version": .int(version)]),
                on: database)
        }
    }

    /// Pauses, resumes, completes or dissolves a relationship; a member or a programme manager
    /// may. Dissolving unwinds it: the members return to the pool for the next run, and the
    /// history keeps them from being matched together again.
    public func changeRelationship(id: UUID, to status: Relationship.Status, reason rawReason: String = "", by identity: Identity) async throws {
        let (relationship, _) = try await scopedRelationship(id: id, of: identity)
        let reason = try InputRules.longText(rawReason, field: "reason", label: "the reason", maxLength: TextLimits.message)
        guard relationship.status.isOpen else {
            throw StoreError.conflict(field: "status", message: "This relationship is already \(relationship.status.rawValue); it cannot change any more.")
        }
        guard status != relationship.status else {
            throw StoreError.conflict(field: "status", message: "This relationship is already \(status.rawValue).")
        }
        let previous = relationship.status
        relationship.status = status
        if !status.isOpen {
            relationship.endedAt = clock.now
            relationship.endReason = reason
            relationship.endedBy = identity.personID
        }
        let type: EventType =
            switch status {
            case .active: .relationshipResumed
            case .paused: .relationshipPaused
            case .completed: .relationshipCompleted
            case .dissolved: .relationshipUnwound
            }
        try await transaction { database in
            try await relationship.save(on: database)
            try await self.record(
                NewEvent(
                    type, organisationID: identity.organisationID, actor: identity.personID, subject: id,
                    payload: ["from": .string(previous.rawValue), "to": .string(status.rawValue)]),
                on: database)
        }
    }

    /// The reason a relationship ended, as the viewer may read it: a member leaves without
    /// fault, so the reason they gave is shown to them and to managers, never to the other
    /// members; a manager's or the system's reason is shown to everyone.
    static func endReason(of relationship: Relationship, members: [RelationshipMember], for identity: Identity, viewerManages: Bool) -> String {
        guard let endedBy = relationship.endedBy, endedBy != identity.personID, !viewerManages,
            members.contains(where: { $0.personID == endedBy })
        else { return relationship.endReason }
        return ""
    }

    // MARK: Helpers

    /// The relationship and its members, when the caller is a member or manages its programme.
    func scopedRelationship(id: UUID, of identity: Identity) async throws -> (Relationship, [RelationshipMember]) {
        guard let relationship = try await Relationship.query(on: try db()).filter(\.$id == id)
            .filter(\.$organisationID == identity.organisationID).first()
        else { throw StoreError.notFound(what: "relationship") }
        let members = try await RelationshipMember.query(on: try db()).filter(\.$relationshipID == id).sort(\.$position).all()
        let isMember = members.contains { $0.personID == identity.personID }
        let isManager = isMember ? false : try await manages(programmeID: relationship.programmeID, identity)
        guard isMember || isManager else {
            throw StoreError.notFound(what: "relationship")
        }
        return (relationship, members)
    }

    private func summaries(of ids: [UUID]) async throws -> [RelationshipSummary] {
        guard !ids.isEmpty else { return [] }
        var relationships: [Relationship] = []
        var members: [UUID: [RelationshipMember]] = [:]
        for slice in ids.queryBatches() {
            relationships += try await Relationship.query(on: try db()).filter(\.$id ~~ Array(slice)).all()
            for member in try await RelationshipMember.query(on: try db()).filter(\.$relationshipID ~~ Array(slice)).all() {
                members[member.relationshipID, default: []].append(member)
            }
        }
        let personIDs = Array(Set(members.values.flatMap { $0.map(\.personID) }))
        var names: [UUID: String] = [:]
        for slice in personIDs.queryBatches() {
            for person in try await Person.query(on: try db()).filter(\.$id ~~ Array(slice)).all() { names[try person.requireID()] = person.name }
        }
        let programmeIDs = Array(Set(relationships.map(\.programmeID)))
        var programmeNames: [UUID: String] = [:]
        for programme in try await Programme.query(on: try db()).filter(\.$id ~~ programmeIDs).all() { programmeNames[try programme.requireID()] = programme.name }
        return try relationships.sorted { ($0.status.isOpen ? 0 : 1, $1.startedAt) < ($1.status.isOpen ? 0 : 1, $0.startedAt) }.map { relationship in
            let own = (members[try relationship.requireID()] ?? []).sorted { $0.position < $1.position }
            return RelationshipSummary(
                id: try relationship.requireID(), programmeName: programmeNames[relationship.programmeID] ?? "",
                memberNames: own.map { names[$0.personID] ?? "Someone who left" }, status: relationship.status,
                isSigned: own.allSatisfy { $0.signedVersion == relationship.agreementVersion })
        }
    }

    /// Every ordered teacher → learner line among the members, in the engine's words.
    private func teachingLines(_ personIDs: [UUID], organisationID: UUID) async throws -> [String] {
        let converted = try await enginePeople(personIDs, organisationID: organisationID)
        let people = personIDs.compactMap { converted[$0] }
        guard people.count >= 2 else { return [] }
        let context = ScoringContext(people: people, rules: MatchRules.defaults(for: .pairs), model: .pairs)
        var lines: [String] = []
        for teacher in people.indices {
            for learner in people.indices where learner != teacher {
                lines += PairExplainer.teachingLines(context, teacher: teacher, learner: learner)
            }
        }
        return lines
    }
}
