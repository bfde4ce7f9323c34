import Foundation
public import HTTPTypes
public import Hummingbird
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

    public init(status: HTTPResponse.Status, code: String, message: String, field: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.retryAfter = retryAfter
    }

    public var headers: HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
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

/// Turns every error into the API's JSON error format and logs the unexpected ones.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch is NIOTooManyBytesError {
            throw APIError(status: .contentTooLarge, code: "body_too_large", message: "Le contenu envoyé est trop volumineux.")
        } catch let error as HTTPError {
            throw APIError(status: error.status, code: error.status == .notFound ? "not_found" : "http_error",
                           message: error.body ?? (error.status == .notFound ? "Ressource introuvable." : error.status.reasonPhrase))
        } catch let error as AMQPError where error.isTransient {
            throw APIError.unavailable
        } catch {
            logger.error("unhandled error", metadata: ["error": .string(String(reflecting: error)), "path": .string(request.uri.path)])
            throw APIError(status: .internalServerError, code: "internal", message: "Une erreur interne est survenue.")
        }
    }
}

import Logging
