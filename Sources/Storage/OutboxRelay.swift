import Foundation
public import Logging
public import Messaging
import Metrics
public import PostgresNIO
public import ServiceLifecycle

/// Publishes a schema's outbox to the broker, with confirms, and marks rows sent.
///
/// Woken by `LISTEN/NOTIFY` when a transaction writes to the outbox, with a polling
/// fallback for a missed notification. Several relays (replicas) may run at once: each
/// batch is claimed with `FOR UPDATE SKIP LOCKED`, so no row is published by two relays
/// at the same time, and a row is marked sent only after the broker confirmed it.
public struct OutboxRelay: Service {
    private let client: PostgresClient
    private let publisher: AMQPPublisher
    private let topology: MessagingTopology
    private let schema: String
    private let batchSize: Int
    private let pollInterval: Duration
    private let logger: Logger
    private let published: Counter
    private let failures: Counter
    private let lag: Gauge
    private let unrouted: Counter

    public init(
        client: PostgresClient, publisher: AMQPPublisher, topology: MessagingTopology, schema: String,
        batchSize: Int = 500, pollInterval: Duration = .seconds(1), logger: Logger
    ) {
        self.client = client
        self.publisher = publisher
        self.topology = topology
        self.schema = schema
        self.batchSize = batchSize
        self.pollInterval = pollInterval
        var logger = logger
        logger[metadataKey: "outbox"] = .string(schema)
        self.logger = logger
        published = Counter(label: "dialogue_outbox_published_total", dimensions: [("schema", schema)])
        failures = Counter(label: "dialogue_outbox_publish_failures_total", dimensions: [("schema", schema)])
        lag = Gauge(label: "dialogue_outbox_lag_seconds", dimensions: [("schema", schema)])
        unrouted = Counter(label: "dialogue_events_unrouted_total", dimensions: [("schema", schema)])
    }

    public func run() async throws {
        await NotifiedLoop(client: client, channel: "\(schema)_outbox", pollInterval: pollInterval, logger: logger).run {
            await self.drain()
        }
    }

    /// Publishes until the outbox is empty (or the broker fails).
    public func drain() async {
        do {
            while try await relayBatch() == batchSize {}
            try await measureLag()
        } catch {
            logger.warning("outbox relay pass failed", metadata: ["error": .string(String(reflecting: error))])
        }
    }

    /// One debug line per published row, in the trace its transaction stored.
    private static func logPublished(_ message: OutgoingMessage, logger: Logger) {
        let trace = message.headers[EnvelopeHeader.traceparent]?.stringValue.flatMap(TraceContext.init(traceparent:))
        TraceContext.$current.withValue(trace) {
            logger.debug("message published", metadata: ["type": .string(message.type), "message_id": .string(message.messageID)])
        }
    }

    /// Publishes one batch and returns how many rows it handled.
    @discardableResult
    public func relayBatch() async throws -> Int {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT id, message_id, destination, routing_key, message_type, schema_version, body,
                       correlation_id, traceparent, created_at
                FROM outbox WHERE published_at IS NULL AND next_attempt_at <= now()
                ORDER BY id LIMIT \(batchSize)
                FOR UPDATE SKIP LOCKED
                """,
                logger: logger
            )
            var pending: [(id: Int64, message: OutgoingMessage)] = []
            for try await (id, messageID, destination, routingKey, type, version, body, correlationID, traceparent, createdAt)
                in rows.decode((Int64, UUID, String, String, String, Int, ByteBuffer, String?, String?, Date).self)
            {
                // The row's own trace context, stored by the transaction that wrote it.
                var headers: [String: HeaderValue] = [EnvelopeHeader.schemaVersion: .int(Int64(version))]
                if let traceparent { headers[EnvelopeHeader.traceparent] = .string(traceparent) }
                pending.append((id, OutgoingMessage(
                    exchange: destination == "event" ? topology.eventsExchange : topology.commandsExchange,
                    routingKey: routingKey,
                    body: Array(buffer: body),
                    messageID: messageID.uuidString.lowercased(),
                    type: type,
                    timestamp: createdAt,
                    correlationID: correlationID,
                    headers: headers
                )))
            }
            guard !pending.isEmpty else { return 0 }

            // Publish the whole batch at once: confirms come back pipelined.
            let results = await withTaskGroup(of: (Int64, AMQPError?).self) { group in
                for (id, message) in pending {
                    group.addTask {
                        do {
                            try await publisher.publish(message)
                            Self.logPublished(message, logger: logger)
                            return (id, nil)
                        } catch AMQPError.unroutable where message.exchange == topology.eventsExchange {
                            // An event nobody subscribes to yet is delivered to all its (zero)
                            // subscribers; a command nobody takes is an error and stays.
                            unrouted.increment()
                            return (id, nil)
                        } catch let error as AMQPError {
                            return (id, error)
                        } catch {
                            return (id, AMQPError.library(operation: "publish", message: "\(error)"))
                        }
                    }
                }
                var results: [(Int64, AMQPError?)] = []
                for await result in group { results.append(result) }
                return results
            }
            let sent = results.filter { $0.1 == nil }.map(\.0)
            if !sent.isEmpty {
                // A published secret (a mailed link's token) has no reason to stay in the database:
                // the broker holds the message now, and the row is kept only as history (its body
                // an empty JSON object, so that what reads bodies as JSON still reads it).
                try await connection.query(
                    """
                    UPDATE outbox SET published_at = now(), body = CASE WHEN carries_secrets THEN convert_to('{}', 'UTF8') ELSE body END
                    WHERE id = ANY(\(sent))
                    """,
                    logger: logger
                )
                published.increment(by: sent.count)
            }
            // No broker now: the rows are not at fault; stop and try again at the next wake-up.
            if results.contains(where: { $0.1 == .notConnected || $0.1 == .shuttingDown }) { return 0 }
            let refused = results.compactMap { id, error in error.map { (id, $0) } }
            if let (_, firstError) = refused.first {
                failures.increment(by: refused.count)
                try await connection.query(
                    """
                    UPDATE outbox SET attempts = attempts + 1, last_error = \(firstError.description),
                        next_attempt_at = now() + least(power(2, attempts), 300) * interval '1 second'
                    WHERE id = ANY(\(refused.map(\.0)))
                    """,
                    logger: logger
                )
                logger.warning("outbox messages refused by the broker; will retry", metadata: [
                    "count": .stringConvertible(refused.count), "error": .string(firstError.description),
                ])
            }
            return pending.count
        }
    }

    private func measureLag() async throws {
        let rows = try await client.query(
            "SELECT EXTRACT(EPOCH FROM now() - min(created_at))::float8 FROM outbox WHERE published_at IS NULL",
            logger: logger
        )
        for try await seconds in rows.decode(Double?.self) {
            lag.record(seconds ?? 0)
        }
    }
}
