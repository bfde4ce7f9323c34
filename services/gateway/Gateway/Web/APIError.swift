import Foundation
public import HTTPTypes
public import Hummingbird
import Identity
import Messaging
import NIOCore

/// A failure answered as `{"error": {"code", "message", "field"}}`: the one error format of the API.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    /// Seconds after which the client may try again (503, 429).
    public var retryAfter: Int?
    /// The methods served at the path (405).
    public var allow: String?

    public init(
        status: HTTPResponse.Status, code: String, message: String, field: String? = nil, retryAfter: Int? = nil, allow: String? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.retryAfter = retryAfter
        self.allow = allow
    }

    public var headers: HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if let allow { headers[.allow] = allow }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return headers
    }

    private struct Body: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
            let field: String?
        }
        let error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder().encode(Body(error: .init(code: code, message: message, field: field)))
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func invalid(_ field: String?, _ message: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_request", message: message, field: field)
    }

    static let notFound = APIError(status: .notFound, code: "not_found", message: "Ressource introuvable.")

    /// A dependency (broker, service) is away; nothing was taken, the client should retry.
    static let unavailable = APIError(
        status: .serviceUnavailable, code: "unavailable",
        message: "Le service est momentanément indisponible ; votre demande n'a pas été enregistrée. Réessayez dans quelques instants.",
        retryAfter: 5
    )
}

extension APIError {
    /// The API's answer for any error a handler may throw; nil for an unexpected one.
    init?(presenting error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case is NIOTooManyBytesError:
            self = APIError(status: .contentTooLarge, code: "body_too_large", message: "Le contenu envoyé est trop volumineux.")
        case let error as RateLimitExceeded:
            self = APIError(
                status: .tooManyRequests, code: "rate_limited",
                message: "Trop de demandes ; réessayez dans \(error.retryAfter) secondes.", retryAfter: error.retryAfter
            )
        case let error as AccessDenied:
            self = error.signedIn
                ? APIError(status: .forbidden, code: "forbidden", message: "Votre rôle ne permet pas cette opération.")
                : APIError(status: .unauthorized, code: "unauthenticated", message: "Un jeton d'accès valide est nécessaire (en-tête Authorization: Bearer).")
        case AccountError.notFound:
            self = APIError.notFound
        case let error as MethodNotAllowed:
            self = APIError(
                status: .methodNotAllowed, code: "method_not_allowed",
                message: "Méthode non prise en charge à cette adresse ; méthodes acceptées : \(error.allow).", allow: error.allow
            )
        case let error as HTTPError:
            self = APIError(
                status: error.status, code: error.status == .notFound ? "not_found" : "http_error",
                message: error.body ?? (error.status == .notFound ? "Ressource introuvable." : error.status.reasonPhrase)
            )
        case let error as AMQPError where error.isTransient:
            self = APIError.unavailable
        default:
            return nil
        }
    }
}
