import Foundation
import MutualMatching
import MutualStore

/// Writes a realistic people CSV of any size, deterministically: departments, a seniority
/// pyramid with managers earlier in the file, IANA time zones, languages, three strengths and
/// two wants per person (about 500,000 skill rows for 100,000 people), a few skills outside the
/// starter taxonomy (none of them an alias of a starter skill: a row naming one skill twice is
/// rejected, and an all-or-nothing import of a file with one rejected row writes nothing).
public enum PeopleFileGenerator {
    static let departments = ["Engineering", "Data", "Sales", "Marketing", "Design", "Finance", "People", "Operations", "Support", "Legal"]
    static let zones = ["Europe/London", "Europe/Berlin", "Europe/Lisbon", "America/New_York", "America/Sao_Paulo", "Asia/Singapore", "Africa/Nairobi", "Asia/Tokyo"]
    static let languages = ["en", "de", "pt", "es", "fr", "zh", "sw", "ja"]
    static let extraSkills = ["Kubernetes", "Rust", "Terraform", "Figma", "Salesforce", "Jira", "Tableau", "GraphQL"]

    /// Writes `count` people to `path` (replacing it) and returns the file size in bytes.
    @discardableResult
    public static func write(count: Int, to path: String) throws -> Int {
        let skills = StarterTaxonomy.entries.map(\.name) + extraSkills
        var random = SeededGenerator(seed: 2026)
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var text = "id,name,email,department,company,level,manager_id,timezone,languages,strengths,wants,interests,exclude\n"
        var size = 0
        for index in 0..<count {
            let id = String(format: "E%06d", index + 1)
            let level = 1 + Int(random.next() % 6)
            // Managers are earlier people, so reporting lines form a forest.
            let manager = index > 0 && random.next() % 10 != 0 ? String(format: "E%06d", Int(random.next() % UInt64(index)) + 1) : ""
            var chosen: [String] = []
            while chosen.count < 5 {
                let skill = skills[Int(random.next() % UInt64(skills.count))]
                if !chosen.contains(skill) { chosen.append(skill) }
            }
            let strengths = chosen.prefix(3).map { "\($0):\(1 + Int(random.next() % 5))" }.joined(separator: ";")
            let wants = chosen.suffix(2).map { "\($0):\(Int(random.next() % 3))" }.joined(separator: ";")
            let department = departments[index % departments.count]
            let language = languages[Int(random.next() % UInt64(languages.count))]
            text += "\(id),Person \(index + 1),person\(index + 1)@bench.example,\(department),Bench Corp,\(level),\(manager),"
            text += "\(zones[Int(random.next() % UInt64(zones.count))]),en;\(language),\(strengths),\(wants),chess;hiking,\n"
            if text.utf8.count > 1 << 16 {
                size += text.utf8.count
                try handle.write(contentsOf: Data(text.utf8))
                text = ""
            }
        }
        size += text.utf8.count
        try handle.write(contentsOf: Data(text.utf8))
        return size
    }
}
