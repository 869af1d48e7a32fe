import Foundation

/// A figure Mutual computes from what it records, so a KPI written once in an objective
/// ("meetings per pair per cycle ≥ 6") is measured from then on. The objective editor lists
/// these by their ``name``; a KPI whose name matches a name or an alias is computed, any other
/// is shown as "not measured by Mutual".
public enum Measure: String, Codable, Sendable, CaseIterable {
    case peopleEnrolled = "people_enrolled"
    case matchAcceptance = "match_acceptance"
    case peopleInAcceptedMatch = "people_in_accepted_match"
    case meetingsPerPairPerCycle = "meetings_per_pair_per_cycle"
    case meetingsPerPairPerMonth = "meetings_per_pair_per_month"
    case pairsMetAtLeastOnce = "pairs_met_at_least_once"
    case activeInLast30Days = "active_in_last_30_days"
    case meetingUsefulness = "meeting_usefulness"
    case relationshipHealth = "relationship_health"
    case recommendScore = "recommend_score"
    case retention = "retention"
    case goalCompletion = "goal_completion"
    case participantsCompletingAGoal = "participants_completing_a_goal"
    case milestoneCompletion = "milestone_completion"
    case reciprocityIndex = "reciprocity_index"
    case skillsGrowth = "skills_growth"
    case relationshipsCompleted = "relationships_completed"

    /// The wording the editor offers and the parser recognises first.
    public var name: String {
        switch self {
        case .peopleEnrolled: "people enrolled"
        case .matchAcceptance: "match acceptance"
        case .peopleInAcceptedMatch: "enrolled people in an accepted match"
        case .meetingsPerPairPerCycle: "meetings per pair per cycle"
        case .meetingsPerPairPerMonth: "meetings per pair per month"
        case .pairsMetAtLeastOnce: "pairs that met at least once"
        case .activeInLast30Days: "pairs active in the last 30 days"
        case .meetingUsefulness: "meeting usefulness"
        case .relationshipHealth: "relationship health"
        case .recommendScore: "net promoter score"
        case .retention: "retention of participants after a year"
        case .goalCompletion: "goal completion"
        case .participantsCompletingAGoal: "participants who completed a goal"
        case .milestoneCompletion: "milestones done by their due date"
        case .reciprocityIndex: "reciprocity index"
        case .skillsGrowth: "participants who grew a wanted skill"
        case .relationshipsCompleted: "relationships completed"
        }
    }

    /// Other ways people write the same measure (lower case, compared without punctuation).
    var aliases: [String] {
        switch self {
        case .peopleEnrolled: ["enrolled", "enrolments", "participants enrolled"]
        case .matchAcceptance: ["match acceptance rate", "acceptance rate", "matches accepted"]
        case .peopleInAcceptedMatch: ["new joiners with a buddy", "people matched", "participants matched", "enrolled people matched"]
        case .meetingsPerPairPerCycle: ["meetings per relationship per cycle", "meetings per group per cycle", "meetings per pair"]
        case .meetingsPerPairPerMonth: ["meetings per relationship per month", "meetings per group per month", "meeting cadence"]
        case .pairsMetAtLeastOnce: ["relationships that met at least once", "pairs who met", "met at least once"]
        case .activeInLast30Days: ["relationships active in the last 30 days", "active relationships", "active pairs"]
        case .meetingUsefulness: ["satisfaction", "meeting satisfaction", "average meeting rating", "usefulness of meetings"]
        case .relationshipHealth: ["pulse", "relationship pulse", "health of relationships"]
        case .recommendScore: ["nps", "recommendation score", "would recommend the programme"]
        case .retention: ["retention", "retention of participants", "participants retained after a year", "retained after 12 months"]
        case .goalCompletion: ["goals completed", "goal completion rate"]
        case .participantsCompletingAGoal: ["participants who reached a goal", "participants who solved their hot-seat challenge"]
        case .milestoneCompletion: ["milestone completion", "milestones completed", "milestones on time"]
        case .reciprocityIndex: ["reciprocity", "two-way teaching", "pairs where both taught"]
        case .skillsGrowth: ["skills growth", "participants who grew a skill"]
        case .relationshipsCompleted: ["completion rate", "relationships completed as planned", "pairs completed"]
        }
    }

    /// The unit a KPI on this measure is written in.
    public var unit: String {
        switch self {
        case .peopleEnrolled: "people"
        case .meetingsPerPairPerCycle, .meetingsPerPairPerMonth, .recommendScore: ""
        case .meetingUsefulness, .relationshipHealth: "out of 5"
        default: "%"
        }
    }

    /// Whether the value is a share (0–100 %) with a denominator, given a Wilson interval.
    public var isRate: Bool { unit == "%" }

    /// Whether the figure accumulates through the cycle, so that mid-cycle it is compared with
    /// the target scaled to the part of the cycle that has passed (3 of 6 meetings halfway
    /// through is on track).
    public var accumulates: Bool {
        switch self {
        case .meetingsPerPairPerCycle, .goalCompletion, .participantsCompletingAGoal, .skillsGrowth, .relationshipsCompleted: true
        default: false
        }
    }

    /// What the figure counts, in one sentence, for the editor and the dashboard.
    public var explanation: String {
        switch self {
        case .peopleEnrolled: "How many people are enrolled in the programme."
        case .matchAcceptance: "Of the people who were sent a match, the share who accepted it (self-matches count as accepted)."
        case .peopleInAcceptedMatch: "Of the people enrolled, the share who are in a relationship everyone accepted."
        case .meetingsPerPairPerCycle: "Meetings held (scheduled, not cancelled, already started) per relationship in the cycle."
        case .meetingsPerPairPerMonth: "Meetings held per relationship for each month it has been open."
        case .pairsMetAtLeastOnce: "Of the relationships, the share that has held at least one meeting."
        case .activeInLast30Days: "Of the open relationships, the share that held a meeting in the last 30 days."
        case .meetingUsefulness: "The average usefulness members gave their meetings in check-ins (1–5), shown only over enough people to keep them anonymous."
        case .relationshipHealth: "The average answer to the relationship pulse (1–5), shown only over enough people to keep them anonymous."
        case .recommendScore: "From end-of-cycle reviews: the share who would recommend the programme (9–10) minus the share who would not (0–6), −100 to 100."
        case .retention: "Of the people in relationships with a retained_12m HR outcome imported, the share still with the organisation a year on."
        case .goalCompletion: "Of the goals members set in their relationships, the share marked done."
        case .participantsCompletingAGoal: "Of the people in relationships who set a goal, the share who completed at least one."
        case .milestoneCompletion: "Of the milestones already due, the share done by their due date."
        case .reciprocityIndex: "Of the relationships that logged any teaching, the share where every member logged teaching something."
        case .skillsGrowth: "Of the people in relationships who want to learn something, the share who raised their level in a wanted skill."
        case .relationshipsCompleted: "Of the relationships, the share completed as planned (not ended early)."
        }
    }

    /// The measure a KPI's name refers to, ignoring case, punctuation and a trailing unit
    /// word; nil when Mutual does not compute it.
    public static func recognise(_ kpiName: String) -> Measure? {
        let key = normalised(kpiName)
        return allCases.first { measure in
            normalised(measure.name) == key || measure.aliases.contains { normalised($0) == key }
        }
    }

    static func normalised(_ text: String) -> String {
        text.lowercased().unicodeScalars
            .map { CharacterSet.alphanumerics.contains($0) ? Character($0) : " " }
            .reduce(into: "") { $0.append($1) }
            .split(separator: " ").joined(separator: " ")
    }
}
