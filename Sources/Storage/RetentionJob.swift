public import Logging
import Metrics
public import PostgresNIO

/// Keeps the outbox and the inbox from growing forever.
///
/// Published outbox rows are only history, and an inbox row only has to outlive any
/// redelivery of its message (minutes, at worst days while a consumer is down). One
/// replica at a time does the work: the pass takes a transaction-level advisory lock
/// and the others skip it. `ServicePlatform.retentionJob()` runs a pass every hour.
public struct RetentionJob: Sendable {
    private let client: PostgresClient
    private let schema: String
    private let outboxRetentionDays: Int
    private let inboxRetentionDays: Int
    private let logger: Logger

    public init(
        client: PostgresClient, schema: String,
        outboxRetentionDays: Int = 7, inboxRetentionDays: Int = 30, logger: Logger
    ) {
        self.client = client
        self.schema = schema
        self.outboxRetentionDays = outboxRetentionDays
        self.inboxRetentionDays = inboxRetentionDays
        self.logger = logger
    }

    /// Deletes what is past retention; returns (outbox rows, inbox rows) deleted, or nil
    /// when another replica holds the lock.
    @discardableResult
    public func runOnce() async throws -> (outbox: Int, inbox: Int)? {
        try await client.transaction(logger: logger) { connection in
            let lock = try await connection.query(
                "SELECT pg_try_advisory_xact_lock(hashtext(\("dialogue.retention." + schema)))", logger: logger
            )
            var acquired = false
            for try await value in lock.decode(Bool.self) { acquired = value }
            guard acquired else { return nil }
            let outbox = try await count(connection.query(
                """
                DELETE FROM outbox WHERE published_at IS NOT NULL
                AND published_at < now() - make_interval(days => \(Int32(outboxRetentionDays))) RETURNING id
                """,
                logger: logger
            ))
            let inbox = try await count(connection.query(
                "DELETE FROM inbox WHERE handled_at < now() - make_interval(days => \(Int32(inboxRetentionDays))) RETURNING message_id",
                logger: logger
            ))
            if outbox + inbox > 0 {
                logger.info("retention pass", metadata: ["schema": .string(schema), "outbox": "\(outbox)", "inbox": "\(inbox)"])
            }
            return (outbox, inbox)
        }
    }

    private func count(_ rows: PostgresRowSequence) async throws -> Int {
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }
}
