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
                return (failure.code.rpcStatus, (try? MessageCoding.encode(failure)) ?? [])
            } catch let error as EnvelopeError {
                return Self.reply(RequestFailure(code: .invalid, message: error.description))
            } catch {
                logger.error("request failed", metadata: ["type": .string(Request.messageType), "error": .string(String(reflecting: error))])
                return Self.reply(RequestFailure(code: .internal, message: "internal error"))
            }
        }
    }

    public func respond(to request: IncomingMessage) async -> (status: RPCStatus, body: [UInt8]) {
        guard let route = request.type.flatMap({ routes[$0] }) else {
            return Self.reply(RequestFailure(code: .invalid, message: "unknown request type \(request.type ?? "-")"))
        }
        return await route(request)
    }

    private static func reply(_ failure: RequestFailure) -> (RPCStatus, [UInt8]) {
        (failure.code.rpcStatus, (try? MessageCoding.encode(failure)) ?? [])
    }
}

extension RequestFailure.Code {
    /// The reply's status header, for what reads replies without their body (metrics, logs).
    public var rpcStatus: RPCStatus {
        switch self {
        case .invalid: .invalid
        case .notFound: .notFound
        case .conflict: .conflict
        case .internal: .failed
        }
    }
}
