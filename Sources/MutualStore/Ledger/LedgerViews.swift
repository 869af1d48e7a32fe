import Foundation

/// One skill in a log, as the ledger shows it.
public struct LedgerItem: Sendable, Equatable {
    public let skillID: UUID
    public let skill: String
    public let note: String
}

/// One member's log of one meeting.
public struct MeetingLogView: Sendable, Equatable {
    public let meetingID: UUID
    public let personID: UUID
    public let name: String
    public let taught: [LedgerItem]
    public let learned: [LedgerItem]
    public let rating: Int?
    public let commitment: String
    public let loggedAt: Date
}

/// A commitment a member made in their log of a meeting ("I will write the query myself").
public struct MeetingCommitment: Sendable, Equatable {
    public let meetingID: UUID
    public let personID: UUID
    public let text: String
}

/// A raised skill level with its date.
public struct SkillLevelChangeView: Sendable, Equatable {
    public let id: UUID
    public let personID: UUID
    public let name: String
    public let skillID: UUID
    public let skill: String
    public let fromLevel: Int
    public let toLevel: Int
    public let changedAt: Date
    public let meetingID: UUID?
}

/// A relationship's learning ledger: the conversation over time, who taught whom what, the
/// reciprocity balance (peer pairs) and the members' raised levels.
public struct RelationshipLedger: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public let personID: UUID
        public let name: String
        public let isViewer: Bool
    }

    /// A meeting that has started (not cancelled), with whatever its members logged.
    public struct Entry: Sendable, Equatable {
        public let meetingID: UUID
        public let startsAt: Date
        public let durationMinutes: Int
        public let logs: [MeetingLogView]
        /// Members who have not logged it.
        public let notLogged: [UUID]
    }

    /// `teacher` taught `learner` `skill` in `meetings` meetings; `confirmed` of them were logged
    /// by both (taught by one, learned by the other). A nil side is "the group": in a group of
    /// three or more, a log by one side alone does not say who the other was.
    public struct Flow: Sendable, Equatable {
        public let skillID: UUID
        public let skill: String
        public let teacherID: UUID?
        public let learnerID: UUID?
        public let meetings: Int
        public let confirmed: Int
        public let lastAt: Date
    }

    /// For peer pairs (pairs and buddies, two members): is teaching going both ways?
    public struct Balance: Sendable, Equatable {
        public struct Side: Sendable, Equatable {
            public let personID: UUID
            /// Meetings in which this member taught the other something (by either's log).
            public let meetingsTaught: Int
            /// Different skills this member taught the other.
            public let skillsTaught: Int
        }
        public let sides: [Side]
        public var bothTeaching: Bool { sides.count == 2 && sides.allSatisfy { $0.meetingsTaught > 0 } }
        /// The member who alone logged teaching in each of the last three logged meetings, when
        /// that is so (the page then prompts gently).
        public let oneSidedTeacherID: UUID?
    }

    public let relationshipID: UUID
    public let members: [Member]
    /// Newest first.
    public let entries: [Entry]
    public let flows: [Flow]
    /// Nil unless the relationship is a peer pair.
    public let balance: Balance?
    /// The members' raised levels that came from this relationship's meetings, newest first.
    public let levelChanges: [SkillLevelChangeView]

    public func name(of personID: UUID?) -> String {
        guard let personID else { return "the group" }
        return members.first { $0.personID == personID }?.name ?? "Someone who left"
    }
}
