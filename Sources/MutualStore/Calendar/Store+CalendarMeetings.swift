import FluentKit
import Foundation

// TEMPORARY (not committed): stands in until the meetings core lands in main.
extension Store {
    func calendarMeetings(
        ofPerson personID: UUID, organisationID: UUID, from: Date, to: Date, on database: any Database
    ) async throws -> [CalendarMeeting] { [] }
}
