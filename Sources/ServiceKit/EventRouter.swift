public import DialogueContracts
public import Logging
public import Messaging
public import PostgresNIO
import Storage

/// Routes events by type to handlers that run in a database transaction with the inbox
/// claim: a redelivered event has no second effect. A batch runs in one transaction when
/// it can, each event alone when one of them fails.
///
/// An event of a type nobody here handles, or whose body cannot be read, is dead-lettered
/// with the reason; a database failure is retried.
public struct EventRouter: MessageBatchHandler {
    typealias Route = @Sendable (IncomingMessage, _ messageID: String, PostgresConnection) async throws -> Void
    private var routes: [String: Route] = [:]
    private let client: PostgresClient
    private let logger: Logger
    /// What the router makes of an event, for the dead-letter reason of a type it lacks.
    private let produces: String

    /// - Parameter produces: what the handlers make of an event ("notification"), named in
    ///   the reason an event of an unknown type is dead-lettered with.
    public init(client: PostgresClient, logger: Logger, produces: String = "handler") {
        self.client = client
        self.logger = logger
        self.produces = produces
    }

    /// Handles `Event` with `handler`, inside the transaction that claims the message.
    public mutating func on<Event: DialogueEvent>(
        _: Event.Type, _ handler: @escaping @Sendable (Event, PostgresConnection) async throws -> Void
    ) {
        on(Event.self) { event, _, connection in try await handler(event, connection) }
    }

    /// Handles `Event` with a handler that also records the message's id.
    public mutating func on<Event: DialogueEvent>(
        _: Event.Type, _ handler: @escaping @Sendable (Event, _ messageID: String, PostgresConnection) async throws -> Void
    ) {
        routes[Event.messageType] = { message, messageID, connection in
            try await handler(try message.decode(Event.self), messageID, connection)
        }
    }

    /// An event this router can handle: its id and its route.
    private struct Routed {
        let index: Int
        let message: IncomingMessage
        let messageID: String
        let route: Route

        /// Runs the route in the event's own trace context, even inside a batch: what it
        /// writes (outbox rows) and logs belongs to the trace of the event's sender.
        func run(on connection: PostgresConnection, logger: Logger) async throws {
            try await TraceContext.$current.withValue(TraceContext(handling: message)) {
                try await route(message, messageID, connection)
                logger.debug("event handled", metadata: ["type": .string(message.type ?? "-"), "message_id": .string(messageID)])
            }
        }
    }

    /// Runs the handler of `message`'s type on `connection`, in the caller's transaction and
    /// outside any consumer: how a replay of exported events rebuilds a read model with the
    /// very handlers that keep it. False when no handler takes the type.
    public func replay(_ message: IncomingMessage, on connection: PostgresConnection) async throws -> Bool {
        guard let type = message.type, let route = routes[type] else { return false }
        try await route(message, message.messageID ?? "replay", connection)
        return true
    }

    public func handle(_ batch: [IncomingMessage], context: ConsumerContext) async -> [DeliveryOutcome] {
        var outcomes = [DeliveryOutcome](repeating: .ack, count: batch.count)
        var routed: [Routed] = []
        for (index, message) in batch.enumerated() {
            guard let messageID = message.messageID else {
                outcomes[index] = .deadLetter(reason: "message without message_id")
                continue
            }
            guard let route = message.type.flatMap({ routes[$0] }) else {
                outcomes[index] = .deadLetter(reason: "no \(produces) for message type \(message.type ?? "none")")
                continue
            }
            routed.append(Routed(index: index, message: message, messageID: messageID, route: route))
        }
        // Several events in one transaction: one commit instead of one per event, which is
        // what limits a consumer at a peak. If any of them fails, nothing of the batch is
        // kept and each is handled alone, so that each gets its own outcome.
        if routed.count > 1, await handleTogether(routed) { return outcomes }
        for event in routed {
            outcomes[event.index] = await handleAlone(event)
        }
        return outcomes
    }

    private func handleTogether(_ events: [Routed]) async -> Bool {
        do {
            try await client.transaction(logger: logger) { connection in
                let claimed = try await Inbox.claim(events.map { ($0.messageID, $0.message.type ?? "") }, on: connection, logger: logger)
                // The same message twice in a batch (a redelivery) is handled once.
                var handled: Set<String> = []
                for event in events where claimed.contains(event.messageID) && handled.insert(event.messageID).inserted {
                    try await event.run(on: connection, logger: logger)
                }
            }
            return true
        } catch {
            return false
        }
    }

    private func handleAlone(_ event: Routed) async -> DeliveryOutcome {
        do {
            try await client.transaction(logger: logger) { connection in
                let claimed = try await Inbox.claim([(event.messageID, event.message.type ?? "")], on: connection, logger: logger)
                guard !claimed.isEmpty else { return }
                try await event.run(on: connection, logger: logger)
            }
            return .ack
        } catch let error as EnvelopeError {
            return .deadLetter(reason: error.description)
        } catch {
            return .retry(reason: String(reflecting: error))
        }
    }
}
