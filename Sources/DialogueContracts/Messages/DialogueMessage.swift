import Foundation

/// A message type every service agrees on: its AMQP `type` and the version of its body.
///
/// Bodies are JSON. A new optional field keeps the version; removing or changing the
/// meaning of a field raises it, and consumers reject versions they do not know.
public protocol DialogueMessage: Codable, Sendable {
    static var messageType: String { get }
    static var schemaVersion: Int { get }
    /// Whether the body holds a live secret (the token of a mailed link). The outbox keeps
    /// such a body only until the broker has it: a published row of this type is blanked.
    static var carriesSecrets: Bool { get }
}

extension DialogueMessage {
    public static var carriesSecrets: Bool { false }
}

/// Something that happened, published on `dialogue.events` with its type as routing key.
public protocol DialogueEvent: DialogueMessage {}

/// Work for one service that needs no answer now, sent on `dialogue.commands`.
public protocol DialogueCommand: DialogueMessage {
    static var targetService: ServiceName { get }
}

/// A request that needs an answer now, sent on `dialogue.rpc`.
public protocol DialogueRequest: DialogueMessage {
    associatedtype Response: Codable & Sendable
    static var targetService: ServiceName { get }
}

/// The deployable services, by the short name their queues and schema derive from.
public enum ServiceName: String, Sendable, CaseIterable, Codable {
    case gateway
    case petitions
    case surveys
    case consultations
    case moderation
    case notifications
    case synthesis

    /// The PostgreSQL schema the service owns.
    public var schema: String {
        self == .gateway ? "identity" : rawValue
    }

    /// The PostgreSQL role the service connects as.
    public var databaseRole: String { "dialogue_\(schema)" }
}

/// The one JSON coding of message bodies.
///
/// Dates carry milliseconds: events are ordered by their dates (a contact change replaces an
/// older one only), and two changes within one second must not look simultaneous. Dates
/// written without them, by senders of an earlier version, still read.
public enum MessageCoding {
    private static let precise = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let whole = Date.ISO8601FormatStyle()

    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(precise))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    public static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? precise.parse(text) { return date }
            if let date = try? whole.parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 date: \(text)")
        }
        return try decoder.decode(type, from: Data(bytes))
    }
}

/// Why a request could not be answered, as the body of a failed RPC reply.
public struct RequestFailure: Codable, Sendable, Equatable, Error {
    /// Why a request failed: the one list of failure codes, from the service that throws
    /// one to the gateway that answers it (HTTP status, JSON code, French page).
    public enum Code: String, Codable, Sendable, CaseIterable {
        /// The request breaks a rule; `field` names the field at fault when one is.
        case invalid
        /// What the request is about does not exist (or is not shown to the asker).
        case notFound = "not_found"
        /// The request is well formed, but the state of things refuses it (a closed petition).
        case conflict
        /// The service failed; nothing the asker can change.
        case `internal`

        /// A code this version does not know (a newer service's) is read as `internal`.
        public init(from decoder: any Decoder) throws {
            self = Code(rawValue: try decoder.singleValueContainer().decode(String.self)) ?? .internal
        }
    }

    public var code: Code
    /// Human-readable explanation, in French when it may reach a citizen.
    public var message: String
    /// The request field at fault, when one is.
    public var field: String?

    public init(code: Code, message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }
}
