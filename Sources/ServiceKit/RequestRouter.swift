public import DialogueContracts
public import Logging
public import Messaging

/// Routes RPC requests to typed handlers by message type.
public struct RequestRouter: RPCRequestHandler {
    private typealias Route = @Sendable (IncomingMessage) async -> (RPCStatus, [UInt8])
    private var routes: [String: Route] = [:]
    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Answers `Request` with `handler`; a thrown `RequestFailure` becomes a failed reply with its code.
    public mutating func on<Request: DialogueRequest>(
        _: Request.Type, _ handler: @escaping @Sendable (Request) async throws -> Request.Response
    ) {
        routes[Request.messageType] = { [logger] message in
            do {
                let request = try message.decode(Request.self)
                return (.ok, try MessageCoding.encode(try await handler(request)))
            } catch let failure as RequestFailure {
                return (Self.status(of: failure), (try? MessageCoding.encode(failure)) ?? [])
            } catch let error as EnvelopeError {
                return (.invalid, (try? MessageCoding.encode(RequestFailure(code: "invalid", message: error.description))) ?? [])
            } catch {
                logger.error("request failed", metadata: ["type": .string(Request.messageType), "error": .string(String(reflecting: error))])
                return (.failed, (try? MessageCoding.encode(RequestFailure(code: "internal", message: "internal error"))) ?? [])
            }
        }
    }

    public func respond(to request: IncomingMessage) async -> (status: RPCStatus, body: [UInt8]) {
        guard let route = request.type.flatMap({ routes[$0] }) else {
            let failure = RequestFailure(code: "invalid", message: "unknown request type \(request.type ?? "-")")
            return (.invalid, (try? MessageCoding.encode(failure)) ?? [])
        }
        return await route(request)
    }

    private static func status(of failure: RequestFailure) -> RPCStatus {
        switch failure.code {
        case "not_found": .notFound
        case "invalid": .invalid
        case "conflict": .conflict
        default: .failed
        }
    }
}
