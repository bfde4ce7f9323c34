import HTTPTypes
import Hummingbird

/// Adds the security headers to every response, error responses included.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Whether the site is served over HTTPS (then browsers are told to keep to it).
    let https: Bool

    /// No inline script or style anywhere: the site works without JavaScript and its CSS is a file.
    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        // A response's own policy (a served file's `sandbox`) stays beside the site's: browsers enforce both.
        let ownPolicies = response.headers[values: .contentSecurityPolicy]
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        for policy in ownPolicies where policy != Self.contentSecurityPolicy {
            response.headers.append(HTTPField(name: .contentSecurityPolicy, value: policy))
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        // Links mailed to people carry tokens in their query: never pass a URL to another site.
        response.headers[.referrerPolicy] = "same-origin"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.permissionsPolicy] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        response.headers[.crossOriginOpenerPolicy] = "same-origin"
        if https {
            response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains"
        }
        return response
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let permissionsPolicy = HTTPField.Name("Permissions-Policy")!
    static let crossOriginOpenerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!
    static let strictTransportSecurity = HTTPField.Name("Strict-Transport-Security")!
}
