import Metrics
import MutualStore

/// The job queue's health on `/metrics`, read from the database at each scrape, so every
/// replica reports the whole (shared) queue: combine replicas with `max`, not `sum`.
struct JobQueueGauges: Sendable {
    let queued = Gauge(label: "mutual_jobs_queued")
    let running = Gauge(label: "mutual_jobs_running")
    let failed = Gauge(label: "mutual_jobs_failed")
    let oldestWaiting = Gauge(label: "mutual_jobs_oldest_waiting_seconds")

    func refresh(from store: Store) async {
        // A database that cannot be read leaves the last values; /readyz reports the outage.
        guard let health = try? await store.jobQueueHealth() else { return }
        queued.record(health.queued)
        running.record(health.running)
        failed.record(health.failed)
        oldestWaiting.record(health.oldestWaitingSeconds)
    }
}
