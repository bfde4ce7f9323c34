import ConsultationService
import DialogueContracts
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Comments on contributions: one level of replies (a reply to a reply joins the comment it
/// answers), each sent to moderation with the consultation's policy and shown only once
/// moderation says so; read a page of top-level comments at a time.
@Suite struct CommentTests {
    /// Shows a comment as moderation would, and waits until it is shown.
    private func show(_ comment: ContributionCommentView, _ service: ConsultationHarness, revision: Int = 3) async throws {
        let decision = ModerationDecisionMade(
            itemID: UUID(), contentType: .contributionComment, contentID: comment.id, ownerService: .consultations, status: .published, visible: true,
            reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: UUID(), rule: nil, decidedAt: Date(), revision: revision
        )
        try await publishEvent(decision, topology: service.topology)
        try await eventually("the comment shown") {
            try await service.int("SELECT count(*)::int8 FROM consultations.contribution_comments WHERE id = \(comment.id) AND visible") == 1
        }
    }

    private func comment(_ text: String, on contribution: UUID, replyingTo parent: UUID? = nil, by author: UUID = UUID()) -> CommentOnContribution {
        CommentOnContribution(contributionID: contribution, parentID: parent, body: text, authorAccountID: author, authorName: "Louise")
    }

    @Test func repliesNestOneLevelOnly() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            // setup
            let consultation = try await service.create(sampleConsultation(moderation: .afterPublication))
            let proposed = try await service.submit(proposal(), to: consultation.id)
            try await service.publish(proposed)
            let top = try await service.rpc.request(comment("Très bonne idée, et pour les petites associations ?", on: proposed.id))
            try await show(top, service)

            // act: a reply, then a reply to that reply
            let reply = try await service.rpc.request(comment("Elles en ont le plus besoin.", on: proposed.id, replyingTo: top.id))
            try await show(reply, service)
            let replyToReply = try await service.rpc.request(comment("D'accord avec vous.", on: proposed.id, replyingTo: reply.id))
            try await show(replyToReply, service)
            let page = try await service.rpc.request(ListContributionComments(contributionID: proposed.id))

            // check: both replies hang under the first comment
            #expect(reply.parentID == top.id)
            #expect(replyToReply.parentID == top.id)
            #expect(page.total == 1)
            #expect(page.items.map(\.id) == [top.id])
            #expect(page.items.first?.replies.map(\.id) == [reply.id, replyToReply.id])
            #expect(try await service.outbox(ContributionCommented.messageType).count == 3)
            // A reply to a comment of another contribution is refused, naming its field.
            let other = try await service.submit(proposal(title: "Un autre guichet"), to: consultation.id)
            try await service.publish(other)
            let foreign = await refusal { try await service.rpc.request(comment("Hors sujet.", on: other.id, replyingTo: top.id)) }
            #expect(foreign?.field == "parent")
        }
    }

    @Test func eachCommentGoesToModerationWithTheConsultationsPolicy() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            // setup: one consultation moderated before publication, one after
            let before = try await service.create(sampleConsultation(moderation: .beforePublication))
            let after = try await service.create(sampleConsultation(title: "Mobilités", moderation: .afterPublication))
            let author = UUID()
            let held = try await service.submit(proposal(), to: before.id, author: author)
            let shown = try await service.submit(proposal(), to: after.id)
            try await service.publish(held)
            try await service.publish(shown)
            let reader = UUID()

            // act
            let waiting = try await service.rpc.request(comment("Une remarque en attente.", on: held.id, by: reader))
            _ = try await service.rpc.request(comment("Une remarque publiée aussitôt.", on: shown.id))

            // check: the submissions carry each consultation's mode; nothing shown before moderation's decision
            let submissions = try await service.outbox(ContributionCommentSubmitted.messageType).map {
                try MessageCoding.decode(ContributionCommentSubmitted.self, from: Array($0.utf8)).content
            }
            #expect(submissions.map(\.moderationMode) == ["pre", "post"])
            #expect(submissions.first?.publicPath == SitePath.contribution(held.id).path)
            #expect(try await service.rpc.request(ListContributionComments(contributionID: held.id)).items.isEmpty)
            // its author sees it, waiting
            let own = try await service.rpc.request(ListContributionComments(contributionID: held.id, viewerAccountID: reader))
            #expect(own.items.map(\.state) == [.inModeration])
            // a comment stops the contribution's edits
            let authored = try await service.rpc.request(GetOwnContribution(contributionID: held.id, accountID: author))
            #expect(authored.editable == false)
            try await show(waiting, service)
            #expect(try await service.rpc.request(ListContributionComments(contributionID: held.id)).items.map(\.id) == [waiting.id])
        }
    }

    @Test func badCommentsAreRefusedAndPagesHoldTwentyComments() async throws {
        let database = try await consultationDatabase()
        try await withConsultationService(database) { service in
            let consultation = try await service.create(sampleConsultation(moderation: .afterPublication))
            let proposed = try await service.submit(proposal(), to: consultation.id)
            let unpublished = try await service.submit(proposal(title: "Pas encore publiée"), to: consultation.id)
            try await service.publish(proposed)

            let empty = await refusal { try await service.rpc.request(comment("   ", on: proposed.id)) }
            let tooLong = await refusal { try await service.rpc.request(comment(String(repeating: "a", count: 3_001), on: proposed.id)) }
            let hidden = await refusal { try await service.rpc.request(comment("Bonjour à tous.", on: unpublished.id)) }
            #expect(empty?.field == "body")
            #expect(tooLong?.field == "body")
            #expect(hidden?.code == .notFound)
            #expect(try await service.int("SELECT count(*)::int8 FROM consultations.contribution_comments") == 0)

            var comments: [ContributionCommentView] = []
            for index in 1...21 { comments.append(try await service.rpc.request(comment("Commentaire numéro \(index).", on: proposed.id))) }
            for comment in comments { try await show(comment, service) }
            let first = try await service.rpc.request(ListContributionComments(contributionID: proposed.id))
            let second = try await service.rpc.request(ListContributionComments(contributionID: proposed.id, page: 2))
            #expect(first.total == 21)
            #expect(first.items.count == 20)
            #expect(second.items.map(\.id) == [comments[20].id])
        }
    }
}
