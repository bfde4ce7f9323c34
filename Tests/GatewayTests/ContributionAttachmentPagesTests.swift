import DialogueContracts
import Foundation
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import NIOCore
import PostgresNIO
import Testing
import TestSupport

/// Attachments on the contribution form: sent as `multipart/form-data` (CSRF checked as for
/// any form), checked by content (a forged PDF comes back with a French message next to the
/// field and nothing stored), served only once published, with a safe type, `nosniff`, a
/// sandbox policy and a clean name; other forms keep their urlencoded body and its limit.
@Suite struct ContributionAttachmentPagesTests {
    static let png = [UInt8]([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + [UInt8](repeating: 0x42, count: 200)
    static let pdf = Array("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
    static let boundary = "----DialogueTestBoundary\(UUID().uuidString.prefix(8))"

    struct FilePart {
        let field: String
        let filename: String
        let contentType: String
        let content: [UInt8]
    }

    /// A multipart body as a browser writes it.
    static func multipart(_ fields: [(String, String)], files: [FilePart]) -> ByteBuffer {
        var bytes: [UInt8] = []
        for (name, value) in fields {
            bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\n".utf8)
            bytes += Array("Content-Type: \(file.contentType)\r\n\r\n".utf8) + file.content + Array("\r\n".utf8)
        }
        bytes += Array("--\(boundary)--\r\n".utf8)
        return ByteBuffer(bytes: bytes)
    }

    static func send(_ web: WebSession, _ path: String, _ fields: [(String, String)], files: [FilePart], csrf: Bool = true) async throws -> TestResponse {
        let token = csrf ? [("_csrf", try await web.csrfToken(from: path))] : []
        return try await web.request(
            path, method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: multipart(token + fields, files: files)
        )
    }

    static func testimony(_ title: String) -> [(String, String)] {
        [
            ("kind", "testimony"), ("theme", ConsultationTheme.code(for: "Emploi associatif")), ("title", title),
            ("text", "Chaque année je remplis les mêmes pièces pour la même subvention."),
        ]
    }

    static func publish(_ id: UUID, _ stack: GatewayStack, _ probe: Probe) async throws {
        try await publishEvent(
            ModerationDecisionMade(
                itemID: UUID(), contentType: .testimony, contentID: id, ownerService: .consultations, status: .published, visible: true,
                reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: UUID(), rule: nil, decidedAt: Date(), revision: 5
            ),
            topology: stack.topology
        )
        try await eventually("the contribution shown") {
            try await probe.int("SELECT count(*)::int8 FROM consultations.contributions WHERE id = \(id) AND visible") == 1
        }
    }

    @Test func aForgedFileComesBackWithItsMessageAndNothingIsStored() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let consultation = try await ConsultationPagesTests.create(stack)
            let path = "/consultations/\(consultation.id.uuidString.lowercased())/contribuer"
            let web = try await ConsultationPagesTests.session(stack, client, try await stack.makeCitizen(displayName: "Claire"))

            let form = try await web.get(path + "?type=temoignage")
            let html = FilePart(field: "attachment", filename: "rapport.pdf", contentType: "application/pdf", content: Array("<html><script>alert(1)</script>".utf8))
            let forged = try await Self.send(web, path, Self.testimony("Un rapport qui n'en est pas un"), files: [html])
            let undescribed = try await Self.send(
                web, path, Self.testimony("Une photo sans description"),
                files: [FilePart(field: "attachment", filename: "photo.png", contentType: "image/png", content: Self.png)]
            )
            let withoutToken = try await Self.send(web, path, Self.testimony("Sans jeton"), files: [], csrf: false)

            #expect(form.text.contains("enctype=\"multipart/form-data\""))
            #expect(form.text.contains("name=\"attachment\" type=\"file\""))
            #expect(forged.status == .unprocessableContent)
            #expect(forged.text.contains("href=\"#attachment\""))
            #expect(forged.text.contains("id=\"attachment-error\""))
            #expect(forged.text.contains("ni une image (PNG, JPEG, WebP) ni un document PDF"))
            // What was typed is kept; the file is to be chosen again, by name.
            #expect(forged.text.contains("value=\"Un rapport qui n&#39;en est pas un\"") || forged.text.contains("value=\"Un rapport qui n'en est pas un\""))
            #expect(forged.text.contains("Votre fichier « rapport.pdf » n&#39;a pas encore été envoyé") || forged.text.contains("Votre fichier « rapport.pdf » n'a pas encore été envoyé"))
            #expect(undescribed.status == .unprocessableContent)
            #expect(undescribed.text.contains("href=\"#attachment_description\""))
            #expect(withoutToken.status == .forbidden)
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.contributions") == 0)
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.contribution_attachments") == 0)
        }
    }

    @Test func anAttachedFileIsServedSafelyOnlyOnceItsContributionIsPublished() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let consultation = try await ConsultationPagesTests.create(stack)
            let path = "/consultations/\(consultation.id.uuidString.lowercased())/contribuer"
            let web = try await ConsultationPagesTests.session(stack, client, try await stack.makeCitizen(displayName: "Claire"))
            let anonymous = WebSession(client.anonymous)

            // A PNG sent as « text/html » with a name that climbs folders: the content decides.
            let image = FilePart(field: "attachment", filename: "../../local inondé.html", contentType: "text/html", content: Self.png)
            let sent = try await Self.send(
                web, path, Self.testimony("Le local inondé") + [("attachment_description", "Le local de l'association sous l'eau")], files: [image]
            )
            #expect(sent.status == .seeOther)
            let imageText = try await probe.texts("SELECT id::text FROM consultations.contributions").first ?? nil
            let imageID = try #require(imageText.flatMap(UUID.init(uuidString:)))
            let imagePath = ContributionAttachmentPages.path(imageID)
            #expect(try await anonymous.get(imagePath).status == .notFound)
            // Moderators open it before publication; nobody else does.
            let moderator = try await ConsultationPagesTests.session(stack, client, try await stack.makeStaff([.moderator]))
            #expect(try await moderator.get("/admin" + imagePath).status == .ok)
            #expect(try await moderator.get("/admin" + imagePath).headers[.contentType] == "image/png")
            #expect(try await web.get("/admin" + imagePath).status != .ok)

            try await Self.publish(imageID, stack, probe)
            let served = try await anonymous.get(imagePath)
            #expect(served.status == .ok)
            #expect(served.headers[.contentType] == "image/png")
            #expect(Array(served.body.readableBytesView) == Self.png)
            #expect(served.header("X-Content-Type-Options") == "nosniff")
            #expect(served.headers[values: .contentSecurityPolicy].contains { $0.hasPrefix("sandbox") })
            #expect(served.headers[.contentDisposition] == "inline; filename=\"local_inond_.png\"; filename*=UTF-8''local%20inond%C3%A9.png")
            let page = try await anonymous.get(SitePath.contribution(imageID).path)
            #expect(page.text.contains("<img src=\"\(imagePath)\" alt=\"Le local de l&#39;association sous l&#39;eau\">")
                || page.text.contains("<img src=\"\(imagePath)\" alt=\"Le local de l'association sous l'eau\">"))

            // A PDF is always downloaded, never shown under the site's address.
            let pdf = FilePart(field: "attachment", filename: "compte-rendu.pdf", contentType: "application/octet-stream", content: Self.pdf)
            #expect(try await Self.send(web, path, Self.testimony("Le compte rendu de l'assemblée"), files: [pdf]).status == .seeOther)
            let pdfText = try await probe.texts("SELECT id::text FROM consultations.contributions WHERE id <> \(imageID)").first ?? nil
            let pdfID = try #require(pdfText.flatMap(UUID.init(uuidString:)))
            try await Self.publish(pdfID, stack, probe)
            let download = try await anonymous.get(ContributionAttachmentPages.path(pdfID))
            #expect(download.headers[.contentType] == "application/pdf")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"compte-rendu.pdf\"") == true)
            #expect(try await anonymous.get(SitePath.contribution(pdfID).path).text.contains("compte-rendu.pdf (document PDF, 1 ko)"))
        }
    }

    @Test func otherFormsKeepTheirUrlencodedBodyAndItsLimit() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let consultation = try await ConsultationPagesTests.create(stack)
            let path = "/consultations/\(consultation.id.uuidString.lowercased())/contribuer"
            let web = try await ConsultationPagesTests.session(stack, client, try await stack.makeCitizen(displayName: "Claire"))
            let token = try await web.csrfToken(from: path)

            // A page that takes no file refuses a multipart body.
            let multipartElsewhere = try await web.request(
                "/connexion", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(Self.boundary)"],
                body: Self.multipart([("_csrf", token), ("email", "a@b.example"), ("password", "x")], files: [])
            )
            #expect(multipartElsewhere.status == .unsupportedMediaType)
            // The contribution form still takes an urlencoded body, within the usual limit.
            let urlencoded = try await web.post(path, fields: [("_csrf", token)] + Self.testimony("Envoyé sans fichier"))
            #expect(urlencoded.status == .seeOther)
            let tooLong = try await web.post(path, fields: [("_csrf", token), ("text", String(repeating: "a", count: 70 * 1024))] + Self.testimony("Trop long"))
            #expect(tooLong.status == .contentTooLarge)
            // Without signing in, a route taking files reads no more than any form.
            let anonymous = WebSession(client.anonymous)
            let anonymousToken = try await anonymous.csrfToken()
            let anonymousFile = try await anonymous.request(
                path, method: .post, headers: [.contentType: "multipart/form-data; boundary=\(Self.boundary)"],
                body: Self.multipart(
                    [("_csrf", anonymousToken)] + Self.testimony("Anonyme"),
                    files: [FilePart(field: "attachment", filename: "a.png", contentType: "image/png", content: Self.png + [UInt8](repeating: 0, count: 100 * 1024))]
                )
            )
            #expect(anonymousFile.status == .contentTooLarge)
            // A body cut short is refused whole.
            var cut = Self.multipart([("_csrf", token)] + Self.testimony("Coupé"), files: [])
            cut.moveWriterIndex(to: cut.writerIndex - 20)
            let truncated = try await web.request(path, method: .post, headers: [.contentType: "multipart/form-data; boundary=\(Self.boundary)"], body: cut)
            #expect(truncated.status == .badRequest)
            // A NUL in a text field is refused as in an urlencoded form.
            let withNul = try await Self.send(web, path, Self.testimony("Avec un nul\u{0}"), files: [])
            #expect(withNul.status == .badRequest)
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.contributions") == 1)
        }
    }

    @Test func theOfflineImportTakesAnUploadedCSVFileAsWellAsPastedText() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let consultation = try await ConsultationPagesTests.create(stack)
            let id = consultation.id.uuidString.lowercased()
            let path = "/admin/consultations/\(id)/recueil"
            let web = try await ConsultationPagesTests.session(stack, client, try await stack.makeStaff([.staff]))
            let header = OfflineContributionPagesTests.header
            let good = [UInt8]([0xEF, 0xBB, 0xBF]) + Array(([header] + OfflineContributionPagesTests.lines).joined(separator: "\r\n").utf8)
            let latin1 = Array("type;thématique".utf8.prefix(6)) + [0xE9, 0x0A]
            func upload(_ content: [UInt8], action: String) async throws -> TestResponse {
                try await Self.send(
                    web, "\(path)/import", [("csv", ""), ("action", action)],
                    files: [FilePart(field: "fichier", filename: "recueil.csv", contentType: "text/csv", content: content)]
                )
            }

            let page = try await web.get(path)
            let notUTF8 = try await upload(latin1, action: "previsualiser")
            let preview = try await upload(good, action: "previsualiser")
            let storedAfterPreview = try await probe.int("SELECT count(*)::int8 FROM consultations.contributions")
            let stored = try await upload(good, action: "enregistrer")

            #expect(page.text.contains("enctype=\"multipart/form-data\""))
            #expect(page.text.contains("name=\"fichier\" type=\"file\""))
            #expect(notUTF8.status == .unprocessableContent)
            #expect(notUTF8.text.contains("pas encodé en UTF-8"))
            #expect(preview.status == .ok)
            #expect(preview.text.contains("Ce qui sera enregistré : 2 contributions"))
            // The file's text fills the box, so that « Enregistrer » sends what was previewed.
            #expect(preview.text.contains("Trésorière depuis dix ans;Chaque année"))
            #expect(storedAfterPreview == 0)
            #expect(stored.status == .seeOther)
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.contributions WHERE origin = 'in_person'") == 2)
        }
    }
}
