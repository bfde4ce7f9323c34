import Foundation
import Hummingbird
import Identity
import Logging
import Messaging
import NIOCore

/// Turns every error into what the client reads: the API's JSON error format under `/api`,
/// a French page everywhere else. Unexpected errors are logged, never shown.
struct ErrorPresentationMiddleware: RouterMiddleware {
    typealias Context = WebContext

    let renderer: PageRenderer
    let logger: Logger

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            if request.uri.path.hasPrefix("/api/") {
                if let apiError = APIError(presenting: error) { throw apiError }
                logUnexpected(error, request)
                throw APIError(status: .internalServerError, code: "internal", message: "Une erreur interne est survenue.")
            }
            return page(for: error, request: request, context: context)
        }
    }

    private func page(for error: any Error, request: Request, context: WebContext) -> Response {
        switch error {
        case let denied as AccessDenied where !denied.signedIn:
            var target = request.uri.path
            if let query = request.uri.query, request.method == .get { target += "?" + query }
            let encoded = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
            return PageRenderer.redirect(to: "/connexion?retour=\(encoded)")
        case is AccessDenied:
            return errorPage(.forbidden, "Accès refusé", "Votre compte ne donne pas accès à cette page.", request, context)
        case is CSRFRejected:
            return errorPage(
                .forbidden, "Formulaire expiré",
                "Le formulaire a expiré ou ne vient pas de ce site. Revenez à la page précédente, rechargez-la et envoyez-le de nouveau. Les cookies doivent être autorisés pour ce site.",
                request, context
            )
        case let limited as RateLimitExceeded:
            let minutes = max(1, (limited.retryAfter + 59) / 60)
            var response = errorPage(
                .tooManyRequests, "Trop de tentatives",
                "Vous avez fait trop de demandes en peu de temps. Réessayez dans \(minutes) minute\(minutes > 1 ? "s" : "").",
                request, context
            )
            response.headers[.retryAfter] = String(limited.retryAfter)
            return response
        case is NIOTooManyBytesError:
            return errorPage(.contentTooLarge, "Envoi trop volumineux", "Le contenu envoyé est trop volumineux.", request, context)
        case let error as MethodNotAllowed:
            var response = errorPage(
                .methodNotAllowed, "Demande impossible", "Cette adresse ne prend pas en charge cette méthode (\(request.method.rawValue)).", request, context
            )
            response.headers[.allow] = error.allow
            return response
        case AccountError.notFound:
            return errorPage(.notFound, "Page introuvable", "Ce compte n'existe pas ou a été supprimé.", request, context)
        case let error as HTTPError where error.status == .notFound:
            return errorPage(.notFound, "Page introuvable", "La page demandée n'existe pas ou a été déplacée.", request, context)
        case let error as HTTPError where error.status.code < 500:
            return errorPage(error.status, "Demande impossible", error.body ?? "La demande n'a pas pu être traitée.", request, context)
        case let error as AMQPError where error.isTransient:
            return unavailable(request, context)
        case let error as APIError where error.status == .serviceUnavailable || error.status == .badGateway:
            return unavailable(request, context)
        case let error as APIError where error.status.code < 500:
            return errorPage(error.status, error.status == .notFound ? "Page introuvable" : "Demande impossible", error.message, request, context)
        case let error as HTTPError where error.status == .serviceUnavailable:
            return unavailable(request, context)
        default:
            logUnexpected(error, request)
            return errorPage(.internalServerError, "Erreur interne", "Une erreur est survenue de notre côté. Réessayez plus tard.", request, context)
        }
    }

    private func unavailable(_ request: Request, _ context: WebContext) -> Response {
        var response = errorPage(
            .serviceUnavailable, "Service momentanément indisponible",
            "Le service est momentanément indisponible ; rien n'a été enregistré. Réessayez dans quelques instants.", request, context
        )
        response.headers[.retryAfter] = "5"
        return response
    }

    private func errorPage(_ status: HTTPResponse.Status, _ title: String, _ message: String, _ request: Request, _ context: WebContext) -> Response {
        renderer.render(Page("error", title: title, status: status, model: ErrorPage(message: message)), for: request, context: context)
    }

    private func logUnexpected(_ error: any Error, _ request: Request) {
        logger.error("unhandled error", metadata: ["error": .string(String(reflecting: error)), "path": .string(request.uri.path)])
    }
}

/// The page of an error: its title is the page's, its message says what to do.
struct ErrorPage {
    let message: String
}
