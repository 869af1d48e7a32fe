import Foundation
import Testing

/// `mutual impact` run as a process on files, as an analyst runs it.
@Suite("mutual impact")
struct ImpactCommandTests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String]) throws -> Run {
        let executable = try #require(
            ServeDemoOutputTests.mutualExecutable(), "The mutual executable is not next to the test bundle; `swift build --build-tests` builds it.")
        let process = Process()
        process.executableURL = executable
        process.arguments = ["impact"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// 600 people in two departments and three levels; seniors join more and stay more.
    static func files(in directory: URL) throws -> (people: String, participants: String, outcomes: String) {
        var people = "id,name,department,company,level,timezone\n"
        var participants = "id,completed,programme\n"
        var outcomes = "id,outcome,value\n"
        for index in 0..<600 {
            let department = index % 2 == 0 ? "Sales" : "Engineering"
            let level = 1 + index % 3
            people += "P\(index),Person \(index),\(department),Acme,\(level),Europe/London\n"
            let joined = index % 7 < level
            if joined { participants += "P\(index),\(index % 3 == 0 ? "false" : "true"),Swap\n" }
            if index % 50 != 49 {
                outcomes += "P\(index),retained_12m,\((index * 7919) % 10 < 5 + level ? 1 : 0)\n"
            }
            outcomes += "P\(index),salary_grade_change,\(Double(level) * 0.5 + (joined ? 0.3 : 0))\n"
        }
        let paths = (directory.appendingPathComponent("people.csv"), directory.appendingPathComponent("participants.csv"), directory.appendingPathComponent("outcomes.csv"))
        try people.write(to: paths.0, atomically: true, encoding: .utf8)
        try participants.write(to: paths.1, atomically: true, encoding: .utf8)
        try outcomes.write(to: paths.2, atomically: true, encoding: .utf8)
        return (paths.0.path, paths.1.path, paths.2.path)
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-impact-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("It writes the report the issue describes, per outcome, and the same seed gives the same file")
    func writesReport() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Self.files(in: directory)
        let output = directory.appendingPathComponent("report.json").path
        let arguments = ["--people", files.people, "--participants", files.participants, "--outcomes", files.outcomes, "--output", output, "--seed", "7"]
        let run = try Self.run(arguments)
        #expect(run.status == 0, "\(run.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: output))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(report["seed"] as? Int == 7)
        let outcomes = try #require(report["outcomes"] as? [[String: Any]])
        #expect(outcomes.map { $0["outcome"] as? String } == ["retained_12m", "salary_grade_change"])
        let retained = outcomes[0]
        for key in ["outcome", "participants", "controls", "raw_difference", "effect", "ci_low", "ci_high", "balance", "completers",
                    "matched_participants", "dropped_participants", "missing_outcome", "summary", "caveats"] {
            #expect(retained[key] != nil, "missing \(key)")
        }
        // Joined: index % 7 < level, i.e. 1, 2 or 3 in 7 by level.
        let joined = (0..<600).filter { $0 % 7 < 1 + $0 % 3 }
        #expect(retained["participants"] as? Int == joined.filter { $0 % 50 != 49 }.count)
        #expect(retained["missing_outcome"] as? Int == 12)
        let salary = outcomes[1]
        // Matched within level, the salary difference is the 0.3 that joining adds; raw, it is more.
        let effect = try #require(salary["effect"] as? Double), raw = try #require(salary["raw_difference"] as? Double)
        #expect(abs(effect - 0.3) < 1e-9)
        #expect(raw > 0.4)
        #expect((try #require(salary["balance"] as? [[String: Any]])).contains { $0["covariate"] as? String == "level" })

        let again = try Self.run(arguments)
        #expect(again.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == data)
    }

    @Test("A bad file stops it with the file, line and reason and a non-zero exit, never a crash")
    func badInput() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Self.files(in: directory)
        let badOutcomes = directory.appendingPathComponent("bad-outcomes.csv")
        try "id,outcome,value\nP1,retained_12m,1\nP2,retained_12m,often\n".write(to: badOutcomes, atomically: true, encoding: .utf8)
        let bad = try Self.run(["--people", files.people, "--participants", files.participants, "--outcomes", badOutcomes.path])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("bad-outcomes.csv"))
        #expect(bad.stderr.contains("line 3, column value"))
        #expect(bad.stderr.contains("not a number"))

        let badParticipants = directory.appendingPathComponent("bad-participants.csv")
        try "id,completed\nP1,perhaps\n".write(to: badParticipants, atomically: true, encoding: .utf8)
        let wrong = try Self.run(["--people", files.people, "--participants", badParticipants.path, "--outcomes", files.outcomes])
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("bad-participants.csv") && wrong.stderr.contains("line 2, column completed"))

        let missing = try Self.run(["--people", directory.appendingPathComponent("nope.csv").path, "--participants", files.participants, "--outcomes", files.outcomes])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("nope.csv"))

        let noHeader = directory.appendingPathComponent("no-id.csv")
        try "name\nAda\n".write(to: noHeader, atomically: true, encoding: .utf8)
        let headerless = try Self.run(["--people", files.people, "--participants", noHeader.path, "--outcomes", files.outcomes])
        #expect(headerless.status != 0)
        #expect(headerless.stderr.contains("no id column"))
    }
}
