import Foundation
import MutualStore

/// The relationship page's "Learning ledger" section: the conversation over time (each member's
/// log of each meeting), who taught whom what per skill, the reciprocity balance for peer pairs
/// with a gentle prompt when one member alone has been teaching, and the members' raised levels.
struct LedgerSection {
    struct Item { let skill: String, note: String }
    struct Log { let name: String, taught: [Item], learned: [Item], hasTaught: Bool, hasLearned: Bool, rating: String, commitment: String }
    struct Entry {
        let meetingID: String, when: String, logs: [Log], notLogged: String, hasNotLogged: Bool
        /// Shown to a member: log it, or change their log.
        let canLog: Bool, viewerLogged: Bool
    }
    struct Flow { let line: String }
    struct Side { let line: String }

    let relationshipID: String
    let isMember: Bool
    let entries: [Entry], hasEntries: Bool
    let flows: [Flow], hasFlows: Bool
    let isPeerPair: Bool, sides: [Side], bothTeaching: Bool, balanceWords: String
    /// The gentle prompt when one member alone taught in each of the last three logged meetings.
    let oneSidedPrompt: String
    let growth: [String], hasGrowth: Bool

    static func make(_ ledger: RelationshipLedger, zone: TimeZone, canLog: Bool) -> LedgerSection {
        let viewerID = ledger.members.first(where: \.isViewer)?.personID
        let entries = ledger.entries.map { entry in
            let logs = entry.logs.map { log in
                Log(
                    name: log.name, taught: log.taught.map { Item(skill: $0.skill, note: $0.note) },
                    learned: log.learned.map { Item(skill: $0.skill, note: $0.note) }, hasTaught: !log.taught.isEmpty, hasLearned: !log.learned.isEmpty,
                    rating: log.rating.map { "Usefulness \($0) of 5" } ?? "", commitment: log.commitment)
            }
            let missing = entry.notLogged.map { ledger.name(of: $0) }
            return Entry(
                meetingID: entry.meetingID.uuidString, when: MeetingTimeText.describe(entry.startsAt, durationMinutes: entry.durationMinutes, in: zone),
                logs: logs, notLogged: missing.isEmpty ? "" : "Not logged yet by \(missing.joined(separator: ", ")).", hasNotLogged: !missing.isEmpty,
                canLog: canLog && viewerID != nil, viewerLogged: entry.logs.contains { $0.personID == viewerID })
        }
        let flows = ledger.flows.map { flow in
            let confirmed = flow.confirmed == flow.meetings ? "logged by both" : flow.confirmed == 0 ? "logged by one side" : "\(flow.confirmed) logged by both"
            return Flow(
                line: "\(ledger.name(of: flow.teacherID)) taught \(ledger.name(of: flow.learnerID)) \(flow.skill): \(Self.meetings(flow.meetings)) (\(confirmed))")
        }
        var sides: [Side] = []
        var words = ""
        var prompt = ""
        if let balance = ledger.balance {
            sides = balance.sides.map { side in
                let learner = ledger.members.first { $0.personID != side.personID }.map { ledger.name(of: $0.personID) } ?? "the other"
                return Side(
                    line: "\(ledger.name(of: side.personID)) taught \(learner) in \(Self.meetings(side.meetingsTaught)) (\(side.skillsTaught) skill\(side.skillsTaught == 1 ? "" : "s"))")
            }
            if balance.bothTeaching {
                words = "Both of you are teaching: learning goes both ways."
            } else if balance.sides.allSatisfy({ $0.meetingsTaught == 0 }) {
                words = "No teaching logged yet. After your next meeting, each of you logs what you taught and learned."
            } else {
                words = "So far the teaching goes one way."
            }
            if let teacher = balance.oneSidedTeacherID {
                let other = ledger.members.first { $0.personID != teacher }.map { ledger.name(of: $0.personID) } ?? "the other member"
                prompt =
                    "In your last \(Store.oneSidedMeetings) logged meetings only \(ledger.name(of: teacher)) logged teaching. Peer pairs work best both ways: next time, what could \(other) teach? Look at “What each of you can teach” above for ideas."
            }
        }
        let growth = ledger.levelChanges.map { change in
            "\(change.name): \(change.skill) level \(change.fromLevel) → \(change.toLevel) on \(Self.day(change.changedAt, zone: zone))"
        }
        return LedgerSection(
            relationshipID: ledger.relationshipID.uuidString, isMember: viewerID != nil, entries: entries, hasEntries: !entries.isEmpty, flows: flows,
            hasFlows: !flows.isEmpty, isPeerPair: ledger.balance != nil, sides: sides, bothTeaching: ledger.balance?.bothTeaching ?? false,
            balanceWords: words, oneSidedPrompt: prompt, growth: growth, hasGrowth: !growth.isEmpty)
    }

    /// The section for the viewer, in their profile's time zone.
    static func load(store: Store, relationshipID: UUID, context: SignedInContext) async throws -> LedgerSection {
        let ledger = try await store.ledger(relationshipID: relationshipID, of: context.identity)
        let profile = try await store.profile(personID: context.identity.personID, of: context.identity)
        return make(ledger, zone: Store.timeZone(named: profile.timeZone), canLog: true)
    }

    static func meetings(_ count: Int) -> String { count == 1 ? "1 meeting" : "\(count) meetings" }

    /// "7 December 2026" in the viewer's zone.
    static func day(_ date: Date, zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = zone
        formatter.dateFormat = "d MMMM yyyy"
        return formatter.string(from: date)
    }
}
