import ConsultationService
import DialogueContracts
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The image or PDF attached to a contribution: taken only when its content is what it claims
/// (nothing stored otherwise), served only once the contribution is published, sent to
/// moderation with the text, and gone when the contribution is withdrawn or its author erased.
@Suite struct ContributionAttachmentTests {
    /// A PNG's signature and a few bytes: what the check reads.
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0x42, count: 64))
    static let pdf = Data("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)

    static func submit(
        _ service: ConsultationHarness, to consultation: UUID, attachment: ContributionAttachmentUpload?, author: UUID = UUID(),
        title: String = "Trésorière depuis dix ans"
    ) async throws -> ContributionView {
        var draft = testimony()
        draft.title = title
        return try await service.rpc.request(SubmitContribution(
            consultationID: consultation, draft: draft, authorAccountID: author, authorName: "Claire", attachment: attachment
        ))
    }

    @Test func theTypeIsReadFromTheContentNeverFromTheName() {
        #expect(AttachmentType.detect(in: Self.png) == .png)
        #expect(AttachmentType.detect(in: Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10])) == .jpeg)
        #expect(AttachmentType.detect(in: Data("RIFF\u{24}\0\0\0WEBPVP8 ".utf8)) == .webp)
        #expect(AttachmentType.detect(in: Self.pdf) == .pdf)
        // HTML or script named .pdf, SVG (which may hold a script), a PDF header on a text without its end.
        #expect(AttachmentType.detect(in: Data("<html><script>alert(1)</script></html>".utf8)) == nil)
        #expect(AttachmentType.detect(in: Data("<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>".utf8)) == nil)
        #expect(AttachmentType.detect(in: Data("%PDF-1.4 <script>alert(1)</script>".utf8)) == nil)
        #expect(AttachmentType.detect(in: Data("RIFF\0\0\0\0AVI LIST".utf8)) == nil)
        #expect(AttachmentType.detect(in: Data()) == nil)

        let forged = ContributionAttachmentUpload(filename: "rapport.pdf", description: nil, content: Data("<html><script>x</script>".utf8))
        #expect(forged.problems.map(\.field) == ["attachment"])
        let undescribedImage = ContributionAttachmentUpload(filename: "photo.png", description: "  ", content: Self.png)
        #expect(undescribedImage.problems.map(\.field) == ["attachment_description"])
        #expect(ContributionAttachmentUpload(filename: "scan.pdf", description: nil, content: Self.pdf).problems.isEmpty)
        let tooLarge = ContributionAttachmentUpload(
            filename: "gros.pdf", description: nil, content: Self.pdf + Data(count: ContributionAttachmentUpload.maximumBytes)
        )
        #expect(tooLarge.problems.first?.message.contains("5 Mo") == true)
        // Served under the checked type's extension, whatever the name sent.
        #expect(ContributionAttachmentUpload(filename: "photo.html", description: "Une photo", content: Self.png).servedFilename == "photo.png")
        #expect(ContributionAttachmentUpload(filename: nil, description: nil, content: Self.pdf).servedFilename == "piece-jointe.pdf")
    }

    @Test func aForgedFileIsRefusedAndNothingIsStored() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let consultation = try await service.create(sampleConsultation())
            let forged = ContributionAttachmentUpload(
                filename: "rapport.pdf", description: nil, content: Data("<!doctype html><script>document.cookie</script>".utf8)
            )
            let refused = await refusal { try await Self.submit(service, to: consultation.id, attachment: forged) }
            #expect(refused?.code == .invalid)
            #expect(refused?.field == "attachment")
            #expect(refused?.message.contains("ni une image") == true)
            let undescribed = ContributionAttachmentUpload(filename: "photo.png", description: nil, content: Self.png)
            #expect(await refusal { try await Self.submit(service, to: consultation.id, attachment: undescribed) }?.field == "attachment_description")
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.contributions") == 0)
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.contribution_attachments") == 0)
            #expect(try await service.outbox("testimony.submitted").isEmpty)
        }
    }

    @Test func anAttachmentIsServedOnlyOnceItsContributionIsPublished() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let consultation = try await service.create(sampleConsultation(moderation: .beforePublication))
            let upload = ContributionAttachmentUpload(filename: "notre local.png", description: "Le local de l'association, inondé", content: Self.png)
            let contribution = try await Self.submit(service, to: consultation.id, attachment: upload)
            #expect(contribution.attachment == ContributionAttachment(
                type: .png, filename: "notre local.png", description: "Le local de l'association, inondé", byteCount: Self.png.count
            ))
            // Moderation reads that there is one, and where staff open it.
            let submitted = try #require(try await service.outbox("testimony.submitted").first)
            #expect(submitted.contains("Pièce jointe (image PNG, notre local.png)"))
            #expect(submitted.contains("/admin/contributions/\(contribution.id.uuidString.lowercased())/piece-jointe"))

            let before = await refusal { try await service.rpc.request(GetContributionAttachment(contributionID: contribution.id)) }
            #expect(before?.code == .notFound)
            let forModeration = try await service.rpc.request(GetContributionAttachment(contributionID: contribution.id, forModeration: true))
            #expect(forModeration.content == Self.png)

            try await service.publish(contribution)
            let served = try await service.rpc.request(GetContributionAttachment(contributionID: contribution.id))
            #expect(served.content == Self.png)
            #expect(served.attachment.type == .png)
            let listed = try await service.rpc.request(ListContributions(consultationID: consultation.id))
            #expect(listed.items.first?.attachment?.filename == "notre local.png")
            #expect(try await service.rpc.request(GetContribution(contributionID: contribution.id)).attachment?.byteCount == Self.png.count)

            let without = try await Self.submit(service, to: consultation.id, attachment: nil, title: "Sans pièce jointe")
            try await service.publish(without)
            #expect(await refusal { try await service.rpc.request(GetContributionAttachment(contributionID: without.id)) }?.code == .notFound)
            #expect(try await service.rpc.request(GetContribution(contributionID: without.id)).attachment == nil)
        }
    }

    @Test func withdrawingAContributionOrErasingItsAuthorRemovesTheFile() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let consultation = try await service.create(sampleConsultation())
            let (withdrawer, erased, other) = (UUID(), UUID(), UUID())
            let pdf = ContributionAttachmentUpload(filename: "compte-rendu.pdf", description: nil, content: Self.pdf)
            let withdrawn = try await Self.submit(service, to: consultation.id, attachment: pdf, author: withdrawer, title: "Premier témoignage")
            let erasedOne = try await Self.submit(service, to: consultation.id, attachment: pdf, author: erased, title: "Deuxième témoignage")
            let kept = try await Self.submit(service, to: consultation.id, attachment: pdf, author: other, title: "Troisième témoignage")
            for contribution in [withdrawn, erasedOne, kept] { try await service.publish(contribution) }
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.contribution_attachments") == 3)

            let afterWithdrawal = try await service.rpc.request(WithdrawContribution(
                contributionID: withdrawn.id, accountID: withdrawer, reason: "Je préfère la retirer"
            ))
            #expect(afterWithdrawal.attachment == nil)
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.contribution_attachments WHERE contribution_id = \(withdrawn.id)") == 0)
            #expect(await refusal { try await service.rpc.request(GetContributionAttachment(contributionID: withdrawn.id, forModeration: true)) }?.code == .notFound)

            try await publishEvent(AccountErased(accountID: erased, normalizedEmails: [], erasedAt: Date()), topology: service.topology)
            try await eventually("the erased author's file removed") {
                try await service.int("SELECT count(*)::int8 FROM consultations.contribution_attachments WHERE contribution_id = \(erasedOne.id)") == 0
            }
            // Another's file stays, and is still served.
            #expect(try await service.rpc.request(GetContributionAttachment(contributionID: kept.id)).content == Self.pdf)
        }
    }

    @Test func aFileOfNearlyTheLimitGoesThroughTheBrokerBothWays() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let consultation = try await service.create(sampleConsultation(moderation: .afterPublication))
            // Over the consumers' usual 1 MiB once in JSON: the service's RPC queue takes it.
            let large = Self.pdf.prefix(9) + Data((0..<(ContributionAttachmentUpload.maximumBytes - 200)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
                + Data("\n%%EOF\n".utf8)
            let upload = ContributionAttachmentUpload(filename: "scan.pdf", description: nil, content: Data(large))
            #expect(upload.problems.isEmpty)
            let contribution = try await Self.submit(service, to: consultation.id, attachment: upload)
            try await service.publish(contribution)
            let served = try await service.rpc.request(GetContributionAttachment(contributionID: contribution.id))
            #expect(served.content == Data(large))
            #expect(served.attachment.byteCount == large.count)
        }
    }
}
