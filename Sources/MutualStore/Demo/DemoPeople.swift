import Foundation
import MutualMatching

/// A deterministic, realistic-looking population for the demo: departments with home skill
/// families, a seniority pyramid, several time-zone hubs, and skewed skill popularity.
///
/// Profiles are complementary, so that reciprocal pairs are the norm, as the product promises:
/// each person is strong in three or four skills, mostly of their department's families, and
/// wants four or five, mostly what another department is strong in, at a level (0 or 1) below
/// every strength (2 or more). Two people from different teams then usually each want
/// something the other can teach. (With one or two wants drawn from anywhere, most of the
/// skill swap's proposed pairs were one-way; `DemoPopulationTests` holds the line at 10 %.)
enum DemoPeople {
    struct Entry {
        var externalID: String
        var name: String
        var email: String
        var department: String
        var level: Int
        var managerExternalID: String?
        var timeZone: String
        var location: String
        var languages: [String]
        var strengths: [(String, Int)]
        var wants: [(String, Int)]
    }

    static let departments: [(name: String, families: [String])] = [
        ("Engineering", ["Technical", "Data"]),
        ("Data & Analytics", ["Data", "Technical"]),
        ("Sales", ["Commercial", "Communication"]),
        ("Marketing", ["Commercial", "Design", "Communication"]),
        ("Design", ["Design", "Communication"]),
        ("Finance", ["Commercial", "Data"]),
        ("People & Culture", ["Leadership", "Communication"]),
        ("Operations", ["Operations", "Personal effectiveness"]),
        ("Customer Success", ["Communication", "Commercial"]),
        ("Legal", ["Operations", "Communication"]),
    ]

    static let hubs: [(location: String, timeZone: String, languages: [String])] = [
        ("London", "Europe/London", ["en"]),
        ("Lisbon", "Europe/Lisbon", ["pt", "en"]),
        ("Berlin", "Europe/Berlin", ["de", "en"]),
        ("New York", "America/New_York", ["en", "es"]),
        ("São Paulo", "America/Sao_Paulo", ["pt", "en"]),
        ("Singapore", "Asia/Singapore", ["en", "zh"]),
        ("Nairobi", "Africa/Nairobi", ["en", "sw"]),
    ]

    static let givenNames = [
        "Ana", "Ben", "Chloé", "Dmitri", "Esther", "Farid", "Grace", "Hiroshi", "Ines", "Jonas", "Kemi", "Liam",
        "Maya", "Nikhil", "Olga", "Pedro", "Qiu", "Rosa", "Samir", "Tomás", "Uma", "Viktor", "Wanjiru", "Xavier",
        "Yara", "Zoë", "Amara", "Bruno", "Carmen", "Daniel", "Elif", "Felix", "Gabriela", "Hassan", "Ingrid", "João",
    ]
    /// No one else is a Silva: the demo participant's partners should not read as her family.
    static let familyNames = [
        "Santos", "Okafor", "Müller", "Tanaka", "Kowalski", "Haddad", "Nguyen", "Rossi", "Andersen", "Mensah",
        "García", "Schmidt", "Patel", "O'Brien", "Costa", "Ivanova", "Kimani", "Lefèvre", "Chen", "Jensen",
    ]

    /// The demo participant's strengths, with her level in each.
    static let participantStrengths: [(String, Int)] = [("SQL", 3), ("Spreadsheet Modelling", 3), ("Python", 2)]
    /// What the demo participant wants to learn, with her current level.
    static let participantWants: [(String, Int)] = [("Data Visualisation", 1), ("User Research", 0), ("Public Speaking", 0), ("Storytelling", 0)]

    static func generate(count: Int) -> [Entry] {
        var random = DemoRandom(seed: 2026)
        let families = Dictionary(uniqueKeysWithValues: StarterTaxonomy.families.map { ($0.family, $0.skills) })
        let allSkills = StarterTaxonomy.entries.map(\.name)
        var people: [Entry] = []
        var usedEmails: Set<String> = []
        var managersByDepartment: [String: [String]] = [:]
        for index in 0..<count {
            let department = departments[index % departments.count]
            let hub = hubs[Int(random.next() % UInt64(hubs.count))]
            // Seniority pyramid: many at levels 1–3, few at 5–6.
            let roll = random.unit()
            let level = roll < 0.30 ? 1 : roll < 0.58 ? 2 : roll < 0.78 ? 3 : roll < 0.90 ? 4 : roll < 0.97 ? 5 : 6
            var name: String
            var email: String
            if index == 0 {
                name = "Ana Silva"
            } else {
                name = "\(givenNames[Int(random.next() % UInt64(givenNames.count))]) \(familyNames[Int(random.next() % UInt64(familyNames.count))])"
            }
            let base = name.lowercased().folding(options: .diacriticInsensitive, locale: nil)
                .replacingOccurrences(of: "'", with: "").replacingOccurrences(of: " ", with: ".")
            email = "\(base)@demo.mutual.example"
            var suffix = 2
            while usedEmails.contains(email) {
                email = "\(base)\(suffix)@demo.mutual.example"
                suffix += 1
            }
            usedEmails.insert(email)
            let home = department.families.flatMap { families[$0] ?? [] }
            var strengths: [(String, Int)] = []
            var chosen: Set<String> = []
            for _ in 0..<(3 + Int(random.next() % 2)) {
                // Mostly home-family skills, sometimes anything (popular skills first).
                let pool = random.unit() < 0.75 ? home : allSkills
                let skill = random.popular(pool)
                guard chosen.insert(skill).inserted else { continue }
                // At least 2 ("can show someone"), so any strength teaches a want at level 0 or 1.
                strengths.append((skill, min(5, max(2, level - 1 + Int(random.next() % 3)))))
            }
            // Wants: mostly what another department is strong in (its home families, popular
            // skills first), so people in different teams usually have something to teach each other.
            var wants: [(String, Int)] = []
            let wantCount = 4 + Int(random.next() % 2)
            while wants.count < wantCount {
                let pool: [String]
                if random.unit() < 0.8 {
                    let other = departments[(index + 1 + Int(random.next() % UInt64(departments.count - 1))) % departments.count]
                    pool = other.families.flatMap { families[$0] ?? [] }
                } else {
                    pool = allSkills
                }
                let skill = random.popular(pool)
                guard chosen.insert(skill).inserted else { continue }
                // Juniors start from nothing; others know a little (level 1) of some.
                wants.append((skill, level == 1 ? 0 : Int(random.next() % 2)))
            }
            if index == 0 {
                // The demo participant's profile tells the story her relationship pages tell:
                // she teaches data work and wants to present it (dashboards, stakeholder interviews).
                strengths = participantStrengths
                wants = participantWants
            }
            let externalID = String(format: "P%04d", index + 1)
            let managers = managersByDepartment[department.name] ?? []
            let manager = level < 4 && !managers.isEmpty ? managers[Int(random.next() % UInt64(managers.count))] : nil
            if level >= 4 { managersByDepartment[department.name, default: []].append(externalID) }
            people.append(
                Entry(
                    externalID: externalID, name: name, email: email, department: department.name, level: level,
                    managerExternalID: manager, timeZone: hub.timeZone, location: hub.location, languages: hub.languages,
                    strengths: strengths, wants: wants))
        }
        return people
    }
}

/// The demo's random choices: the engine's seeded generator (the same on every platform), with
/// a uniform `Double`.
struct DemoRandom {
    private var generator: SeededGenerator
    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }
    mutating func next() -> UInt64 { generator.next() }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// One of `pool`, the first ones far more often (the product of two uniforms): popular
    /// skills come first in each family's list.
    mutating func popular<Element>(_ pool: [Element]) -> Element {
        pool[min(pool.count - 1, Int(Double(pool.count) * unit() * unit()))]
    }
}
