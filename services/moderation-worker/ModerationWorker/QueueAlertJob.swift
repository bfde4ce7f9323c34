import DialogueContracts
import Foundation
import Logging
import ServiceKit
import PostgresNIO
import ServiceLifecycle
import Storage

/// Tells staff when the queue needs attention: when it holds at least `count` items, or an
/// item has waited longer than `age`. One alert per episode (the job re-arms once the queue
/// is back under both limits), and a reminder each `reminder` while it stays over them:
/// never one message per item.
struct QueueAlertJob: Service {
    struct Limits: Sendable {
        var count: Int
        var age: Duration
        var reminder: Duration
        var interval: Duration
    }

    let client: PostgresClient
    let limits: Limits
    let logger: Logger

    func run() async throws {
        try await PeriodicJob(name: "queue alert check", interval: limits.interval, logger: logger) { try await self.check() }.run()
    }

    /// Looks at the queue once; returns the alert sent, if any.
    @discardableResult
    func check() async throws -> ModerationQueueWaiting? {
        try await client.transaction(logger: logger) { connection in
            // The single state row, locked: replicas take turns.
            let state = try await connection.query("SELECT armed, last_alert_at FROM queue_alert FOR UPDATE", logger: logger)
            var armed = true
            var lastAlert: Date?
            for try await (value, at) in state.decode((Bool, Date?).self) { (armed, lastAlert) = (value, at) }

            let queue = try await connection.query(
                "SELECT count(*)::int8, min(submitted_at) FROM items WHERE status = 'pending'", logger: logger
            )
            var pending = 0
            var oldest: Date?
            for try await (count, at) in queue.decode((Int, Date?).self) { (pending, oldest) = (count, at) }

            let ageLimit = Double(limits.age.components.seconds)
            let tooMany = pending >= limits.count
            let tooOld = oldest.map { Date().timeIntervalSince($0) >= ageLimit } ?? false
            guard tooMany || tooOld else {
                if !armed { try await connection.query("UPDATE queue_alert SET armed = true", logger: logger) }
                return nil
            }
            let reminderDue = lastAlert.map { Date().timeIntervalSince($0) >= Double(limits.reminder.components.seconds) } ?? true
            guard armed || reminderDue else { return nil }
            let alert = ModerationQueueWaiting(pendingCount: pending, oldestSubmittedAt: oldest, trigger: tooMany ? "count" : "age")
            try await Outbox.enqueue(alert, on: connection, logger: logger)
            try await connection.query("UPDATE queue_alert SET armed = false, last_alert_at = now()", logger: logger)
            logger.info("moderation queue alert", metadata: ["pending": "\(pending)", "trigger": .string(alert.trigger)])
            return alert
        }
    }
}
