import HummingbirdBcrypt
import NIOCore
import NIOPosix

/// Bcrypt hashing, off the event loops because it is deliberately slow.
public struct PasswordHasher: Sendable {
    /// Bcrypt cost; 12 in production. Tests lower it to 4 so suites stay fast.
    public let cost: UInt8

    /// A hash of a throwaway secret at the same cost, checked when no account matches an email
    /// so that response times do not reveal which addresses have accounts.
    public let timingDummyHash: String

    public init(cost: UInt8 = 12) {
        precondition((4...31).contains(cost), "bcrypt cost must be between 4 and 31")
        self.cost = cost
        self.timingDummyHash = Bcrypt.hash("mutual-timing-dummy", cost: cost)
    }

    /// Threads of bcrypt's own. SQLite's blocking calls run on `NIOThreadPool.singleton`; when
    /// bcrypt shared it, a burst of sign-ins queued every database query behind password checks
    /// until the pool's wait limit failed them (and `/healthz` took seconds).
    static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount))
        pool.start()
        return pool
    }()

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await Self.threads.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await Self.threads.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// The rules for a new password, with the message a person sees when one is broken.
    public static func validate(_ password: String, field: String = "password") throws {
        if password.count < 10 {
            throw StoreError.invalid(field: field, message: "Choose a password of at least 10 characters.")
        }
        if password.utf8.count > 72 {
            // bcrypt ignores everything after 72 bytes; refuse rather than silently truncate.
            throw StoreError.invalid(field: field, message: "Choose a password of at most 72 bytes (about 70 letters).")
        }
    }
}
