import Foundation
import Hummingbird
import Identity
import Logging

/// The names and attributes of the gateway's cookies.
public struct CookiePolicy: Sendable {
    /// `Secure` cookies (and the `__Host-` prefix, which pins them to this host and path `/`).
    public let secure: Bool
    public let sessionMaxAge: Duration

    var sessionName: String { secure ? "__Host-dialogue_session" : "dialogue_session" }
    var csrfName: String { secure ? "__Host-dialogue_csrf" : "dialogue_csrf" }

    func sessionCookie(_ token: String) -> Cookie {
        Cookie(name: sessionName, value: token, maxAge: Int(sessionMaxAge.components.seconds), path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func expiredSessionCookie() -> Cookie {
        Cookie(name: sessionName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func csrfCookie(_ seed: String) -> Cookie {
        Cookie(name: csrfName, value: seed, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

/// Finds who is asking: the client's address (through trusted proxies), and the account of
/// the session cookie (pages) or of the bearer token (API). Gives anonymous visitors the
/// cookie their CSRF tokens derive from.
struct VisitorMiddleware: RouterMiddleware {
    typealias Context = WebContext

    let sessions: SessionStore
    let apiTokens: APITokenStore
    let cookies: CookiePolicy
    let proxies: TrustedProxies
    let logger: Logger

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        context.clientAddress = proxies.clientAddress(peer: context.remoteAddress, headers: request.headers)
        let path = request.uri.path
        if path.hasPrefix("/static/") {
            return try await next(request, context)
        }
        if RequestPath(path).isAPI {
            // The API is authenticated by bearer token only: a browser's cookies never act on it.
            // Decided on the segments the router matches, so no spelling of an API path gets cookies.
            if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
                let token = String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
                context.visitor.account = try await lookUp { try await apiTokens.account(for: token) }
            }
            return try await next(request, context)
        }

        var clearSession = false
        if let token = request.cookies[cookies.sessionName]?.value, !token.isEmpty {
            if let account = try await lookUp({ try await sessions.account(for: token) }) {
                context.visitor.account = account
                context.visitor.sessionToken = token
            } else {
                clearSession = true
            }
        }
        var newSeed: String?
        if let seed = request.cookies[cookies.csrfName]?.value, !seed.isEmpty {
            context.visitor.csrfSeed = seed
        } else {
            newSeed = SecretToken.generate()
            context.visitor.csrfSeed = newSeed
        }
        var response = try await next(request, context)
        if clearSession, response.headers[.setCookie] == nil {
            response.setCookie(cookies.expiredSessionCookie())
        }
        if let newSeed {
            response.setCookie(cookies.csrfCookie(newSeed))
        }
        return response
    }

    private func lookUp(_ body: () async throws -> Account?) async throws -> Account? {
        do {
            return try await body()
        } catch {
            logger.error("could not read sessions", metadata: ["error": .string(String(reflecting: error))])
            throw HTTPError(.serviceUnavailable, message: "Service momentanément indisponible.")
        }
    }
}

/// A form without a valid CSRF token (sent from another site, or from a page too old).
struct CSRFRejected: Error {}

/// Reads the body of every form sent to a page and checks its CSRF token before any handler runs.
/// Pages take urlencoded forms up to `bodyLimit`; the routes that take a file (`uploads`) take
/// `multipart/form-data` too, read by `MultipartReader`, and their urlencoded forms keep the
/// same limit as everywhere else.
struct FormMiddleware: RouterMiddleware {
    typealias Context = WebContext

    let csrfKey: CSRFKey
    let bodyLimit: Int
    /// The multipart reader's limits on the routes that take a file; nil elsewhere.
    var uploads: MultipartLimits?

    /// The largest body read on a route taking a file: the form's fields and twice the largest
    /// file, so that a file somewhat too large still reaches the reader and the form says so
    /// next to its field; beyond that the body is refused whole (413).
    var bodyLimitWithFiles: Int? { uploads.map { bodyLimit + 2 * $0.fileBytes } }

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        var request = request
        // Every route taking a file is for signed-in people: nobody else gets a gateway to buffer
        // megabytes before the route refuses them.
        let limit = context.visitor.account == nil ? bodyLimit : bodyLimitWithFiles ?? bodyLimit
        let body = try await request.collectBody(upTo: limit)
        let sentType = request.headers[.contentType] ?? ""
        var context = context
        if sentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            guard body.readableBytes <= bodyLimit else { throw HTTPError(.contentTooLarge, message: "Le formulaire envoyé est trop long.") }
            context.form = FormFields(urlEncoded: String(buffer: body))
        } else if let uploads, let boundary = MultipartReader.boundary(ofContentType: sentType) {
            do throws(MultipartRefusal) {
                context.form = try MultipartReader.read(Array(body.readableBytesView), boundary: boundary, limits: uploads)
            } catch {
                throw HTTPError(error.reason == .malformed ? .badRequest : .contentTooLarge, message: error.message)
            }
        } else {
            throw HTTPError(.unsupportedMediaType, message: "Ce formulaire doit être envoyé par le navigateur.")
        }
        // No browser sends a NUL from a form; a forged one must not reach PostgreSQL.
        guard !context.form.holdsNullCharacter else { throw HTTPError(.badRequest, message: NullCharacters.message) }
        guard csrfKey.isValid(context.form.raw("_csrf"), for: context.visitor) else { throw CSRFRejected() }
        return try await next(request, context)
    }
}
