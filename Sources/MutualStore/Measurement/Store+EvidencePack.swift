import FluentKit
import Foundation
import SQLKit

extension Store {
    /// A programme's ISMCP evidence pack, computed now. Programme managers and admins only.
    public func evidencePack(programmeID: UUID, of identity: Identity) async throws -> EvidencePack {
        let programme = try await managedProgramme(id: programmeID, of: identity)
        let detail = try await self.programme(id: programmeID, of: identity)
        let dashboard = try await programmeDashboard(id: programmeID, of: identity)
        guard let sql = try db() as? any SQLDatabase else { throw StoreError.unavailable }

        let runs = try await matchRuns(of: programmeID, by: identity).map {
            EvidencePack.RunRecord(
                startedAt: $0.createdAt, status: $0.status.rawValue, participants: $0.participants, matched: $0.matched, gapPercent: $0.gapPercent)
        }
        let now = clock.now
        var records: [EvidencePack.RelationshipRecord] = []
        for row in try await sql.raw(
            """
            SELECT r.id, r.status, r.started_at, r.ended_at, r.vision, r.boundaries, r.confidentiality, r.agreement_version, \
            (SELECT COUNT(*) FROM \(ident: RelationshipMember.schema) m WHERE m.relationship_id = r.id) AS members, \
            (SELECT COUNT(*) FROM \(ident: RelationshipMember.schema) m WHERE m.relationship_id = r.id AND m.signed_version = r.agreement_version AND m.signed_version > 0) AS signed, \
            (SELECT COUNT(*) FROM \(ident: Meeting.schema) x WHERE x.relationship_id = r.id AND x.status = \(bind: Meeting.Status.scheduled.rawValue) AND x.starts_at <= \(bind: now)) AS held \
            FROM \(ident: Relationship.schema) r WHERE r.programme_id = \(bind: programmeID) ORDER BY r.started_at
            """
        ).all() {
            let members = try row.decode(column: "members", as: Int.self)
            let signedMembers = try row.decode(column: "signed", as: Int.self)
            records.append(
                EvidencePack.RelationshipRecord(
                    reference: String(try row.decode(column: "id", as: UUID.self).uuidString.lowercased().prefix(8)),
                    status: Relationship.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .active,
                    startedAt: try row.decode(column: "started_at", as: Date.self), endedAt: try row.decode(column: "ended_at", as: Date?.self),
                    members: members, agreementSigned: members > 0 && signedMembers == members,
                    boundariesWritten: !(try row.decode(column: "boundaries", as: String.self)).isEmpty,
                    confidentialityWritten: !(try row.decode(column: "confidentiality", as: String.self)).isEmpty,
                    meetingsHeld: try row.decode(column: "held", as: Int.self)))
        }
        // Audit entries about the programme, its runs and its relationships (events name their
        // subject by its id in lower case).
        let relationshipIDs = try await sql.select().column("id").from(Relationship.schema).where("programme_id", .equal, programmeID).all()
            .map { try $0.decode(column: "id", as: UUID.self) }
        let runIDs = try await MatchRun.query(on: try db()).filter(\.$programmeID == programmeID).all().compactMap(\.id)
        var auditEntries = 0
        for slice in ([programmeID] + runIDs + relationshipIDs).map({ $0.uuidString.lowercased() }).queryBatches() {
            let row = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "entries").from(AuditEntry.schema)
                .where("organisation_id", .equal, identity.organisationID).where("subject_id", .in, Array(slice)).first()
            auditEntries += try row?.decode(column: "entries", as: Int.self) ?? 0
        }

        let contact = try await supportContact(programmeID: programmeID, on: try db())
        let concerns = try await concernCounts(programmeID: programmeID)
        let standards = EvidencePack.standards(
            programme: programme, detail: detail, dashboard: dashboard, runs: runs, relationships: records, auditEntries: auditEntries,
            support: (contact?.name, concerns.raised, concerns.resolved))
        return EvidencePack(
            programmeID: programmeID, programmeName: programme.name, computedAt: now, standards: standards, dashboard: dashboard, runs: runs,
            relationships: records)
    }
}

extension EvidencePack {
    /// The six standards, each with what is held and what is missing, from the programme's records.
    static func standards(
        programme: Programme, detail: ProgrammeDetail, dashboard: ProgrammeDashboard, runs: [RunRecord], relationships: [RelationshipRecord],
        auditEntries: Int, support: (contact: String?, concernsRaised: Int, concernsResolved: Int)
    ) -> [Standard] {
        let kpis = dashboard.kpis
        let measured = kpis.filter { $0.measure != nil }
        let onTrack = measured.filter { $0.status == .onTrack }.count
        func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String { "\(n) \(n == 1 ? singular : (plural ?? singular + "s"))" }
        func stage(_ key: String) -> Int { dashboard.funnel.first { $0.key == key }?.people ?? 0 }

        var purposeHeld: [String] = []
        var purposeMissing: [String] = []
        if !programme.description.isEmpty { purposeHeld.append("A stated purpose: “\(programme.description)”") }
        else { purposeMissing.append("A written purpose: add a description to the programme.") }
        if detail.objectives.isEmpty { purposeMissing.append("Objectives tied to organisational goals, each with a KPI.") }
        else {
            purposeHeld.append("\(count(detail.objectives.count, "objective")) with \(count(kpis.count, "KPI")): " + detail.objectives.map(\.goal).joined(separator: "; "))
            purposeHeld.append("\(count(measured.count, "KPI")) computed by Mutual, \(onTrack) on track")
        }
        let unmeasured = kpis.filter { $0.measure == nil }
        if !unmeasured.isEmpty { purposeMissing.append("Evidence for KPIs Mutual does not measure: " + unmeasured.map(\.kpi.sentence).joined(separator: "; ")) }
        if programme.cycleStart.isEmpty || programme.cycleEnd.isEmpty { purposeMissing.append("Cycle dates, so progress can be judged against time.") }

        let training = Standard(
            number: 2, title: "Stakeholder training and briefing",
            asks: "Participants, managers and sponsors are briefed on the programme and trained for their role.",
            held: programme.agendaTemplate.isEmpty ? [] : ["A meeting agenda every relationship starts from"],
            missing: [
                "Records of briefings and training attended: Mutual does not record them yet (workshops and the resource library with reading records come with the community features).",
                "Briefing materials for line managers and sponsors.",
            ])

        var matchingHeld = [
            programme.matchingRules.isEmpty ? "Matching at the \(programme.model.label.lowercased()) model's documented default rules" : "Written matching rules for this programme",
            "\(count(runs.count, "match run")) on record, each with its optimality certificate and a reason for every pair",
        ]
        let answered = dashboard.measures[.matchAcceptance]
        if let answered, let total = answered.total { matchingHeld.append("Acceptance recorded for \(count(total, "person", "people")): \(answered.note) accepted") }
        let unwound = relationships.filter { $0.status == .dissolved }.count
        matchingHeld.append("\(count(unwound, "relationship")) unwound early, with the history kept so the pair is not matched again")
        var matchingMissing: [String] = []
        if runs.isEmpty { matchingMissing.append("A match run: nobody has been matched yet.") }

        let signed = relationships.filter(\.agreementSigned).count
        let bounded = relationships.filter { $0.boundariesWritten && $0.confidentialityWritten }.count
        var ethicsHeld = [
            "\(signed) of \(count(relationships.count, "relationship")) with an agreement every member signed; \(bounded) with boundaries and confidentiality written",
            "Feedback scores shown to managers only over at least \(dashboard.minimumRespondents) respondents",
            "Any member may leave a relationship without the others seeing why",
            "Participants can raise a concern confidentially with the support contact: \(support.concernsRaised) raised, \(support.concernsResolved) dealt with (their contents stay with the contact)",
        ]
        var ethicsMissing: [String] = []
        if relationships.count > signed { ethicsMissing.append("Signed agreements for \(count(relationships.count - signed, "relationship")).") }
        if relationships.isEmpty { ethicsHeld.removeFirst() }

        var measurementHeld = [
            "A dashboard of the funnel (\(stage("enrolled")) enrolled, \(stage("accepted")) accepted, \(stage("met")) met), meetings by month, satisfaction, goals, milestones, skills growth and reciprocity",
        ]
        if let usefulness = dashboard.measures[.meetingUsefulness]?.value {
            measurementHeld.append("Meeting usefulness \(String(format: "%.1f", usefulness)) out of 5 from members' meeting logs")
        }
        let measurementMissing = measured.isEmpty ? ["KPIs Mutual can compute, so progress is measured rather than asserted."] : []

        var adminHeld = ["\(count(auditEntries, "audit log entry", "audit log entries")) about the programme, its runs and relationships"]
        adminHeld.append("Personal data kept in your own Mutual installation; the data-handling notes are in the operations guide")
        var adminMissing: [String] = []
        if let contact = support.contact { adminHeld.insert("A named support contact for participants: \(contact)", at: 0) }
        else { adminMissing.append("A named support contact for participants' concerns: name one on the programme page (until then the admins read concerns).") }

        return [
            Standard(
                number: 1, title: "Clarity of purpose",
                asks: "The programme's purpose, objectives and the outcomes it measures are written down and aligned with the organisation.",
                held: purposeHeld, missing: purposeMissing),
            training,
            Standard(
                number: 3, title: "Selection and matching",
                asks: "How people are selected and matched is transparent and fair, with a way to unwind and re-match.",
                held: matchingHeld, missing: matchingMissing),
            Standard(
                number: 4, title: "Measurement and review",
                asks: "The programme is measured against its objectives and reviewed, with feedback from participants.",
                held: measurementHeld, missing: measurementMissing),
            Standard(
                number: 5, title: "Ethics",
                asks: "Relationships work to clear agreements on boundaries and confidentiality; participants are protected and can raise concerns.",
                held: ethicsHeld, missing: ethicsMissing),
            Standard(
                number: 6, title: "Administration and support",
                asks: "The programme is administered reliably, with support for participants and records kept.",
                held: adminHeld, missing: adminMissing),
        ]
    }
}
