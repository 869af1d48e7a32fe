import ArgumentParser
import Foundation
import Logging
import MutualStore
import MutualWeb

/// `mutual import people FILE`: imports an HR export into an organisation.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import data from files.",
        subcommands: [People.self])

    /// `mutual import people FILE`.
    struct People: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "people",
            abstract: "Import people from a CSV file (upsert by id).",
            discussion: """
                Columns (case-insensitive, any order): id,name,email,department,company,level,manager_id,
                timezone,languages,strengths,wants,interests,exclude. Lists are ;-separated; strengths are
                skill:level (1-5), wants skill or skill:current_level (0-4). Every rejected row is listed
                with its line, column and reason, and the command exits with status 1.
                """)

        @Argument(help: "The CSV file to import.")
        var file: String

        @Option(help: "The organisation's slug; may be left out when there is only one organisation.")
        var organisation: String?

        @Flag(help: "Show what would be created, changed and rejected; write nothing.")
        var dryRun = false

        @Flag(help: "all-or-nothing (default): write nothing if any row is rejected. valid-rows-only: write every valid row and skip each rejected row whole.")
        var mode: ModeFlag = .allOrNothing

        @OptionGroup var options: ServerOptions

        enum ModeFlag: String, EnumerableFlag {
            case allOrNothing, validRowsOnly
        }

        func run() async throws {
            let configuration = try await options.load()
            let logger = Logger(label: "mutual.import")
            let chunks = FileByteChunks(path: file)
            guard let size = chunks.size else {
                throw ValidationError("Could not read \(file). Check the path.")
            }
            let database = try MutualDatabase(location: configuration.database, logger: logger)
            let report: PeopleImportReport
            let organisationName: String
            do {
                try await database.migrate()
                let target = try await OrganisationChoice.resolve(organisation, in: database)
                organisationName = target.name
                let store = Store(database: database, logger: logger)
                let bar = ProgressBar(totalBytes: size)
                report = try await store.importPeople(
                    into: try target.requireID(), from: chunks,
                    options: PeopleImportOptions(mode: mode == .allOrNothing ? .allOrNothing : .validRows, dryRun: dryRun),
                    progress: { bar.show($0) })
                bar.finish()
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
            print(Self.describe(report, file: file, organisation: organisationName))
            if report.rejectedCount > 0 || !report.fileProblems.isEmpty { throw ExitCode(1) }
        }

        static func describe(_ report: PeopleImportReport, file: String, organisation: String) -> String {
            var lines = ["\(file) → \(organisation): \(report.summary)"]
            for warning in report.warnings { lines.append("warning: \(warning)") }
            if !report.newSkills.isEmpty {
                lines.append("New skills (family Uncategorised): \(report.newSkills.joined(separator: ", "))")
            }
            for problem in report.fileProblems { lines.append("  \(problem)") }
            if !report.rejected.isEmpty {
                lines.append("Rejected rows:")
                for row in report.rejected {
                    for problem in row.problems { lines.append("  \(problem)") }
                }
                if report.rejectedCount > report.rejected.count {
                    lines.append("  … and \(report.rejectedCount - report.rejected.count) more rejected rows")
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}

/// A one-line progress bar on standard error: bytes read of the total, rows per second.
final class ProgressBar: @unchecked Sendable {
    private let totalBytes: Int
    private let started = Date()
    private let lock = NSLock()
    private var shown = false

    init(totalBytes: Int) { self.totalBytes = max(1, totalBytes) }

    func show(_ progress: PeopleImportProgress) {
        let elapsed = max(0.001, Date().timeIntervalSince(started))
        let fraction = min(1, Double(progress.bytesRead) / Double(totalBytes))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let rate = Int(Double(progress.rowsRead) / elapsed)
        let detail = progress.phase == .reading
            ? "\(Self.megabytes(progress.bytesRead)) / \(Self.megabytes(totalBytes)) MB, \(progress.rowsRead) rows, \(rate) rows/s"
            : "\(progress.phase.rawValue): \(progress.rowsWritten) of \(progress.rowsRead) rows"
        let line = "\r[\(bar)] \(Int(fraction * 100))% \(detail)\u{1B}[K"
        lock.withLock {
            shown = true
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    func finish() {
        lock.withLock {
            if shown { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }

    private static func megabytes(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
}
