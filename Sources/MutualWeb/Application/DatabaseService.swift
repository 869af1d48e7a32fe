import MutualStore
import ServiceLifecycle

/// Closes the database pools after the server has drained its in-flight requests on shutdown.
struct DatabaseService: Service {
    let database: MutualDatabase

    func run() async throws {
        // Wait for graceful shutdown; the server service stops first because it was added first.
        try? await gracefulShutdown()
        await database.shutdown()
    }
}
