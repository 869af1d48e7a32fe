import Foundation

/// How webhooks leave this server: the transport, the retry schedule, whether private
/// addresses may receive them, and how long a rotated secret still signs.
public struct WebhookSettings: Sendable {
    /// Sends the requests (``AsyncHTTPWebhookTransport`` unless a test passes its own).
    public var transport: any WebhookTransport
    /// The waits after each failed attempt, in seconds (`MUTUAL_WEBHOOK_RETRY_SCHEDULE`). The
    /// first attempt is at once; after the last wait's attempt fails, the endpoint is disabled.
    public var retrySchedule: [TimeInterval]
    /// `MUTUAL_WEBHOOK_ALLOW_PRIVATE`: lets endpoints on private, loopback and link-local addresses.
    public var allowPrivateAddresses: Bool
    /// After a rotation, the previous secret also signs for this long, so receivers can switch
    /// without losing a message.
    public var rotationOverlap: TimeInterval
    /// How long one attempt may take.
    public var timeout: TimeInterval

    /// The specification's schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (eight attempts,
    /// about 28 hours).
    public static let standardSchedule: [TimeInterval] = [5, 300, 1800, 7200, 18_000, 36_000, 36_000]
    /// 24 hours.
    public static let standardRotationOverlap: TimeInterval = 86_400

    public init(
        transport: (any WebhookTransport)? = nil, retrySchedule: [TimeInterval] = WebhookSettings.standardSchedule,
        allowPrivateAddresses: Bool = false, rotationOverlap: TimeInterval = WebhookSettings.standardRotationOverlap, timeout: TimeInterval = 10
    ) {
        self.transport = transport ?? AsyncHTTPWebhookTransport.shared
        self.retrySchedule = retrySchedule
        self.allowPrivateAddresses = allowPrivateAddresses
        self.rotationOverlap = rotationOverlap
        self.timeout = timeout
    }

    /// The address rule these settings apply.
    public var addressPolicy: WebhookAddressPolicy { WebhookAddressPolicy(allowPrivate: allowPrivateAddresses) }

    /// Reads `MUTUAL_WEBHOOK_RETRY_SCHEDULE`: seconds, comma-separated (`5,300,1800`), each a
    /// whole number from 1 to 604800 (a week), at most 20 of them. Throws a message that says
    /// what is wrong and what to write instead.
    public static func parseSchedule(_ text: String) throws -> [TimeInterval] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, parts.count <= 20 else {
            throw ScheduleError(message: "MUTUAL_WEBHOOK_RETRY_SCHEDULE must list 1 to 20 waits in seconds, comma-separated, e.g. 5,300,1800,7200,18000,36000,36000 (the default).")
        }
        return try parts.map { part in
            guard let seconds = Int(part), (1...604_800).contains(seconds) else {
                throw ScheduleError(message: "MUTUAL_WEBHOOK_RETRY_SCHEDULE holds \"\(part)\", which is not a whole number of seconds from 1 to 604800. Write waits such as 5,300,1800,7200,18000,36000,36000 (the default).")
            }
            return TimeInterval(seconds)
        }
    }

    public struct ScheduleError: Error, LocalizedError {
        public let message: String
        public var errorDescription: String? { message }
    }
}
