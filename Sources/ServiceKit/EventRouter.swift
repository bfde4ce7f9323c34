public import DialogueContracts
public import Logging
public import Messaging
public import PostgresNIO
import Storage

/// Routes events by type to handlers that each run in one database transaction with the
/// inbox claim: a redelivered event has no second effect.
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

    public func handle(_ batch: [IncomingMessage], context: ConsumerContext) async -> [DeliveryOutcome] {
        var outcomes: [DeliveryOutcome] = []
        for message in batch {
            outcomes.append(await handle(message))
        }
        return outcomes
    }

    private func handle(_ message: IncomingMessage) async -> DeliveryOutcome {
        guard let messageID = message.messageID else { return .deadLetter(reason: "message without message_id") }
        guard let route = message.type.flatMap({ routes[$0] }) else {
            return .deadLetter(reason: "no \(produces) for message type \(message.type ?? "none")")
        }
        do {
            try await client.transaction(logger: logger) { connection in
                let claimed = try await Inbox.claim([(messageID, message.type ?? "")], on: connection, logger: logger)
                guard !claimed.isEmpty else { return }
                try await route(message, messageID, connection)
            }
            return .ack
        } catch let error as EnvelopeError {
            return .deadLetter(reason: error.description)
        } catch {
            return .retry(reason: String(reflecting: error))
        }
    }
}
