import Foundation

/// The ledger's counting rules, apart from the database so tests can check them on hand-built
/// and random examples.
public enum LedgerArithmetic {
    /// What the members of one meeting logged: per person, the skills they taught and learned.
    public struct LoggedMeeting: Sendable, Equatable {
        public let meetingID: UUID
        public let startsAt: Date
        public let taught: [UUID: Set<UUID>]
        public let learned: [UUID: Set<UUID>]

        public init(meetingID: UUID, startsAt: Date, taught: [UUID: Set<UUID>], learned: [UUID: Set<UUID>]) {
            self.meetingID = meetingID
            self.startsAt = startsAt
            self.taught = taught
            self.learned = learned
        }

        /// Members who logged teaching anything at this meeting.
        public var teachers: Set<UUID> { Set(taught.filter { !$0.value.isEmpty }.keys) }
    }

    /// One teacher → learner edge of one skill; nil is "the group".
    public struct FlowKey: Hashable, Sendable {
        public let skillID: UUID
        public let teacherID: UUID?
        public let learnerID: UUID?

        public init(skillID: UUID, teacherID: UUID?, learnerID: UUID?) {
            self.skillID = skillID
            self.teacherID = teacherID
            self.learnerID = learnerID
        }
    }

    public struct FlowCount: Equatable, Sendable {
        public var meetings = 0
        public var confirmed = 0
        public var lastAt = Date.distantPast
    }

    /// Who taught whom what, counted once per meeting. Within a meeting and skill: each member
    /// who taught it → each other member who learned it (confirmed by both logs). When only one
    /// side logged the skill, the other side is the other member of a pair, or "the group" (nil)
    /// when there are more members, since one log alone does not say who.
    public static func flows(_ meetings: [LoggedMeeting], memberIDs: [UUID]) -> [FlowKey: FlowCount] {
        var counts: [FlowKey: FlowCount] = [:]
        for meeting in meetings {
            var edges: [FlowKey: Bool] = [:]  // edge → confirmed by both
            let skills = Set(meeting.taught.values.flatMap { $0 }).union(meeting.learned.values.flatMap { $0 })
            for skill in skills {
                let teachers = meeting.taught.filter { $0.value.contains(skill) }.map(\.key)
                let learners = meeting.learned.filter { $0.value.contains(skill) }.map(\.key)
                if !teachers.isEmpty && !learners.isEmpty {
                    for teacher in teachers {
                        for learner in learners where learner != teacher {
                            edges[FlowKey(skillID: skill, teacherID: teacher, learnerID: learner)] = true
                        }
                    }
                } else {
                    for teacher in teachers {
                        let key = FlowKey(skillID: skill, teacherID: teacher, learnerID: other(than: teacher, in: memberIDs))
                        edges[key] = edges[key] ?? false
                    }
                    for learner in learners {
                        let key = FlowKey(skillID: skill, teacherID: other(than: learner, in: memberIDs), learnerID: learner)
                        edges[key] = edges[key] ?? false
                    }
                }
            }
            for (edge, confirmed) in edges {
                counts[edge, default: FlowCount()].meetings += 1
                if confirmed { counts[edge, default: FlowCount()].confirmed += 1 }
                counts[edge, default: FlowCount()].lastAt = max(counts[edge, default: FlowCount()].lastAt, meeting.startsAt)
            }
        }
        return counts
    }

    /// The other member of a pair; nil ("the group") otherwise.
    static func other(than person: UUID, in memberIDs: [UUID]) -> UUID? {
        guard memberIDs.count == 2 else { return nil }
        return memberIDs.first { $0 != person }
    }

    /// The member who alone logged teaching in each of the last three logged meetings (the same
    /// member each time), or nil. `meetings` may come in any order; only meetings someone
    /// logged count, newest by start (then by id, as the SQL scan orders them).
    public static func oneSidedTeacher(_ meetings: [LoggedMeeting], threshold: Int = 3) -> UUID? {
        let recent = meetings
            .filter { !$0.taught.isEmpty || !$0.learned.isEmpty }
            .sorted { ($0.startsAt, $0.meetingID.uuidString) > ($1.startsAt, $1.meetingID.uuidString) }
            .prefix(threshold)
        guard recent.count == threshold else { return nil }
        let teacherSets = recent.map(\.teachers)
        guard let first = teacherSets.first, first.count == 1, teacherSets.allSatisfy({ $0 == first }) else { return nil }
        return first.first
    }
}

extension LedgerArithmetic {
    /// For each member: the meetings in which they taught another member something (by the
    /// flow rules, so a partner's "learned" counts too), and the different skills they taught.
    public static func teachingCounts(_ meetings: [LoggedMeeting], memberIDs: [UUID]) -> [UUID: (meetings: Int, skills: Int)] {
        var meetingCounts: [UUID: Int] = [:]
        var skills: [UUID: Set<UUID>] = [:]
        for meeting in meetings {
            var teachers: Set<UUID> = []
            for key in flows([meeting], memberIDs: memberIDs).keys {
                guard let teacher = key.teacherID, key.learnerID != nil else { continue }
                teachers.insert(teacher)
                skills[teacher, default: []].insert(key.skillID)
            }
            for teacher in teachers { meetingCounts[teacher, default: 0] += 1 }
        }
        return Dictionary(uniqueKeysWithValues: memberIDs.map { ($0, (meetingCounts[$0] ?? 0, skills[$0]?.count ?? 0)) })
    }
}
