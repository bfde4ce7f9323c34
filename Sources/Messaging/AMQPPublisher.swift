public import Logging
import Metrics
import NIOConcurrencyHelpers
public import ServiceLifecycle

/// Publishes messages with publisher confirms and `mandatory`, over a connection of its own.
///
/// `publish` returns once the broker has confirmed the message (it is then safe in a
/// durable queue), and throws when the broker refused it, returned it as unroutable, or
/// the connection is down; many publishes may be in flight at once (a confirm window).
public final class AMQPPublisher: Service, Sendable {
    private let loop: ConnectionLoop<ChannelSession>
    /// Published and failed counters per exchange, made once: `publish` is a hot path.
    private let counters = NIOLockedValueBox<[String: (published: Counter, failed: Counter)]>([:])

    public init(
        settings: AMQPSettings,
        name: String = "publisher",
        declarations: [TopologyElement] = [],
        confirmWindow: Int = 1024,
        confirmTimeout: Duration = .seconds(15),
        logger: Logger
    ) {
        let options = ChannelOptions(
            declarations: declarations, confirms: true, confirmWindow: confirmWindow, confirmTimeout: confirmTimeout
        )
        loop = ConnectionLoop(settings: settings, name: name, logger: logger) {
            ChannelSession(options: options, deliverySink: { _ in })
        }
    }

    /// Runs until graceful shutdown; throws when the broker can never be reached as configured (an unusable TLS file).
    public func run() async throws {
        try await loop.runUntilShutdown()
    }

    /// Whether the publisher currently holds a connection (for `/readyz`).
    public var isConnected: Bool { loop.currentPhase == .connected }

    /// Starts the connection without a service group (tools and tests) and waits for it.
    public func connect() async {
        loop.start()
        await loop.waitUntilConnected()
    }

    /// Closes the connection after the queued work (tools and tests).
    public func close() async {
        await loop.stop()
    }

    /// Publishes one message and waits for the broker's confirm. A cancelled caller returns
    /// at once with `.cancelled` (the message is not sent if it had not left yet).
    /// A message without a `traceparent` gets the current trace context, if there is one.
    public func publish(_ message: OutgoingMessage) async throws(AMQPError) {
        var message = message
        if message.headers[EnvelopeHeader.traceparent] == nil, let trace = TraceContext.current {
            message.headers[EnvelopeHeader.traceparent] = .string(trace.traceparent)
        }
        let counters = counters(for: message.exchange)
        do {
            try await confirmedPublish(message)
            counters.published.increment()
        } catch {
            counters.failed.increment()
            throw error
        }
    }

    private func counters(for exchange: String) -> (published: Counter, failed: Counter) {
        counters.withLockedValue { counters in
            if let existing = counters[exchange] { return existing }
            let made = (
                published: Counter(label: "dialogue_messages_published_total", dimensions: [("exchange", exchange)]),
                failed: Counter(label: "dialogue_messages_publish_failures_total", dimensions: [("exchange", exchange)])
            )
            counters[exchange] = made
            return made
        }
    }

    private func confirmedPublish(_ message: OutgoingMessage) async throws(AMQPError) {
        try await loop.publishConfirmed(message)
    }
}
