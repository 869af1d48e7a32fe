import MutualImpact

/// A simulated organisation for the impact benchmark: 20 departments, 3 companies, levels 1–6,
/// 8 time zones; joining and a 0/1 outcome both depend on department and level, and taking
/// part adds 0.05. Generated once per process, outside the measurement.
public struct ImpactPopulation: Sendable {
    public let subjects: [ImpactSubject]
    public let outcome: [String: Double]

    public init(people: Int, seed: UInt64 = 1) {
        var generator = SeededGenerator(seed: seed)
        let offsets = [-480, -300, -180, 0, 60, 120, 330, 480]
        var subjects: [ImpactSubject] = []
        var outcome: [String: Double] = [:]
        subjects.reserveCapacity(people)
        for index in 0..<people {
            let department = Int.random(in: 0..<20, using: &generator)
            let level = Int.random(in: 1...6, using: &generator)
            let joined = Double.random(in: 0..<1, using: &generator) < 0.03 + 0.04 * Double(level) + (department < 4 ? 0.1 : 0)
            let id = "E\(index)"
            subjects.append(ImpactSubject(
                id: id, department: "Department \(department)", level: level, company: "Company \(index % 3)",
                utcOffsetMinutes: offsets[Int.random(in: 0..<offsets.count, using: &generator)],
                group: joined ? .participant(completed: index % 3 != 0) : .control))
            let probability = 0.4 + 0.06 * Double(level) + (department < 4 ? 0.05 : 0) + (joined ? 0.05 : 0)
            outcome[id] = Double.random(in: 0..<1, using: &generator) < probability ? 1 : 0
        }
        self.subjects = subjects
        self.outcome = outcome
    }

    /// The whole estimate as the page and `mutual impact` run it: strata (with the coarsening
    /// ladder), the outcome aligned with the people, intention-to-treat and completers, each
    /// with a 1,000-replicate bootstrap and its balance table.
    public func estimate(seed: UInt64 = 1) -> ImpactReport {
        ImpactStudy(subjects: subjects).report(outcomes: [("retained_12m", outcome)], options: ImpactOptions(bootstrapReplicates: 1000, seed: seed))
    }
}
