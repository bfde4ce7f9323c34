import HTTPTypes
import Hummingbird
import Messaging

/// Runs each request in a trace context: a child of the request's valid W3C `traceparent`
/// header, or a new trace. Everything the request causes (commands, RPC requests, the
/// events they lead to) and every line it logs then carries the same trace id.
struct TraceMiddleware<Context: RequestContext>: RouterMiddleware {
    static var traceparent: HTTPField.Name { HTTPField.Name("traceparent")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let incoming = request.headers[Self.traceparent].flatMap(TraceContext.init(traceparent:))
        return try await TraceContext.$current.withValue(incoming?.child() ?? .make()) {
            try await next(request, context)
        }
    }
}
