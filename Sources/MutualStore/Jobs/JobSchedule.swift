import Foundation

/// A job that recurs: each slot (hour or day, in UTC) gets one job, across all replicas, because
/// the slot is the job's unique key.
public struct JobSchedule: Sendable {
    public enum Period: Sendable, Equatable {
        case hourly, daily

        var seconds: TimeInterval { self == .hourly ? 3600 : 86_400 }
    }

    /// Names the schedule in unique keys; never renamed once released.
    public var name: String
    public var kind: String
    public var period: Period
    public var payload: String

    public init(name: String, kind: String, period: Period, payload: String = "{}") {
        self.name = name
        self.kind = kind
        self.period = period
        self.payload = payload
    }

    /// The start of the slot `time` falls in.
    public func slot(containing time: Date) -> Date {
        Date(timeIntervalSince1970: (time.timeIntervalSince1970 / period.seconds).rounded(.down) * period.seconds)
    }

    /// The job for the slot `time` falls in.
    public func job(forSlotContaining time: Date) -> NewJob {
        let slot = slot(containing: time)
        return NewJob(
            kind: kind, payload: payload, subject: "schedule:\(name)", organisationID: nil, runAt: slot,
            uniqueKey: "schedule:\(name):\(Int(slot.timeIntervalSince1970))")
    }
}
