/// Generates realistic synthetic people pools for benchmarks and demos, reproducibly from a
/// seed: departments with a home family of skills, popularity-skewed skills (a few skills
/// everyone wants, a long tail), a seniority pyramid, managers inside departments, several
/// time-zone hubs with their languages, interests, and a few exclusions.
public enum SyntheticPoolGenerator {
    struct Department {
        var name: String
        var share: Int
        var skills: [String]
    }

    static let departments: [Department] = [
        Department(name: "Engineering", share: 26, skills: ["Swift", "System Design", "Testing", "DevOps", "Security", "Kotlin", "Go"]),
        Department(name: "Data", share: 10, skills: ["SQL", "Python", "Statistics", "Machine Learning", "Data Visualisation", "Experimentation"]),
        Department(name: "Product", share: 8, skills: ["Roadmapping", "User Research", "Prioritisation", "Product Analytics"]),
        Department(name: "Design", share: 6, skills: ["UX Design", "Prototyping", "Visual Design", "Accessibility"]),
        Department(name: "Sales", share: 14, skills: ["Negotiation", "Prospecting", "Account Management", "Forecasting"]),
        Department(name: "Marketing", share: 9, skills: ["Copywriting", "SEO", "Brand Strategy", "Campaign Analytics"]),
        Department(name: "Finance", share: 7, skills: ["Financial Modelling", "Budgeting", "Excel", "Accounting"]),
        Department(name: "People", share: 6, skills: ["Coaching", "Hiring", "Facilitation", "Conflict Resolution"]),
        Department(name: "Operations", share: 14, skills: ["Project Management", "Process Improvement", "Vendor Management", "Logistics"]),
    ]
    /// Skills anyone may have or want, most popular first.
    static let crossCutting = ["Public Speaking", "Leadership", "Writing", "Stakeholder Management", "Presenting Data",
                               "Time Management", "Negotiation", "SQL", "Spanish", "German"]
    /// Levels 1–6, juniors most numerous.
    static let pyramid = [30, 27, 20, 12, 7, 4]
    struct Hub {
        var zone: String
        var share: Int
        var language: String?
        var languageShare: Int
    }

    static let hubs: [Hub] = [
        Hub(zone: "Europe/London", share: 24, language: nil, languageShare: 0),
        Hub(zone: "Europe/Berlin", share: 22, language: "German", languageShare: 60),
        Hub(zone: "America/New_York", share: 20, language: "Spanish", languageShare: 15),
        Hub(zone: "Asia/Kolkata", share: 16, language: "Hindi", languageShare: 50),
        Hub(zone: "America/Los_Angeles", share: 10, language: "Spanish", languageShare: 20),
        Hub(zone: "Asia/Singapore", share: 8, language: "Mandarin", languageShare: 40),
    ]
    static let interests = ["running", "chess", "cooking", "hiking", "photography", "music", "climbing", "reading",
                            "gardening", "board games", "cycling", "volunteering", "film", "travel", "yoga", "football"]
    static let firstNames = ["Ana", "Ben", "Chloé", "Dev", "Emeka", "Fatima", "Greta", "Hiro", "Ines", "Jonas", "Kavya", "Liam",
                             "Mei", "Noor", "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Victor", "Wen", "Ximena",
                             "Yusuf", "Zoë", "Aisha", "Bruno", "Carmen", "Dmitri"]
    static let lastNames = ["Almeida", "Brown", "Chen", "Dubois", "Eze", "Fischer", "García", "Hansen", "Iyer", "Jones", "Kowalski",
                            "Lopez", "Müller", "Nakamura", "Okafor", "Patel", "Quist", "Rossi", "Singh", "Tanaka", "Usman",
                            "Virtanen", "Wang", "Xu", "Yilmaz", "Zhang"]

    /// `count` people, identical for identical seeds.
    /// A name as the local part of an email address: SMTP without SMTPUTF8 takes ASCII only, so
    /// the accented letters of the name lists lose their accents ("Chloé" → "chloe").
    static func emailPart(_ name: String) -> String {
        let plain: [Character: Character] = ["é": "e", "ë": "e", "í": "i", "ü": "u"]
        return SkillSlug.make(String(name.map { plain[$0] ?? $0 }))
    }

    public static func generate(count: Int, seed: UInt64) -> [Person] {
        var random = SeededGenerator(seed: seed)
        func pick(weights: [Int]) -> Int {
            let total = weights.reduce(0, +)
            var roll = Int(random.next() % UInt64(total))
            for (index, weight) in weights.enumerated() {
                if roll < weight { return index }
                roll -= weight
            }
            return weights.count - 1
        }
        func chance(_ percent: Int) -> Bool { Int(random.next() % 100) < percent }
        func between(_ low: Int, _ high: Int) -> Int { low + Int(random.next() % UInt64(high - low + 1)) }
        /// Zipf-like: the i-th item is chosen with weight 1/(i+1).
        func skewed(_ items: [String]) -> String {
            items[pick(weights: items.indices.map { 1000 / ($0 + 1) })]
        }
        let width = String(max(count, 1)).count
        var people: [Person] = []
        people.reserveCapacity(count)
        var departmentOf: [Int] = []
        for index in 0..<count {
            let department = pick(weights: departments.map(\.share))
            let level = pick(weights: pyramid) + 1
            let hub = hubs[pick(weights: hubs.map(\.share))]
            var id = String(index + 1)
            id = "p" + String(repeating: "0", count: max(0, width - id.count)) + id
            let first = firstNames[Int(random.next() % UInt64(firstNames.count))]
            let last = lastNames[Int(random.next() % UInt64(lastNames.count))]
            var languages: [String] = []
            if !(hub.language != nil && chance(8)) { languages.append("English") }
            if let local = hub.language, chance(hub.languageShare) || languages.isEmpty { languages.append(local) }

            func drawSkill(homeShare: Int) -> String {
                if chance(homeShare) { return skewed(departments[department].skills) }
                if chance(60) { return skewed(crossCutting) }
                let other = departments[pick(weights: departments.map(\.share))]
                return skewed(other.skills)
            }
            var strengths: [SkillLevel] = []
            for _ in 0..<between(2, 4) {
                let skill = drawSkill(homeShare: 70)
                guard !strengths.contains(where: { $0.skill == SkillSlug.make(skill) }) else { continue }
                let skillLevel = min(5, max(1, between(1, 3) + (level >= 4 ? 1 : 0) + (level >= 6 ? 1 : 0)))
                strengths.append(SkillLevel(skill: skill, level: skillLevel))
            }
            var wants: [SkillWant] = []
            for _ in 0..<between(2, 3) {
                let skill = drawSkill(homeShare: 45)
                let slug = SkillSlug.make(skill)
                guard !wants.contains(where: { $0.skill == slug }), !strengths.contains(where: { $0.skill == slug && $0.level >= 4 }) else { continue }
                let current = min(4, strengths.first { $0.skill == slug }?.level ?? between(0, 2))
                wants.append(SkillWant(skill: skill, currentLevel: current, priority: chance(15) ? 2 : 1))
            }
            var personInterests: [String] = []
            for _ in 0..<between(1, 3) {
                let interest = skewed(interests)
                if !personInterests.contains(interest) { personInterests.append(interest) }
            }
            let role: MentoringRole = level >= 4 ? (chance(70) ? .mentor : .both) : (level <= 2 ? .mentee : .both)
            people.append(Person(
                id: id, name: "\(first) \(last)", email: "\(emailPart(first)).\(emailPart(last)).\(index + 1)@example.org",
                department: departments[department].name, company: "Mutual Demo Ltd", level: level, managerID: nil,
                timeZoneName: hub.zone, utcOffsetMinutes: TimeZoneParser.offsetMinutes(hub.zone),
                languages: languages.map { SkillSlug.make($0) }, strengths: strengths, wants: wants,
                interests: personInterests.map { SkillSlug.make($0) }, exclude: [],
                role: role, capacity: role == .mentee ? 1 : between(1, 3)))
            departmentOf.append(department)
        }
        // Managers: someone more senior in the same department, when there is one.
        var seniorsByDepartment = [[Int]](repeating: [], count: departments.count)
        for (index, person) in people.enumerated() where (person.level ?? 0) >= 3 {
            seniorsByDepartment[departmentOf[index]].append(index)
        }
        for index in people.indices {
            let seniors = seniorsByDepartment[departmentOf[index]].filter { (people[$0].level ?? 0) > (people[index].level ?? 0) }
            guard !seniors.isEmpty else { continue }
            people[index].managerID = people[seniors[Int(random.next() % UInt64(seniors.count))]].id
        }
        // A few people ask not to be matched with a particular colleague.
        if count > 1 {
            for index in people.indices where chance(1) {
                let other = Int(random.next() % UInt64(count))
                if other != index { people[index].exclude.append(people[other].id) }
            }
        }
        return people
    }
}
