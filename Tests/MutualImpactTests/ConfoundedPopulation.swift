import MutualImpact
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A simulated organisation where both joining the programme and the outcome depend on
/// department and level (confounding), and the programme adds a known effect.
struct ConfoundedPopulation {
    static let departments = ["Engineering", "Finance", "Sales", "Support"]
    static let companies = ["Acme", "Beta"]
    static let offsets = [0, 60, -300]

    var subjects: [ImpactSubject] = []
    /// A 0/1 outcome (retained, promoted) raised by `effect` proportion points for participants.
    var binary: [String: Double] = [:]
    /// A continuous outcome (salary grade change) raised by `continuousEffect` for participants.
    var continuous: [String: Double] = [:]

    init(people: Int, effect: Double, continuousEffect: Double = 0.25, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        for index in 0..<people {
            let department = Self.departments[Int.random(in: 0..<Self.departments.count, using: &generator)]
            let level = Int.random(in: 1...5, using: &generator)
            let company = Self.companies[Int.random(in: 0..<Self.companies.count, using: &generator)]
            let offset = Self.offsets[Int.random(in: 0..<Self.offsets.count, using: &generator)]
            let engineering = department == "Engineering"
            // Seniors and engineers join more often ...
            let joinProbability = 0.04 + 0.08 * Double(level - 1) + (engineering ? 0.2 : 0)
            let joined = Double.random(in: 0..<1, using: &generator) < joinProbability
            let completed = joined && Double.random(in: 0..<1, using: &generator) < 0.7
            let id = "p\(index)"
            subjects.append(ImpactSubject(
                id: id, department: department, level: level, company: company, utcOffsetMinutes: offset,
                group: joined ? .participant(completed: completed) : .control))
            // ... and seniors and engineers do better anyway.
            let base = 0.3 + 0.09 * Double(level - 1) + (engineering ? 0.12 : 0)
            let probability = base + (joined ? effect : 0)
            binary[id] = Double.random(in: 0..<1, using: &generator) < probability ? 1 : 0
            let noise = Self.normal(using: &generator)
            continuous[id] = 0.2 * Double(level) + (engineering ? 0.4 : 0) + (joined ? continuousEffect : 0) + noise
        }
    }

    /// A standard normal draw (Box–Muller).
    static func normal(using generator: inout SeededGenerator) -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &generator)
        let v = Double.random(in: 0..<1, using: &generator)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}
