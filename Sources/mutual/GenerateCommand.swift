import ArgumentParser
import Foundation
import MutualMatching

/// `mutual generate`: synthetic data for benchmarks and demos.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate synthetic data for benchmarks and demos.",
        subcommands: [People.self])

    /// `mutual generate people`: a realistic people CSV, identical for identical seeds.
    struct People: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "people",
            abstract: "Write a synthetic people CSV (the mutual match input format).",
            discussion: """
                Departments with home skill families, popularity-skewed skills, a seniority pyramid
                (levels 1-6), managers within departments, time-zone hubs with their languages,
                interests, a few exclusions, and mentoring roles and capacities.
                """)

        @Option(name: .long, help: "How many people.")
        var count: Int

        @Option(name: .long, help: "Seed: the same seed gives the same file.")
        var seed: UInt64 = 1

        @Option(name: .long, help: "Write here instead of standard output.")
        var output: String?

        func validate() throws {
            guard count >= 1 else { throw ValidationError("--count must be at least 1") }
            guard count <= 10_000_000 else { throw ValidationError("--count must be at most 10,000,000") }
        }

        func run() throws {
            let people = SyntheticPoolGenerator.generate(count: count, seed: seed)
            let csv = PeopleCSVWriter.write(people, includeMentoringColumns: true)
            if let output {
                try TextFiles.write(csv, to: output)
            } else {
                FileHandle.standardOutput.write(Data(csv.utf8))
            }
        }
    }
}
