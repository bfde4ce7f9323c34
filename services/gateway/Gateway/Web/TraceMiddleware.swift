import HTTPTypes
import Hummingbird
import Logging
import Messaging

/// Runs each request in a trace context: a child of the request's valid W3C `traceparent`
/// header, or a new trace. Everything the request causes (commands, RPC requests, the
/// events they lead to) and every line it logs then carries the same trace id.
struct TraceMiddleware<Context: RequestContext>: RouterMiddleware {
    static var traceparent: HTTPField.Name { HTTPField.Name("traceparent")! }

    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let incoming = request.headers[Self.traceparent].flatMap(TraceContext.init(traceparent:))
        return try await TraceContext.$current.withValue(incoming?.child() ?? .make()) {
            let started = ContinuousClock.now
            let response = try await next(request, context)
            let milliseconds = Int(((ContinuousClock.now - started) / .milliseconds(1)).rounded())
            // The path only: a query may carry a single-use token.
            logger.debug("request handled", metadata: [
                "method": .string(request.method.rawValue), "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code), "duration_ms": .stringConvertible(milliseconds),
            ])
            return response
        }
    }
}
