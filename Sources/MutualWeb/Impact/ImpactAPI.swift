import Foundation
import Hummingbird
import MutualImpact
import MutualStore

/// `GET /api/v1/programmes/{id}/impact`: the programme's participants against matched
/// non-participants on each imported HR outcome; `POST /api/v1/outcomes`: the HR outcomes
/// import (text/csv), the same contract as the upload page and `mutual impact`.
struct ImpactAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/programmes/:id/impact", role: .programmeManager, impact)
        // No Idempotency-Key, like the people import: the file streams and is never held
        // whole, and a repeated import writes the same values (one per person and outcome),
        // reporting them unchanged.
        routes.api(.post, "/api/v1/outcomes", role: .admin, idempotencyKey: false, importOutcomes)
    }

    /// One covariate's balance.
    struct BalanceBody: APIBody {
        let covariate: String
        let participantMean: Double, controlMeanBefore: Double, controlMeanAfter: Double
        let smdBefore: Double, smdAfter: Double
        /// |SMD after| ≥ 0.1.
        let imbalanced: Bool
        static var example: BalanceBody {
            BalanceBody(covariate: "level", participantMean: 3.4, controlMeanBefore: 2.8, controlMeanAfter: 3.4, smdBefore: 0.42, smdAfter: 0, imbalanced: false)
        }
    }

    /// Completers against the same never-participants.
    struct EstimateBody: APIBody {
        let participants: Int, controls: Int, matchedParticipants: Int, droppedParticipants: Int, matchedControls: Int, missingOutcome: Int
        let participantMean: Double?, controlMean: Double?, rawDifference: Double?, effect: Double?, ciLow: Double?, ciHigh: Double?
        let balance: [BalanceBody]
        static var example: EstimateBody {
            EstimateBody(
                participants: 80, controls: 900, matchedParticipants: 78, droppedParticipants: 2, matchedControls: 610, missingOutcome: 3,
                participantMean: 0.9, controlMean: 0.78, rawDifference: 0.12, effect: 0.06, ciLow: 0.01, ciHigh: 0.11, balance: [.example])
        }
    }

    /// One outcome: intention-to-treat figures at the top (every participant), completers inside.
    struct OutcomeBody: APIBody {
        let outcome: String
        let kind: OutcomeKind
        let participants: Int, controls: Int, matchedParticipants: Int, droppedParticipants: Int, matchedControls: Int, missingOutcome: Int
        let participantMean: Double?, controlMean: Double?, rawDifference: Double?, effect: Double?, ciLow: Double?, ciHigh: Double?
        let balance: [BalanceBody]
        let completers: EstimateBody?
        let summary: String
        let caveats: [String]
        static var example: OutcomeBody {
            OutcomeBody(
                outcome: "retained_12m", kind: .proportion, participants: 120, controls: 900, matchedParticipants: 115,
                droppedParticipants: 5, matchedControls: 640, missingOutcome: 4, participantMean: 0.91, controlMean: 0.8,
                rawDifference: 0.11, effect: 0.05, ciLow: 0.01, ciHigh: 0.09, balance: [.example], completers: .example,
                summary: "115 of 120 participants were compared with 640 colleagues who did not take part…",
                caveats: ["Matching makes participants and non-participants alike only in department, level, company and time zone."])
        }
    }

    /// A programme's impact report.
    struct ImpactBody: APIBody {
        let programmeId: UUID
        let programmeName: String
        /// People in the programme's relationships.
        let participants: Int
        /// Participants in a completed relationship.
        let completers: Int
        /// People never enrolled in or matched by the programme.
        let controls: Int
        /// Enrolled but never matched: in neither group.
        let enrolledUnmatched: Int
        let method: String
        let covariates: [String]
        let bootstrapReplicates: Int
        let seed: Int
        let outcomes: [OutcomeBody]
        static var example: ImpactBody {
            ImpactBody(
                programmeId: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!, programmeName: "Peer learning 2026",
                participants: 120, completers: 80, controls: 900, enrolledUnmatched: 6, method: ImpactReport.methodDescription,
                covariates: ImpactReport.matchedCovariates, bootstrapReplicates: 1000, seed: 1, outcomes: [.example])
        }
    }

    /// What an outcomes import did (or would have done); 422 when it wrote nothing.
    struct OutcomesImportBody: APIBody {
        let mode: PeopleImportMode, dryRun: Bool, outcome: PeopleImportReport.Outcome
        let rowsRead: Int, created: Int, changed: Int, unchanged: Int, rejectedCount: Int
        let rejected: [PeopleImportAPI.RejectedRowBody], fileProblems: [PeopleImportAPI.ProblemBody]
        let warnings: [String], outcomes: [String], summary: String

        var status: HTTPResponse.Status? { outcome == .nothingWritten || !fileProblems.isEmpty ? .unprocessableContent : nil }

        static var example: OutcomesImportBody {
            OutcomesImportBody(
                mode: .allOrNothing, dryRun: false, outcome: .imported, rowsRead: 3, created: 1, changed: 1, unchanged: 0,
                rejectedCount: 1, rejected: [.example], fileProblems: [.example], warnings: ["ignored column: note"],
                outcomes: ["retained_12m"], summary: "Imported: 1 created, 1 changed, 0 unchanged, 1 rejected.")
        }
    }

    @Sendable func impact(_ request: Request, _ context: SignedInContext) async throws -> ImpactBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        return ImpactBody(try await store.programmeImpact(programmeID: id, of: context.identity))
    }

    @Sendable func importOutcomes(_ request: Request, _ context: SignedInContext) async throws -> OutcomesImportBody {
        let contentType = (request.headers[.contentType] ?? "").lowercased()
        guard contentType.hasPrefix("text/csv") else {
            throw APIProblem(
                status: .unsupportedMediaType, title: "Send CSV",
                detail: "Send the outcomes file (columns id,outcome,value) as the body with Content-Type: text/csv (UTF-8).")
        }
        let mode: PeopleImportMode
        switch request.uri.queryParameters.get("mode") {
        case nil: mode = .allOrNothing
        case let text?:
            guard let parsed = PeopleImportMode(rawValue: text) else {
                throw APIProblem(status: .badRequest, title: "Invalid value", detail: "mode must be all_or_nothing or valid_rows.", field: "mode")
            }
            mode = parsed
        }
        let dryRun: Bool
        switch request.uri.queryParameters.get("dry_run") {
        case nil, "false": dryRun = false
        case "true": dryRun = true
        default: throw APIProblem(status: .badRequest, title: "Invalid value", detail: "dry_run must be true or false.", field: "dry_run")
        }
        let counter = PeopleImportAPI.ByteCounter(limit: OutcomesImportPages.maxUploadBytes)
        let chunks = request.body.map { buffer in
            try counter.add(buffer.readableBytes)
            return Array(buffer: buffer)
        }
        let report = try await store.importOutcomes(from: chunks, options: PeopleImportOptions(mode: mode, dryRun: dryRun), by: context.identity)
        return OutcomesImportBody(report)
    }
}

extension OutcomeKind: APIEnumeration {}

extension ImpactAPI.BalanceBody {
    init(_ row: BalanceRow) {
        self.init(
            covariate: row.covariate, participantMean: row.participantMean, controlMeanBefore: row.controlMeanBefore,
            controlMeanAfter: row.controlMeanAfter, smdBefore: row.smdBefore, smdAfter: row.smdAfter, imbalanced: row.imbalanced)
    }
}

extension ImpactAPI.EstimateBody {
    init(_ estimate: OutcomeEstimate) {
        self.init(
            participants: estimate.participants, controls: estimate.controls, matchedParticipants: estimate.matchedParticipants,
            droppedParticipants: estimate.droppedParticipants, matchedControls: estimate.matchedControls,
            missingOutcome: estimate.missingOutcome, participantMean: estimate.participantMean, controlMean: estimate.controlMean,
            rawDifference: estimate.rawDifference, effect: estimate.effect, ciLow: estimate.ciLow, ciHigh: estimate.ciHigh,
            balance: estimate.balance.map(ImpactAPI.BalanceBody.init))
    }
}

extension ImpactAPI.OutcomeBody {
    init(_ report: OutcomeReport) {
        let itt = report.intentionToTreat
        self.init(
            outcome: report.outcome, kind: report.kind, participants: itt.participants, controls: itt.controls,
            matchedParticipants: itt.matchedParticipants, droppedParticipants: itt.droppedParticipants,
            matchedControls: itt.matchedControls, missingOutcome: itt.missingOutcome, participantMean: itt.participantMean,
            controlMean: itt.controlMean, rawDifference: itt.rawDifference, effect: itt.effect, ciLow: itt.ciLow, ciHigh: itt.ciHigh,
            balance: itt.balance.map(ImpactAPI.BalanceBody.init), completers: report.completers.map(ImpactAPI.EstimateBody.init),
            summary: report.summary, caveats: report.caveats)
    }
}

extension ImpactAPI.ImpactBody {
    init(_ impact: ProgrammeImpact) {
        self.init(
            programmeId: impact.programmeID, programmeName: impact.programmeName, participants: impact.participants,
            completers: impact.completers, controls: impact.controls, enrolledUnmatched: impact.enrolledUnmatched,
            method: impact.report.method, covariates: impact.report.covariates, bootstrapReplicates: impact.report.bootstrapReplicates,
            seed: Int(truncatingIfNeeded: impact.report.seed), outcomes: impact.report.outcomes.map(ImpactAPI.OutcomeBody.init))
    }
}

extension ImpactAPI.OutcomesImportBody {
    init(_ report: OutcomesImportReport) {
        func problem(_ problem: PeopleImportReport.Problem) -> PeopleImportAPI.ProblemBody {
            .init(line: problem.line, column: problem.column, reason: problem.reason)
        }
        self.init(
            mode: report.mode, dryRun: report.dryRun, outcome: report.outcome, rowsRead: report.rowsRead, created: report.created,
            changed: report.changed, unchanged: report.unchanged, rejectedCount: report.rejectedCount,
            rejected: report.rejected.map { .init(line: $0.line, id: $0.id, problems: $0.problems.map(problem)) },
            fileProblems: report.fileProblems.map(problem), warnings: report.warnings, outcomes: report.outcomes, summary: report.summary)
    }
}
