import Hummingbird

/// A path the site serves asked with a method it does not serve there (`TRACE`, `PUT` on a
/// page, `DELETE` on an API resource…). The router answers such a request 404, as if the
/// path did not exist; HTTP wants 405 with the methods that are served (`Allow`), so a client
/// can tell a wrong method from a wrong address.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = WebContext

    let catalog: RouteCatalog

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // A handler's own 404 (an unknown petition) comes from a method the path serves: kept.
            guard let served = catalog.methods(servingPath: request.uri.path), !served.contains(request.method) else { throw error }
            throw MethodNotAllowed(served: served)
        }
    }
}

/// Answered 405 with `Allow` by the error presentation, as JSON under `/api`, as a page elsewhere.
struct MethodNotAllowed: Error, Sendable {
    let served: Set<HTTPRequest.Method>

    /// The `Allow` header's value, in a stable order.
    var allow: String {
        served.map(\.rawValue).sorted().joined(separator: ", ")
    }
}
