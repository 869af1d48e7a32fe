import FluentKit
import Foundation

extension Store {
    /// A programme's dashboard, computed now. Programme managers and admins only.
    public func programmeDashboard(id: UUID, of identity: Identity) async throws -> ProgrammeDashboard {
        let programme = try await managedProgramme(id: id, of: identity)
        return try await dashboard(of: programme)
    }

    /// Every programme's dashboard in the organisation, newest cycle first, for the
    /// organisation-wide view: for a programme manager, the programmes they manage.
    public func programmeDashboards(of identity: Identity) async throws -> [ProgrammeDashboard] {
        try requireRole(.programmeManager, identity)
        let managed = try await managedProgrammes(of: identity)
        let programmes = try await Programme.query(on: try db()).filter(\.$organisationID == identity.organisationID)
            .sort(\.$cycleStart, .descending).sort(\.$name).all()
            .filter { managed.contains(try $0.requireID()) }
        var dashboards: [ProgrammeDashboard] = []
        for programme in programmes { dashboards.append(try await dashboard(of: programme)) }
        return dashboards
    }

    private func dashboard(of programme: Programme) async throws -> ProgrammeDashboard {
        let id = try programme.requireID()
        let facts = try await programmeFacts(of: programme)
        let objectives = try await ProgrammeObjective.query(on: try db()).filter(\.$programmeID == id).sort(\.$position).all()
        let drafts = try objectives.map { ObjectiveDraft(goal: $0.goal, kpis: try JSONDecoder().decode([KPI].self, from: Data($0.kpisJSON.utf8))) }
        let settings = try await feedbackSettings(programmeIDs: [id], on: try db())[id]
        return ProgrammeDashboard.build(
            programmeID: id, name: programme.name, facts: facts, objectives: drafts, minimumRespondents: settings?.kScores ?? FeedbackSettings.defaults.kScores,
            now: clock.now)
    }
}
