public import DialogueContracts
public import Foundation
public import Logging
public import Messaging
public import PostgresNIO

/// Writes messages into the schema's outbox inside the caller's transaction, so that a
/// change and the events announcing it commit, or roll back, together.
///
/// Each row keeps the `traceparent` its message will carry: the one given, else the
/// current trace context (a new trace when there is none); the relay publishes it as stored.
/// A message whose type `carriesSecrets` is marked so: the relay blanks its body once published.
public enum Outbox {
    /// Queues an event for `dialogue.events`.
    public static func enqueue<Event: DialogueEvent>(
        _ event: Event, messageID: UUID = UUID(), correlationID: String? = nil, traceparent: String? = nil,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await insert(
            messageID: messageID, destination: "event", routingKey: Event.messageType, type: Event.messageType,
            version: Event.schemaVersion, body: try MessageCoding.encode(event), carriesSecrets: Event.carriesSecrets,
            correlationID: correlationID, traceparent: traceparent, on: connection, logger: logger
        )
    }

    /// Queues many events of one type in a single statement (batch handlers).
    /// - Parameter traces: the trace context of each event, in order, when the events stem
    ///   from different messages of a batch; a missing or nil one is the current context.
    public static func enqueue<Event: DialogueEvent>(
        all events: [Event], traces: [TraceContext?] = [], on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !events.isEmpty else { return }
        let ids = events.map { _ in UUID() }
        let bodies = try events.map { ByteBuffer(bytes: try MessageCoding.encode($0)) }
        let traceparents = events.indices.map { index in
            ((index < traces.count ? traces[index] : nil) ?? TraceContext.current ?? .make()).traceparent
        }
        try await connection.query(
            """
            INSERT INTO outbox (message_id, destination, routing_key, message_type, schema_version, body, traceparent, carries_secrets)
            SELECT id, 'event', \(Event.messageType), \(Event.messageType), \(Event.schemaVersion), body, traceparent, \(Event.carriesSecrets)
            FROM unnest(\(ids)::uuid[], \(bodies)::bytea[], \(traceparents)::text[]) AS batch(id, body, traceparent)
            """,
            logger: logger
        )
    }

    /// Queues a command for `dialogue.commands`, addressed to its target service.
    public static func enqueue<Command: DialogueCommand>(
        command: Command, messageID: UUID = UUID(), correlationID: String? = nil, traceparent: String? = nil,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await insert(
            messageID: messageID, destination: "command", routingKey: Command.targetService.rawValue, type: Command.messageType,
            version: Command.schemaVersion, body: try MessageCoding.encode(command), carriesSecrets: Command.carriesSecrets,
            correlationID: correlationID, traceparent: traceparent, on: connection, logger: logger
        )
    }

    private static func insert(
        messageID: UUID, destination: String, routingKey: String, type: String, version: Int, body: [UInt8], carriesSecrets: Bool,
        correlationID: String?, traceparent: String?, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO outbox (message_id, destination, routing_key, message_type, schema_version, body, correlation_id, traceparent, carries_secrets)
            VALUES (\(messageID), \(destination), \(routingKey), \(type), \(version), \(ByteBuffer(bytes: body)), \(correlationID),
                    \(traceparent ?? (TraceContext.current ?? .make()).traceparent), \(carriesSecrets))
            """,
            logger: logger
        )
    }
}

/// Records handled message ids in the handler's own transaction: a redelivered message
/// finds its id there and has no second effect.
public enum Inbox {
    /// Claims the ids not seen before and returns them; the others were already handled.
    public static func claim(
        _ messages: [(id: String, type: String)], on connection: PostgresConnection, logger: Logger
    ) async throws -> Set<String> {
        guard !messages.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            INSERT INTO inbox (message_id, message_type)
            SELECT * FROM unnest(\(messages.map(\.id))::text[], \(messages.map(\.type))::text[])
            ON CONFLICT (message_id) DO NOTHING
            RETURNING message_id
            """,
            logger: logger
        )
        var claimed = Set<String>()
        for try await id in rows.decode(String.self) { claimed.insert(id) }
        return claimed
    }
}
