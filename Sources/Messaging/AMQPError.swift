/// Everything that can go wrong between this process and the broker.
public enum AMQPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `AMQP_URL` could not be understood.
    case invalidSettings(String)
    /// No connection to the broker right now; the caller may retry later.
    case notConnected
    /// The connection was lost while the operation was in flight; its outcome is unknown.
    case connectionLost(String)
    /// A rabbitmq-c library call failed.
    case library(operation: String, message: String)
    /// The broker closed the channel or connection (e.g. a declaration that conflicts).
    case brokerClosed(code: Int, text: String)
    /// The broker refused the message (`basic.nack`).
    case rejectedByBroker
    /// No queue is bound for the message (`mandatory` returned it).
    case unroutable(exchange: String, routingKey: String)
    /// The broker did not confirm in time.
    case confirmTimeout
    /// An RPC got no reply before its deadline.
    case rpcDeadlineExceeded(type: String)
    /// The component is shutting down and takes no more work.
    case shuttingDown
    /// The TLS files of `AMQP_URL` cannot be used (missing, unreadable, not PEM): retrying
    /// cannot help, so a connection gives up and the service stops at start-up.
    case tlsConfiguration(String)
    /// The caller stopped waiting (its task was cancelled); the message may still reach the broker.
    case cancelled

    public var description: String {
        switch self {
        case .invalidSettings(let text): "invalid AMQP settings: \(text)"
        case .notConnected: "not connected to the broker"
        case .connectionLost(let reason): "connection to the broker lost: \(reason)"
        case .library(let operation, let message): "\(operation) failed: \(message)"
        case .brokerClosed(let code, let text): "broker closed the channel: \(code) \(text)"
        case .rejectedByBroker: "the broker refused the message"
        case .unroutable(let exchange, let key): "no queue bound for \(exchange) / \(key)"
        case .confirmTimeout: "the broker did not confirm in time"
        case .rpcDeadlineExceeded(let type): "no reply to \(type) before the deadline"
        case .shuttingDown: "shutting down"
        case .tlsConfiguration(let text): "invalid AMQP TLS configuration: \(text)"
        case .cancelled: "cancelled while waiting for the broker"
        }
    }

    /// Whether retrying the same operation later may succeed.
    public var isTransient: Bool {
        switch self {
        case .notConnected, .connectionLost, .confirmTimeout, .rpcDeadlineExceeded, .library: true
        case .invalidSettings, .brokerClosed, .rejectedByBroker, .unroutable, .shuttingDown, .tlsConfiguration, .cancelled: false
        }
    }

    /// Whether the error comes from the configuration, so that only an operator can fix it.
    public var isConfigurationError: Bool {
        switch self {
        case .invalidSettings, .tlsConfiguration: true
        default: false
        }
    }
}
