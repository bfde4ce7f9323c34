import Foundation

/// One-off broker operations for tools and tests: declare, count, delete, inspect and
/// replay dead letters. Each call opens a short-lived connection on a thread of its own.
public enum BrokerAdmin {
    /// Declares the elements once; a conflicting declaration throws instead of retrying.
    public static func declare(_ elements: [TopologyElement], settings: AMQPSettings) async throws {
        try await onConnection(settings) { connection throws(AMQPError) in
            let session = ChannelSession(options: ChannelOptions(declarations: elements, confirms: false), deliverySink: { _ in })
            try session.connected(connection, generation: 1)
        }
    }

    /// Messages ready in a queue.
    public static func messageCount(queue: String, settings: AMQPSettings) async throws -> Int {
        try await onConnection(settings) { connection throws(AMQPError) in try connection.messageCount(queue: queue) }
    }

    public static func deleteQueues(_ queues: [String], exchanges: [String] = [], settings: AMQPSettings) async throws {
        try await onConnection(settings) { connection throws(AMQPError) in
            for queue in queues { try connection.deleteQueue(queue) }
            for exchange in exchanges { try connection.deleteExchange(exchange) }
        }
    }

    /// Reads up to `limit` messages of a queue and leaves them there (the connection closes
    /// without acknowledging them).
    public static func peek(queue: String, limit: Int, settings: AMQPSettings) async throws -> [IncomingMessage] {
        try await onConnection(settings) { connection throws(AMQPError) in
            try read(queue: queue, limit: limit, from: connection).map(\.message)
        }
    }

    /// Moves up to `limit` messages of a dead-letter queue back to `target`, each acked only
    /// after the broker confirmed its copy. Returns how many moved.
    public static func replay(from deadQueue: String, to target: String, limit: Int, settings: AMQPSettings) async throws -> Int {
        try await onConnection(settings) { connection throws(AMQPError) in
            try connection.enablePublisherConfirms()
            let deliveries = try read(queue: deadQueue, limit: limit, from: connection)
            var confirmed = 0
            for delivery in deliveries {
                var copy = delivery.message.republished(exchange: "", routingKey: target)
                copy.headers["dialogue-replayed-from"] = .string(deadQueue)
                try connection.publish(copy)
            }
            while confirmed < deliveries.count {
                switch try connection.nextFrame(timeout: .seconds(10)) {
                case .timedOut: throw AMQPError.confirmTimeout
                case .event(.confirmed(let tag, let multiple)): confirmed = multiple ? Int(tag) : confirmed + 1
                case .event(.refused): throw AMQPError.rejectedByBroker
                case .event(.returned): throw AMQPError.unroutable(exchange: "", routingKey: target)
                case .event, .ignored: continue
                }
            }
            for delivery in deliveries { try connection.ack(delivery.tag) }
            return deliveries.count
        }
    }

    private static func read(queue: String, limit: Int, from connection: RabbitMQConnection) throws(AMQPError) -> [Delivery] {
        guard limit > 0 else { return [] }
        try connection.setPrefetch(limit)
        try connection.consume(queue: queue, noAck: false)
        var deliveries: [Delivery] = []
        // The broker sends what it has at once; a quiet second means the queue is drained.
        reading: while deliveries.count < limit {
            switch try connection.nextFrame(timeout: .seconds(1)) {
            case .timedOut: break reading
            case .event(.delivered(let tag, let message)): deliveries.append(Delivery(message: message, tag: tag, connectionGeneration: 1))
            case .event, .ignored: continue
            }
        }
        return deliveries
    }

    /// Runs `body` with a fresh connection on a dedicated thread (rabbitmq-c blocks).
    private static func onConnection<Result: Sendable>(
        _ settings: AMQPSettings, _ body: @escaping @Sendable (RabbitMQConnection) throws(AMQPError) -> Result
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                // The first node of a cluster that accepts the connection.
                var refusal: any Error = AMQPError.notConnected
                for broker in settings.brokers {
                    let connection: RabbitMQConnection
                    do {
                        connection = try RabbitMQConnection(settings: settings.on(broker), connectionName: "admin")
                    } catch {
                        refusal = error
                        continue
                    }
                    do {
                        continuation.resume(returning: try body(connection))
                    } catch {
                        continuation.resume(throwing: error)
                    }
                    return
                }
                continuation.resume(throwing: refusal)
            }
            thread.name = "amqp-admin"
            thread.start()
        }
    }
}
