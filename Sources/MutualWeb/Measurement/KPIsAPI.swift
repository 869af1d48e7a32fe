import Foundation
import Hummingbird
import MutualStore

/// `GET /api/v1/programmes/{id}/kpis`: the programme dashboard's figures for other systems —
/// the same numbers as `/programmes/:id/dashboard`. Shares are in percent (0–100), with their
/// 95 % Wilson interval in percent.
struct KPIsAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/programmes/:id/kpis", role: .programmeManager, kpis)
    }

    struct ValueBody: APIBody {
        let value: Double?, count: Int?, total: Int?, ciLow: Double?, ciHigh: Double?, note: String
        static var example: ValueBody { ValueBody(value: 62.5, count: 10, total: 16, ciLow: 38.6, ciHigh: 81.5, note: "10 of 16") }

        init(value: Double?, count: Int?, total: Int?, ciLow: Double?, ciHigh: Double?, note: String) {
            (self.value, self.count, self.total, self.ciLow, self.ciHigh, self.note) = (value, count, total, ciLow, ciHigh, note)
        }

        init(_ measured: MeasuredValue) {
            self.init(
                value: measured.value.map(Self.rounded), count: measured.count, total: measured.total,
                ciLow: measured.interval.map { Self.rounded($0.low * 100) }, ciHigh: measured.interval.map { Self.rounded($0.high * 100) },
                note: measured.note)
        }

        static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
    }
    struct TrendBody: APIBody {
        /// `YYYY-MM` for a month's end, `now` for today.
        let label: String, at: Date, value: Double?
        static var example: TrendBody { TrendBody(label: "2026-11", at: Date(), value: 3.5) }
    }
    struct KPIBody: APIBody {
        let objective: String, sentence: String, name: String, comparison: KPI.Comparison, target: Double, unit: String
        /// What Mutual computes it from; absent when the KPI names nothing Mutual records (status `not_measured`).
        let measure: Measure?
        let expectedNow: Double, status: KPIStatus, current: ValueBody, trend: [TrendBody]
        static var example: KPIBody {
            KPIBody(
                objective: "Spread skills across teams", sentence: "meetings per pair per cycle ≥ 6", name: "meetings per pair per cycle",
                comparison: .atLeast, target: 6, unit: "", measure: .meetingsPerPairPerCycle, expectedNow: 3, status: .onTrack,
                current: .example, trend: [.example])
        }
    }
    struct StageBody: APIBody {
        let stage: String, label: String, people: Int, ofEnrolled: ValueBody
        static var example: StageBody { StageBody(stage: "accepted", label: "Accepted a match", people: 40, ofEnrolled: .example) }
    }
    struct MonthBody: APIBody {
        let month: String, meetings: Int, relationships: Int, perRelationship: Double?
        static var example: MonthBody { MonthBody(month: "2026-11", meetings: 30, relationships: 20, perRelationship: 1.5) }
    }
    struct MeasureBody: APIBody {
        let measure: Measure, name: String, unit: String, explanation: String, current: ValueBody
        static var example: MeasureBody {
            MeasureBody(measure: .reciprocityIndex, name: "reciprocity index", unit: "%", explanation: Measure.reciprocityIndex.explanation, current: .example)
        }
    }
    struct SkillBody: APIBody {
        let skill: String, learners: Int, grew: Int, levelsGained: Int
        static var example: SkillBody { SkillBody(skill: "SQL", learners: 12, grew: 5, levelsGained: 6) }
    }
    struct DashboardBody: APIBody {
        let programmeId: UUID, name: String, computedAt: Date
        /// How far through its cycle the programme is, 0–1; absent without cycle dates.
        let cycleProgress: Double?
        let minimumRespondents: Int
        let kpis: [KPIBody], funnel: [StageBody], meetingsByMonth: [MonthBody], measures: [MeasureBody], skillsGrowth: [SkillBody]
        static var example: DashboardBody {
            DashboardBody(
                programmeId: UUID(), name: "Cross-team skill swap", computedAt: Date(), cycleProgress: 0.5, minimumRespondents: 5, kpis: [.example],
                funnel: [.example], meetingsByMonth: [.example], measures: [.example], skillsGrowth: [.example])
        }
    }

    @Sendable func kpis(_ request: Request, _ context: SignedInContext) async throws -> DashboardBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let dashboard = try await store.programmeDashboard(id: id, of: context.identity)
        return DashboardBody(
            programmeId: id, name: dashboard.programmeName, computedAt: dashboard.computedAt, cycleProgress: dashboard.cycleProgress,
            minimumRespondents: dashboard.minimumRespondents,
            kpis: dashboard.kpis.map { result in
                KPIBody(
                    objective: result.objective, sentence: result.kpi.sentence, name: result.kpi.name, comparison: result.kpi.comparison,
                    target: result.kpi.target, unit: result.kpi.unit, measure: result.measure, expectedNow: ValueBody.rounded(result.expectedNow),
                    status: result.status, current: ValueBody(result.current),
                    trend: result.trend.map { TrendBody(label: $0.label, at: $0.at, value: $0.value.map(ValueBody.rounded)) })
            },
            funnel: dashboard.funnel.map { StageBody(stage: $0.key, label: $0.label, people: $0.people, ofEnrolled: ValueBody($0.ofEnrolled)) },
            meetingsByMonth: dashboard.meetingsByMonth.map {
                MonthBody(month: $0.month, meetings: $0.meetings, relationships: $0.relationships, perRelationship: $0.perRelationship.map(ValueBody.rounded))
            },
            measures: Measure.allCases.compactMap { measure in
                dashboard.measures[measure].map {
                    MeasureBody(measure: measure, name: measure.name, unit: measure.unit, explanation: measure.explanation, current: ValueBody($0))
                }
            },
            skillsGrowth: dashboard.skillsGrowth.map { SkillBody(skill: $0.skill, learners: $0.learners, grew: $0.grew, levelsGained: $0.levelsGained) })
    }
}
