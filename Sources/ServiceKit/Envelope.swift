public import DialogueContracts
public import Foundation
public import Messaging

/// Why a message could not be read as the type it claims.
public struct EnvelopeError: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}

extension OutgoingMessage {
    /// A command for its target service, on the commands exchange, carrying `traceparent`
    /// or else the current trace context (a new trace when there is none).
    public init<Command: DialogueCommand>(
        command: Command, topology: MessagingTopology, messageID: UUID = UUID(), correlationID: String? = nil,
        traceparent: String? = nil
    ) throws {
        var headers: [String: HeaderValue] = [EnvelopeHeader.schemaVersion: .int(Int64(Command.schemaVersion))]
        headers[EnvelopeHeader.traceparent] = .string(traceparent ?? (TraceContext.current ?? .make()).traceparent)
        self.init(
            exchange: topology.commandsExchange, routingKey: Command.targetService.rawValue,
            body: try MessageCoding.encode(command), messageID: messageID.uuidString.lowercased(),
            type: Command.messageType, correlationID: correlationID, headers: headers
        )
    }
}

extension IncomingMessage {
    /// Decodes the body as `Message`, checking the type and a schema version this code knows.
    public func decode<Message: DialogueMessage>(_: Message.Type) throws -> Message {
        guard type == Message.messageType else {
            throw EnvelopeError(description: "expected a \(Message.messageType) message, got \(type ?? "no type")")
        }
        // No header: a sender from before versions were sent, version 1. A header that is not
        // a version (a text, zero, negative) is a broken sender, not an old one.
        let header = headers[EnvelopeHeader.schemaVersion]
        guard let version = header == nil ? 1 : header?.intValue, version >= 1 else {
            throw EnvelopeError(description: "\(Message.messageType) schema version \(header.map { String("\($0)".prefix(40)) } ?? "-") is not a positive integer")
        }
        guard version <= Message.schemaVersion else {
            throw EnvelopeError(description: "\(Message.messageType) schema version \(version) is newer than this service knows (\(Message.schemaVersion))")
        }
        do {
            return try MessageCoding.decode(Message.self, from: body)
        } catch {
            throw EnvelopeError(description: "unreadable \(Message.messageType) body: \(error)")
        }
    }
}

extension RPCClient {
    /// Sends a typed request and decodes the typed answer; a failed answer throws `RequestFailure`.
    public func request<Request: DialogueRequest>(_ request: Request, timeout: Duration = .seconds(5)) async throws -> Request.Response {
        let reply = try await call(
            service: Request.targetService.rawValue, type: Request.messageType, body: try MessageCoding.encode(request),
            timeout: timeout,
            // `call` adds the current trace context.
            headers: [EnvelopeHeader.schemaVersion: .int(Int64(Request.schemaVersion))]
        )
        let status = reply.headers[RPCHeader.status]?.stringValue.flatMap(RPCStatus.init(rawValue:)) ?? .failed
        guard status == .ok else {
            // The body carries the code; the status alone would be a second mapping of it.
            throw (try? MessageCoding.decode(RequestFailure.self, from: reply.body))
                ?? RequestFailure(code: .internal, message: "the service failed to answer (\(status.rawValue))")
        }
        return try MessageCoding.decode(Request.Response.self, from: reply.body)
    }
}
