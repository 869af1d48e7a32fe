/// What the store needs to know to compose and pace email.
public struct MailSettings: Sendable, Equatable {
    /// The address people reach Mutual at; every link in a message starts with it.
    public var baseURL: String
    /// At most this many messages a minute, across all replicas (`MUTUAL_SMTP_RATE`); `nil`
    /// for no limit. Company relays such as Microsoft 365 accept about 30.
    public var ratePerMinute: Int?

    public init(baseURL: String = "http://127.0.0.1:8080", ratePerMinute: Int? = nil) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.ratePerMinute = ratePerMinute
    }
}
