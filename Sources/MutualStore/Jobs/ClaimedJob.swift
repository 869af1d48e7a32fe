import Foundation

/// A job a worker holds the lease of, as its handler sees it.
public struct ClaimedJob: Sendable, Equatable {
    public let id: UUID
    public let kind: String
    public let payload: String
    public let subject: String
    public let organisationID: UUID?
    /// This attempt's number, 1 for the first.
    public let attempt: Int
    public let maxAttempts: Int

    /// The payload decoded as `type`.
    public func decode<Payload: Decodable>(_ type: Payload.Type) throws -> Payload {
        do {
            return try JobCoding.decode(type, from: payload)
        } catch {
            throw JobError.unreadablePayload(kind: kind, detail: "\(error)")
        }
    }
}

/// What a handler says about a job it did not throw for.
public enum JobOutcome: Sendable, Equatable {
    /// Done.
    case finished
    /// Not now, and not a failure: try again at this time without counting an attempt (a rate
    /// limit, say). The reason shows on the jobs page.
    case later(Date, reason: String)
}

/// Why the job system refused or gave up on something.
public enum JobError: Error, LocalizedError, Equatable {
    case unreadablePayload(kind: String, detail: String)
    /// The job was claimed again after its worker stopped more times than it may be tried.
    case abandoned(attempts: Int)

    public var errorDescription: String? {
        switch self {
        case .unreadablePayload(let kind, let detail):
            return "The \(kind) job's input could not be read (\(detail)). It was written by another version of Mutual; run the action again."
        case .abandoned(let attempts):
            return "The worker running this job stopped \(attempts) times before finishing it (a crash, a kill or a restart), so it was given up. Check the server's memory and logs, then run it again."
        }
    }
}
