/// A group's suggested facilitation: who facilitates each meeting in turn and whose challenge
/// takes the "hot seat" first, each with the reason.
///
/// * **Facilitator order.** First the members with a facilitation-type strength (facilitation,
///   coaching, leadership, public speaking, conflict resolution — the best level first), then by
///   how many other members they can teach (someone the group already learns from finds it easy
///   to lead), then by seniority; the role then rotates in that order, one meeting each.
/// * **Hot-seat order.** First the members whose wants the group covers best (most wants with a
///   teacher in the group, then the most learning value), so the opening sessions show the group
///   at its most useful; the first meeting's facilitator never also takes its hot seat, because
///   nobody can lead and be coached at once.
public struct GroupFacilitation: Sendable, Hashable {
    public var facilitatorOrder: [Int]
    public var hotSeatOrder: [Int]
    public var reasons: [String]

    /// Skills that make someone a natural first facilitator (slugs).
    public static let facilitationSkills = ["facilitation", "coaching", "leadership", "public-speaking", "conflict-resolution"]

    public static func suggest(_ members: [Int32], coverage: [GroupCoverage], scorer: GroupScorer) -> GroupFacilitation {
        let context = scorer.context
        let people = members.map(Int.init)
        func facilitationSkill(_ person: Int) -> SkillLevel? {
            context.people[person].strengths.filter { facilitationSkills.contains($0.skill) }
                .max { ($0.level, $1.skill) < ($1.level, $0.skill) }
        }
        func teaches(_ person: Int) -> Int {
            Set(coverage.filter { $0.teachers.contains { $0.person == person } }.map(\.learner)).count
        }
        let facilitators = people.sorted { a, b in
            let ka = (facilitationSkill(a)?.level ?? 0, teaches(a), context.people[a].level ?? 0)
            let kb = (facilitationSkill(b)?.level ?? 0, teaches(b), context.people[b].level ?? 0)
            return ka != kb ? ka > kb : a < b
        }
        func covered(_ person: Int) -> (count: Int, value: Int) {
            let rows = coverage.filter { $0.learner == person && !$0.teachers.isEmpty }
            return (rows.count, rows.reduce(0) { $0 + ($1.teachers.first?.value ?? 0) })
        }
        var hotSeats = people.sorted { a, b in
            let ca = covered(a), cb = covered(b)
            return (ca.count, ca.value) != (cb.count, cb.value) ? (ca.count, ca.value) > (cb.count, cb.value) : a < b
        }
        var reasons: [String] = []
        guard let first = facilitators.first else { return GroupFacilitation(facilitatorOrder: [], hotSeatOrder: [], reasons: []) }
        let name = context.people[first].displayName
        if let skill = facilitationSkill(first) {
            reasons.append("\(name) facilitates first: \(skill.displayName) \(skill.level)")
        } else {
            let count = teaches(first)
            reasons.append(count > 0
                ? "\(name) facilitates first: can teach \(count) of the others, the most in the group"
                : "\(name) facilitates first: the most senior member")
        }
        reasons.append("the facilitator role then rotates in this order, one meeting each: "
            + facilitators.map { context.people[$0].displayName }.joined(separator: " → "))
        if hotSeats.first == first, hotSeats.count > 1 {
            hotSeats.swapAt(0, 1)
            reasons.append("\(name) is not first in the hot seat because \(name) facilitates the first meeting")
        }
        let seat = hotSeats[0]
        let coveredRows = coverage.filter { $0.learner == seat && !$0.teachers.isEmpty }
        if coveredRows.isEmpty {
            reasons.append("\(context.people[seat].displayName) takes the first hot seat")
        } else {
            let detail = coveredRows.map { "\($0.skillName) from \(context.people[$0.teachers[0].person].displayName)" }
            reasons.append("\(context.people[seat].displayName) takes the first hot seat: the group covers "
                + "\(coveredRows.count) of their wants (\(detail.joined(separator: ", ")))")
        }
        return GroupFacilitation(facilitatorOrder: facilitators, hotSeatOrder: hotSeats, reasons: reasons)
    }
}
