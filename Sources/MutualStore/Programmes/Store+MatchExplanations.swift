import FluentKit
import Foundation
import MutualMatching

extension Store {
    /// A published match explained for the signed-in member (``MatchExplanation``): their
    /// profiles as they are now, under the rules of the run that made the match, read with the
    /// engine's explanation code. "Not found" when they are not in the match.
    public func explainMatch(_ id: UUID, for identity: Identity) async throws -> MatchExplanation {
        try await explainMatch(id, reader: try await matchMembership(id, of: identity), organisationID: identity.organisationID)
    }

    /// ``explainMatch(_:for:)`` for one of the match's members, who need not have an account
    /// (the email that tells each member of the match).
    func explainMatch(_ id: UUID, reader mine: MatchMember, organisationID: UUID) async throws -> MatchExplanation {
        let database = try db()
        guard let match = try await PublishedMatch.find(id, on: database) else { throw StoreError.notFound(what: "match") }
        let members = try await MatchMember.query(on: database).filter(\.$matchID == id).sort(\.$position).all()
        let programme = try await Programme.find(match.programmeID, on: database)
        let programmeModel = programme?.model ?? .pairs
        // The run's own rules decide what was counted; a run that cannot be read falls back to
        // the programme's rules, then to the defaults.
        var rules = MatchRules.defaults(for: Self.rulesModel(programmeModel))
        if let run = try await MatchRun.find(match.runID, on: database), let runRules = try? Self.runRules(of: run) {
            rules = runRules
        } else if let programme, let programmeRules = try? Self.rules(of: programme) {
            rules = programmeRules
        }
        let engineModel = Self.engineModel(programmeModel) ?? .pairs
        let ordered = [mine] + members.filter { $0.personID != mine.personID }
        let converted = try await enginePeople(ordered.map(\.personID), organisationID: organisationID)
        let people = ordered.compactMap { converted[$0.personID] }
        let kind: MatchExplanation.Kind =
            members.count > 2 || programmeModel == .groups
            ? .group : (engineModel == .mentoring ? .mentoring : (engineModel == .buddies ? .buddies : .pairs))
        let oneWayAllowed = engineModel == .pairs && rules.reciprocity < 100
        let isMentor = kind == .mentoring && mine.position == 0
        guard people.count == ordered.count, people.count >= 2 else {
            return MatchExplanation(kind: kind, isMentor: isMentor, learning: [], teaching: [], direction: .neither, oneWayAllowed: oneWayAllowed, reasons: [])
        }
        let context = ScoringContext(people: people, rules: rules, model: engineModel)
        func skills(teacher: Int, learner: Int) -> [MatchExplanation.Skill] {
            PairExplainer.teachingPoints(context, teacher: teacher, learner: learner).map {
                MatchExplanation.Skill(name: $0.skill, teacherLevel: $0.teacherLevel, learnerLevel: $0.learnerLevel, relatedSkill: $0.relatedSkill)
            }
        }
        var learning: [MatchExplanation.WithPerson] = []
        var teaching: [MatchExplanation.WithPerson] = []
        if kind != .buddies {
            for other in 1..<people.count {
                // In mentoring the learning goes one way by design: mentor (position 0) to mentee.
                if kind != .mentoring || !isMentor {
                    let learned = skills(teacher: other, learner: 0)
                    if !learned.isEmpty { learning.append(.init(name: people[other].displayName, skills: learned)) }
                }
                if kind != .mentoring || isMentor {
                    let taught = skills(teacher: 0, learner: other)
                    if !taught.isEmpty { teaching.append(.init(name: people[other].displayName, skills: taught)) }
                }
            }
        }
        var direction = MatchExplanation.Direction.twoWay
        if kind == .pairs {
            switch (learning.isEmpty, teaching.isEmpty) {
            case (false, false): direction = .twoWay
            case (false, true): direction = .readerLearns
            case (true, false): direction = .readerTeaches
            case (true, true): direction = .neither
            }
        }
        return MatchExplanation(
            kind: kind, isMentor: isMentor, learning: learning, teaching: teaching, direction: direction, oneWayAllowed: oneWayAllowed,
            reasons: kind == .group ? Self.groupReasons(context) : Self.pairReasons(context))
    }

    /// Why two people (0, the reader, and 1): every criterion that added to their score, and
    /// the shared language and working hours that the hard rules ask for.
    static func pairReasons(_ context: ScoringContext) -> [MatchExplanation.Reason] {
        let me = context.people[0], them = context.people[1]
        var reasons: [MatchExplanation.Reason] = []
        let languages = Set(me.languages).intersection(them.languages).sorted()
        if !languages.isEmpty { reasons.append(.sharedLanguages(languages)) }
        if me.utcOffsetMinutes != nil, them.utcOffsetMinutes != nil { reasons.append(.workingHoursOverlap(context.overlapMinutes(0, 1))) }
        if context.model == .buddies {
            let shared = me.wants.filter { want in them.wants.contains { $0.skill == want.skill } }.map(\.displayName)
            if !shared.isEmpty { reasons.append(.bothWantToLearn(Array(shared.prefix(context.rules.skillsCounted)))) }
        }
        for attribute in MatchRules.Attribute.allCases where context.criterionEffect(attribute, 0, 1) > 0 {
            switch attribute {
            case .department:
                reasons.append(
                    me.department.lowercased() == them.department.lowercased()
                        ? .sameDepartment(me.department) : .differentDepartments(me.department, them.department))
            case .company:
                reasons.append(
                    me.company.lowercased() == them.company.lowercased() ? .sameCompany(me.company) : .differentCompanies(me.company, them.company))
            case .level:
                reasons.append(.levels(me.level ?? 0, them.level ?? 0))
            case .timezone, .language, .interests:
                break  // Stated as facts, whether or not the rules weigh them.
            }
        }
        let interests = Set(me.interests).intersection(them.interests).sorted()
        if !interests.isEmpty { reasons.append(.sharedInterests(interests)) }
        return reasons
    }

    /// Why a group: the languages everyone speaks, the least working hours any two share, the
    /// departments it brings together and the interests everyone has.
    static func groupReasons(_ context: ScoringContext) -> [MatchExplanation.Reason] {
        let people = context.people
        var reasons: [MatchExplanation.Reason] = []
        let languageSets = people.map { Set($0.languages) }
        let common = languageSets.dropFirst().reduce(languageSets[0]) { $0.intersection($1) }.sorted()
        if !common.isEmpty { reasons.append(.sharedLanguages(common)) }
        if people.allSatisfy({ $0.utcOffsetMinutes != nil }) {
            var least = Int.max
            for i in people.indices { for j in people.indices where j > i { least = min(least, context.overlapMinutes(i, j)) } }
            reasons.append(.workingHoursOverlap(least))
        }
        let departments = Set(people.map(\.department).filter { !$0.isEmpty }).sorted()
        if departments.count > 1 { reasons.append(.departments(departments)) }
        let interestSets = people.map { Set($0.interests) }
        let interests = interestSets.dropFirst().reduce(interestSets[0]) { $0.intersection($1) }.sorted()
        if !interests.isEmpty { reasons.append(.sharedInterests(interests)) }
        return reasons
    }
}
