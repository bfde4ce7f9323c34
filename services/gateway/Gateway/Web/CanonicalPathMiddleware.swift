import Foundation
import Hummingbird
import NIOCore

/// The path of a request as the router sees it. The router skips empty segments, so
/// `//api/v1/me` reaches the handler of `/api/v1/me`; every decision taken on the path
/// before routing (is this the API, a static file) must therefore be taken on the same
/// segments, and a path the router would read differently from its text is not served.
struct RequestPath: Sendable, Equatable {
    /// The segments the router matches, in order.
    let segments: [Substring]

    init(_ path: String) {
        segments = path.split(separator: "/", omittingEmptySubsequences: true)
    }

    /// Served by the JSON API (`/api/…`), which never reads cookies.
    var isAPI: Bool { segments.first == "api" }

    /// The one spelling of this path: no empty segment, no `.` or `..` (also percent-encoded),
    /// no trailing slash. `..` climbs as a browser would, never above the root.
    var canonical: String {
        var kept: [Substring] = []
        for segment in segments {
            switch segment.removingPercentEncoding {
            case ".": continue
            case "..": _ = kept.popLast()
            default: kept.append(segment)
            }
        }
        return "/" + kept.joined(separator: "/")
    }
}

/// Refuses paths that are not in canonical form, before anything reads them: a GET or HEAD
/// is redirected (308) to the canonical path, any other method is answered 400, so that no
/// request reaches a handler under a spelling that another part of the gateway reads differently.
struct CanonicalPathMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let canonical = RequestPath(path).canonical
        guard path != canonical else { return try await next(request, context) }
        guard request.method == .get || request.method == .head else {
            return Response(
                status: .badRequest, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: .init(string: "Adresse non canonique : utilisez \(canonical)\n"))
            )
        }
        let location = request.uri.query.map { "\(canonical)?\($0)" } ?? canonical
        return Response(status: .permanentRedirect, headers: [.location: location])
    }
}
