public import Foundation

/// A header value as AMQP tables carry it; the platform needs only these three kinds.
public enum HeaderValue: Sendable, Hashable {
    case string(String)
    case int(Int64)
    case bool(Bool)

    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    public var intValue: Int64? {
        if case .int(let value) = self { value } else { nil }
    }
}

/// Headers of the envelope every message carries besides the AMQP properties.
public enum EnvelopeHeader {
    public static let schemaVersion = "schema-version"
    /// The W3C trace context of the work that sent the message (see `TraceContext`).
    public static let traceparent = "traceparent"
}

/// A message to publish: routing, the AMQP properties of the platform's envelope, and the body.
public struct OutgoingMessage: Sendable {
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var messageID: String
    public var type: String
    public var timestamp: Date
    public var correlationID: String?
    public var replyTo: String?
    /// Per-message time to live in milliseconds (RPC requests die with their deadline).
    public var expirationMilliseconds: Int?
    public var contentType: String
    public var headers: [String: HeaderValue]
    public var persistent: Bool
    /// Ask the broker to return the message when no queue is bound for it.
    public var mandatory: Bool

    public init(
        exchange: String,
        routingKey: String,
        body: [UInt8],
        messageID: String = UUID().uuidString.lowercased(),
        type: String,
        timestamp: Date = Date(),
        correlationID: String? = nil,
        replyTo: String? = nil,
        expirationMilliseconds: Int? = nil,
        contentType: String = "application/json",
        headers: [String: HeaderValue] = [:],
        persistent: Bool = true,
        mandatory: Bool = true
    ) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.messageID = messageID
        self.type = type
        self.timestamp = timestamp
        self.correlationID = correlationID
        self.replyTo = replyTo
        self.expirationMilliseconds = expirationMilliseconds
        self.contentType = contentType
        self.headers = headers
        self.persistent = persistent
        self.mandatory = mandatory
    }
}

/// A message as the broker handed it over.
public struct IncomingMessage: Sendable {
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var messageID: String?
    public var type: String?
    public var timestamp: Date?
    public var correlationID: String?
    public var replyTo: String?
    public var contentType: String?
    public var headers: [String: HeaderValue]
    /// Whether the broker delivered it before (it was nacked or its consumer died).
    public var redelivered: Bool

    /// How many times a quorum queue delivered it before (`x-delivery-count`).
    public var previousDeliveries: Int {
        headers["x-delivery-count"]?.intValue.map(Int.init) ?? 0
    }

    public init(
        exchange: String = "",
        routingKey: String = "",
        body: [UInt8],
        messageID: String? = nil,
        type: String? = nil,
        timestamp: Date? = nil,
        correlationID: String? = nil,
        replyTo: String? = nil,
        contentType: String? = nil,
        headers: [String: HeaderValue] = [:],
        redelivered: Bool = false
    ) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.messageID = messageID
        self.type = type
        self.timestamp = timestamp
        self.correlationID = correlationID
        self.replyTo = replyTo
        self.contentType = contentType
        self.headers = headers
        self.redelivered = redelivered
    }

    /// The same message, ready to publish again (to a dead-letter queue or back from one).
    public func republished(exchange: String, routingKey: String, extraHeaders: [String: HeaderValue] = [:]) -> OutgoingMessage {
        OutgoingMessage(
            exchange: exchange,
            routingKey: routingKey,
            body: body,
            messageID: messageID ?? UUID().uuidString.lowercased(),
            type: type ?? "unknown",
            timestamp: timestamp ?? Date(),
            correlationID: correlationID,
            replyTo: replyTo,
            contentType: contentType ?? "application/json",
            headers: headers.filter { !$0.key.hasPrefix("x-") }.merging(extraHeaders) { _, new in new }
        )
    }
}

/// One message handed to a consumer, with what is needed to settle it.
public struct Delivery: Sendable {
    public var message: IncomingMessage
    /// The broker's tag, valid only on the connection that delivered it.
    let tag: UInt64
    /// Which connection delivered it: a tag from a dead connection must not be settled.
    let connectionGeneration: Int
}
