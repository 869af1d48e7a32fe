/// One row of a group's coverage table: a member's want and the other members who can teach it.
public struct GroupCoverage: Sendable, Hashable {
    /// One member who can teach the want, with their level in the skill (or in a related skill).
    public struct Teacher: Sendable, Hashable {
        public var person: Int
        public var level: Int
        /// True when the credit comes from a related skill of the same family.
        public var related: Bool
        /// The teaching value (gap value × priority) this teacher brings.
        public var value: Int
    }

    public var learner: Int
    /// The want's skill slug and display name.
    public var skill: String
    public var skillName: String
    /// The learner's current level.
    public var level: Int
    /// Teachers, best first (value, then pool order).
    public var teachers: [Teacher]

    /// The table for a group: one row per want of every member, in member then want order.
    public static func table(_ members: [Int32], context: ScoringContext) -> [GroupCoverage] {
        var rows: [GroupCoverage] = []
        for learner in members.map(Int.init) {
            let person = context.people[learner]
            for (offset, want) in person.wants.enumerated() {
                let index = Int(context.wantStart[learner]) + offset
                var teachers: [Teacher] = []
                for teacher in members.map(Int.init) where teacher != learner {
                    let value = context.wantContribution(teacher: teacher, wantIndex: index)
                    guard value > 0 else { continue }
                    let direct = context.people[teacher].strengthLevel(want.skill)
                    if direct > want.currentLevel {
                        teachers.append(Teacher(person: teacher, level: direct, related: false, value: value))
                    } else {
                        let family = context.rules.skillFamilies.first { $0.skills.contains(want.skill) }
                        let level = context.people[teacher].strengths.filter { family?.skills.contains($0.skill) ?? false }
                            .map(\.level).max() ?? 0
                        teachers.append(Teacher(person: teacher, level: level, related: true, value: value))
                    }
                }
                teachers.sort { ($0.value, -$0.person) > ($1.value, -$1.person) }
                rows.append(GroupCoverage(learner: learner, skill: want.skill, skillName: want.displayName,
                                          level: want.currentLevel, teachers: teachers))
            }
        }
        return rows
    }
}
