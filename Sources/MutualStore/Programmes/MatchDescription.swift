import Foundation

/// A published match in plain words for the person reading it, on My matches and in the email
/// that tells them of it (``MatchExplanation`` is the facts): what they will learn and from whom, what they can teach, why the two (or the group)
/// were put together, and, for a one-way pair, a kind word about which way it goes. Names,
/// never ids; the other person by name, since profiles record no pronouns.
public struct MatchDescription: Sendable {
    /// One skill: its name and the levels in words ("Olga is an expert; you are new to it").
    public struct SkillLine: Sendable {
        public let skill: String
        public let detail: String
    }

    /// "What you'll learn from Olga" / "What you'll learn in this group".
    public let learnHeading: String
    public let learn: [SkillLine]
    public let hasLearn: Bool
    /// "What you can teach Olga" / "What you can teach in this group".
    public let teachHeading: String
    public let teach: [SkillLine]
    public let hasTeach: Bool
    /// "Why you two" / "Why this group".
    public let whyHeading: String
    public let why: [String]
    public let hasWhy: Bool
    /// One sentence on which way a one-way pair goes (empty for a two-way pair).
    public let direction: String
    /// "Olga is your mentor." and the like (empty when there is nothing to say).
    public let roles: String

    /// The teacher's level: "Olga is <word>".
    static let teacherWords = ["", "a beginner", "developing", "capable", "strong", "an expert"]
    /// The learner's level now: "you are <word>".
    static let learnerWords = ["new to it", "a beginner", "developing", "capable", "strong"]

    static func word(_ words: [String], _ level: Int) -> String { words[max(0, min(words.count - 1, level))] }

    public init(_ explanation: MatchExplanation, others: [String], programme: String) {
        let name = others.count == 1 ? others[0] : ""
        let inGroup = explanation.kind == .group || others.count != 1
        learnHeading = inGroup ? "What you'll learn in this group" : "What you'll learn from \(name)"
        teachHeading = inGroup ? "What you can teach in this group" : "What you can teach \(name)"
        whyHeading = inGroup ? "Why this group" : "Why you two"

        func teacherSays(_ teacher: String, _ skill: MatchExplanation.Skill, you: Bool) -> String {
            let verb = you ? "you are" : "\(teacher) is"
            if let related = skill.relatedSkill {
                if related.isEmpty { return you ? "you know a related skill" : "\(teacher) knows a related skill" }
                return "\(verb) \(Self.word(Self.teacherWords, skill.teacherLevel)) in \(related), a related skill"
            }
            return "\(verb) \(Self.word(Self.teacherWords, skill.teacherLevel))"
        }
        learn = explanation.learning.flatMap { person in
            person.skills.map { skill in
                SkillLine(
                    skill: skill.name,
                    detail: (inGroup ? "from \(person.name): " : "") + teacherSays(person.name, skill, you: false)
                        + "; you are \(Self.word(Self.learnerWords, skill.learnerLevel))")
            }
        }
        teach = explanation.teaching.flatMap { person in
            person.skills.map { skill in
                SkillLine(
                    skill: skill.name,
                    detail: (inGroup ? "for \(person.name): " : "") + teacherSays("", skill, you: true)
                        + "; \(person.name) is \(Self.word(Self.learnerWords, skill.learnerLevel))")
            }
        }
        hasLearn = !learn.isEmpty
        hasTeach = !teach.isEmpty
        why = explanation.reasons.map { Self.words($0, other: name, group: inGroup) }
        hasWhy = !why.isEmpty

        switch (explanation.kind, explanation.direction) {
        case (.pairs, .readerLearns):
            direction = explanation.oneWayAllowed
                ? "This pairing is one-way: you'll mostly be learning from \(name) this time. Programmes sometimes pair this way when no two-way match was available."
                : "This pairing is one-way: you'll mostly be learning from \(name), although \(programme) pairs people who both learn; your profiles may have changed since matching. If it doesn't suit you, say so when you decline."
        case (.pairs, .readerTeaches):
            direction = explanation.oneWayAllowed
                ? "This pairing is one-way: you'll mostly be teaching \(name) this time, and teaching is one of the best ways to learn. Programmes sometimes pair this way when no two-way match was available."
                : "This pairing is one-way: you'll mostly be teaching \(name), although \(programme) pairs people who both learn; your profiles may have changed since matching. If it doesn't suit you, say so when you decline."
        case (.pairs, .neither):
            direction = "Neither of your profiles now lists something the other can teach. Add what you want to learn to your profile, or say so when you decline if this match doesn't suit you."
        default:
            direction = ""
        }
        roles = explanation.kind == .mentoring && !inGroup ? (explanation.isMentor ? "You are \(name)'s mentor." : "\(name) is your mentor.") : ""
    }

    /// One reason in words, for the reader.
    static func words(_ reason: MatchExplanation.Reason, other: String, group: Bool) -> String {
        switch reason {
        case .sharedLanguages(let codes):
            let names = list(codes.map(languageName))
            return group ? "Everyone in the group speaks \(names)." : "You both speak \(names)."
        case .workingHoursOverlap(let minutes):
            if minutes == 0 { return group ? "Some of you work at different hours, so meetings need planning." : "Your working hours don't overlap, so you'll need to plan when to meet." }
            return group
                ? "Every two of you share at least \(duration(minutes)) of working time a day."
                : "Your working hours overlap by \(duration(minutes)) a day, so meeting is easy to arrange."
        case .sameDepartment(let department):
            return "You both work in \(department)."
        case .differentDepartments(let mine, let theirs):
            return "You work in different parts of the organisation (you in \(mine), \(other) in \(theirs)), so each of you brings a different view."
        case .sameCompany(let company):
            return "You both work at \(company)."
        case .differentCompanies(let mine, let theirs):
            return "You're from different companies (you at \(mine), \(other) at \(theirs))."
        case .levels(let mine, let theirs):
            return mine == theirs ? "You're at the same level of seniority." : "Your levels of seniority suit the programme (you \(mine), \(other) \(theirs))."
        case .sharedInterests(let interests):
            return group ? "Everyone shares an interest in \(list(interests))." : "You share an interest in \(list(interests))."
        case .bothWantToLearn(let skills):
            return "You both want to learn \(list(skills)), so you can learn side by side."
        case .departments(let departments):
            return "The group brings together \(list(departments))."
        }
    }

    /// "English" for `en`; a code the system does not know is shown as written.
    static func languageName(_ code: String) -> String {
        let name = Locale(identifier: "en").localizedString(forLanguageCode: code)
        guard let name, !name.isEmpty, name.lowercased() != code.lowercased() else { return code }
        return name
    }

    /// "3 hours", "1 hour 30 minutes", "8 hours".
    static func duration(_ minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        let hourText = hours == 1 ? "1 hour" : "\(hours) hours"
        if rest == 0 { return hourText }
        return hours == 0 ? "\(rest) minutes" : "\(hourText) \(rest) minutes"
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
