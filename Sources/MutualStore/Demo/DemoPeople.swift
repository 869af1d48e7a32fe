import Foundation
import MutualMatching

/// A deterministic, realistic-looking population for the demo: departments with home skill
/// families, a seniority pyramid, several time-zone hubs, and skewed skill popularity.
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
    static let familyNames = [
        "Silva", "Okafor", "Müller", "Tanaka", "Kowalski", "Haddad", "Nguyen", "Rossi", "Andersen", "Mensah",
        "García", "Schmidt", "Patel", "O'Brien", "Costa", "Ivanova", "Kimani", "Lefèvre", "Chen", "Jensen",
    ]

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
            for _ in 0..<(2 + Int(random.next() % 3)) {
                // Mostly home-family skills, sometimes anything (popular skills first).
                let pool = random.unit() < 0.75 ? home : allSkills
                let skill = pool[min(pool.count - 1, Int(Double(pool.count) * random.unit() * random.unit()))]
                guard chosen.insert(skill).inserted else { continue }
                strengths.append((skill, min(5, max(1, level - 1 + Int(random.next() % 3)))))
            }
            var wants: [(String, Int)] = []
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let skill = allSkills[min(allSkills.count - 1, Int(Double(allSkills.count) * random.unit() * random.unit()))]
                guard chosen.insert(skill).inserted else { continue }
                wants.append((skill, Int(random.next() % 3)))
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
}
