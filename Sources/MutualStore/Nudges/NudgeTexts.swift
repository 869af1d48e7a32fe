import Foundation

/// What the morning emails of one scan say: each person's reasons in words, with the names of
/// their programmes and organisations, read once for the whole scan.
struct NudgeTexts: Sendable {
    let findings: [UUID: [NudgeFinding]]
    let programmeNames: [UUID: String]
    let organisationNames: [UUID: String]
    /// The server's public address (`MUTUAL_BASE_URL`).
    let link: String
    let now: Date

    /// The kinds of reason a person has, as stored with their delivery (`a;b`, sorted).
    func kinds(of personID: UUID) -> String {
        Array(Set((findings[personID] ?? []).map(\.kind.rawValue))).sorted().joined(separator: ";")
    }

    /// The person's morning email: every reason, oldest kind first, each with its link.
    func email(to recipient: NudgeRecipient) -> PendingEmail {
        let own = findings[recipient.personID] ?? []
        let reasons = own.sorted { ($0.kind.rawValue, $0.since) < ($1.kind.rawValue, $1.since) }.map { finding -> [String: any Sendable] in
            let target = finding.relationshipID.map { "\(link)/relationships/\($0.uuidString)" } ?? "\(link)/matches"
            return ["line": finding.line(programme: programmeNames[finding.programmeID] ?? "your programme", now: now), "link": target]
        }
        return PendingEmail(
            template: "nudge", category: .nudges, to: EmailRecipient(personID: recipient.personID, email: recipient.email, name: recipient.name),
            organisationID: recipient.organisationID,
            values: ["name": recipient.name, "reasons": reasons, "several": reasons.count > 1, "link": "\(link)/matches", "action": "Open My matches"],
            uniqueKey: "nudge:\(recipient.personID.uuidString.lowercased()):\(recipient.localDate)")
    }
}

/// Someone the scan emails this morning, as it reads them.
struct NudgeRecipient: Sendable {
    var personID: UUID
    var organisationID: UUID
    var name: String
    var email: String
    /// Their local date this morning: the day their one nudge is claimed for.
    var localDate: String
}

/// A person's nudge, rendered and sealed, waiting for its claim.
struct PreparedNudge: Sendable {
    var recipient: NudgeRecipient
    /// The kinds of reason, stored with the delivery.
    var kinds: String
    var job: NewJob
}
