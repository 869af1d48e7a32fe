/// One skill a teacher can help a learner with, as a pair's explanation counts it
/// (``PairExplainer/teachingPoints(_:teacher:learner:)``).
public struct TeachingPoint: Sendable, Hashable {
    /// The wanted skill, as the learner wrote it.
    public let skill: String
    /// Where the learner is now (0 new … 4).
    public let learnerLevel: Int
    /// The teacher's level in the skill, or in ``relatedSkill`` when the credit is for a related
    /// skill (0 when no related skill is named).
    public let teacherLevel: Int
    /// `nil` when the teacher has the skill itself; otherwise their related skill of the same
    /// family (empty when none is named).
    public let relatedSkill: String?
    /// The engine's sentence for it ("Ana (SQL 4) → Ben (SQL 2, wants it)").
    public let line: String
}
