import DialogueContracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import NIOCore

/// The attachment of a contribution, at a stable address (`/contributions/{id}/piece-jointe`)
/// once the contribution is published; moderators open it before (`/admin/contributions/{id}/piece-jointe`).
///
/// A file a citizen sent is served as inert data: the content type is the one its content was
/// checked as (never the browser's), `nosniff` forbids guessing another, and its own policy
/// `sandbox` puts it in an origin of its own with no script, should a browser open it as a page.
/// Images are shown `inline` (the page embeds them, and an image cannot run anything); a PDF is
/// always downloaded (`attachment`): browsers' built-in PDF viewers run a document's scripts and
/// forms, which must not happen under the site's address.
struct ContributionAttachmentPages: Sendable {
    let web: WebDependencies

    static func path(_ contributionID: UUID) -> String {
        "/contributions/\(contributionID.uuidString.lowercased())/piece-jointe"
    }

    /// Who may open an attachment before its contribution is published.
    static let moderators = Access.staff([.moderator, .administrator])

    func register(pages: SecuredRoutes, admin: SecuredRoutes) {
        pages.get("contributions/{id}/piece-jointe", .everyone) { _, context in
            Self.response(try await ServiceCall(web: web).ask(GetContributionAttachment(contributionID: try context.requiredID())))
        }
        admin.get("contributions/{id}/piece-jointe", Self.moderators) { _, context in
            Self.response(try await ServiceCall(web: web).ask(GetContributionAttachment(contributionID: try context.requiredID(), forModeration: true)))
        }
    }

    static func response(_ file: ContributionAttachmentFile) -> Response {
        let type = file.attachment.type
        var headers: HTTPFields = [
            .contentType: type.mediaType,
            .contentDisposition: contentDisposition(type.isImage ? "inline" : "attachment", filename: file.attachment.filename),
            .xContentTypeOptions: "nosniff",
            .contentSecurityPolicy: "sandbox; default-src 'none'; img-src 'self'",
            // Withdrawn or erased, it must not linger in shared caches.
            .cacheControl: "private, no-cache",
        ]
        headers[.crossOriginResourcePolicy] = "same-origin"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.content)))
    }

    /// `inline; filename="rapport_ete.pdf"; filename*=UTF-8''rapport%20%C3%A9t%C3%A9.pdf`: an
    /// ASCII name every browser reads, and the exact one (RFC 6266, RFC 8187) for those that can.
    static func contentDisposition(_ disposition: String, filename: String) -> String {
        let asciiSafe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
        let fallback = String(String.UnicodeScalarView(filename.unicodeScalars.map { asciiSafe.contains($0) ? $0 : "_" }))
        let attrChars = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~")
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: attrChars) ?? fallback
        return "\(disposition); filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }
}

extension HTTPField.Name {
    static let crossOriginResourcePolicy = HTTPField.Name("Cross-Origin-Resource-Policy")!
}
