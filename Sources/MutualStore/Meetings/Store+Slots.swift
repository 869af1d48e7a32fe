import FluentKit
import Foundation
import MutualMatching

extension Store {
    /// The meeting lengths "Find a time" looks for: 15 minutes to 4 hours, in quarter hours.
    public static let slotDurations = Array(stride(from: 15, through: 240, by: 15))

    /// Refuses a meeting length ``suggestedSlots(relationshipID:durationMinutes:of:)`` does not look for.
    public static func checkSlotDuration(_ minutes: Int) throws {
        guard slotDurations.contains(minutes) else {
            throw StoreError.invalid(
                field: "duration_minutes",
                message: "duration_minutes must be a number of minutes from 15 to 240 in steps of 15 (for example 30, 45 or 60); \(minutes) is not.")
        }
    }

    /// The common free slots of a relationship's members over the next 14 days (``SlotFinder``):
    /// each member's weekly availability in their own zone (Monday to Friday 09:00–17:00 for
    /// anyone who has not set it), less the scheduled Mutual meetings of any member in any of
    /// their relationships. Members and programme managers may look; anyone else gets "not found"
    /// (whatever the duration, so nobody learns which relationships exist).
    public func suggestedSlots(relationshipID: UUID, durationMinutes: Int, of identity: Identity) async throws -> SlotSuggestions {
        let (relationship, members) = try await scopedRelationship(id: relationshipID, of: identity)
        try Self.checkSlotDuration(durationMinutes)
        let database = try db()
        let personIDs = members.map(\.personID)
        var people: [UUID: Person] = [:]
        for person in try await Person.query(on: database).filter(\.$id ~~ (personIDs + [identity.personID])).all() {
            people[try person.requireID()] = person
        }
        let now = clock.now
        let until = now.addingTimeInterval(TimeInterval(SlotFinder.horizonDays * 86_400))
        // Someone whose person record is gone cannot meet; the others' week still counts.
        let present = members.compactMap { member in people[member.personID].map { (member, $0) } }
        let views = present.map { member, person in
            let windows = AvailabilityWindow.decodeList(person.availability)
            return SlotSuggestions.Member(
                personID: member.personID, name: person.name, timeZone: Self.timeZone(named: person.timeZone), usesDefaultAvailability: windows.isEmpty,
                isViewer: member.personID == identity.personID)
        }
        let meetings = try await scheduledMeetings(
            ofPeople: present.map(\.0.personID), organisationID: relationship.organisationID, from: now, to: until, on: database)
        let slots = SlotFinder.find(
            members: present.map { _, person in
                SlotFinder.Member(timeZone: Self.timeZone(named: person.timeZone), windows: AvailabilityWindow.decodeList(person.availability))
            },
            busy: meetings.map { DateInterval(start: $0.startsAt, end: $0.endsAt) }, durationMinutes: durationMinutes, now: now)
        return SlotSuggestions(
            relationshipID: relationshipID, durationMinutes: durationMinutes, slots: slots, members: views,
            viewerTimeZone: Self.timeZone(named: people[identity.personID]?.timeZone ?? "UTC"), from: now, to: until,
            isOpen: relationship.status.isOpen)
    }
}
