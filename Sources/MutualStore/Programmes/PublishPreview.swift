/// What publishing a finished run will do, for the confirmation the manager reads first
/// (``Store/publishPreview(of:by:)``): the counts publishing itself would produce.
public struct PublishPreview: Sendable, Equatable {
    /// Pairs, triads and groups that will become matches.
    public let matches: Int
    /// People in them, each told once.
    public let people: Int
    /// Of those, people with an email address on file: each is sent one (unless they turned match emails off).
    public let withEmail: Int
    /// Of those, people with an account here, who can answer under My matches.
    public let withAccount: Int

    public init(matches: Int, people: Int, withEmail: Int, withAccount: Int) {
        (self.matches, self.people, self.withEmail, self.withAccount) = (matches, people, withEmail, withAccount)
    }
}
