import DialogueContracts
import Foundation
import PostgresNIO
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import ServiceKit
import Testing
import TestSupport

/// Comments under a contribution on its page: a confirmed citizen comments and replies, a bad
/// comment comes back with its message next to the field and its text kept, nothing is shown
/// before moderation's decision, an unconfirmed address is refused.
@Suite struct ContributionCommentPagesTests {
    @Test func aConfirmedCitizenCommentsAndRepliesThroughModeration() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let (_, contribution) = try await ContributionAnswerPagesTests.publishedProposal(stack, probe: probe)
            let page = "/contributions/\(contribution.id.uuidString.lowercased())"
            let action = "\(page)/commentaires"
            let anonymous = WebSession(client.anonymous)
            let web = try await ConsultationPagesTests.session(stack, client, try await stack.makeCitizen(displayName: "Louise"))
            let unconfirmed = try await ConsultationPagesTests.session(stack, client, try await stack.makeCitizen(confirmed: false))

            // act
            let signInFirst = try await anonymous.get(page)
            let blocked = try await unconfirmed.submit(action, [("body", "Je voudrais commenter.")], from: page)
            let empty = try await web.submit(action, [("body", " ")], from: page)
            let tooLong = try await web.submit(action, [("body", String(repeating: "é", count: 3_001))], from: page)
            let sent = try await web.submit(action, [("body", "Et pour les petites associations rurales ?")], from: page)
            let ownView = try await web.get(page)
            let othersViewBefore = try await anonymous.get(page)

            // check
            #expect(signInFirst.text.contains("connectez-vous"))
            #expect(blocked.status == .forbidden)
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains("<title>Erreur – "))
            #expect(empty.text.contains("id=\"body-error\""))
            #expect(empty.text.contains("Écrivez votre commentaire."))
            #expect(tooLong.status == .unprocessableContent)
            #expect(tooLong.text.contains(String(repeating: "é", count: 3_001)))
            #expect(sent.status == .seeOther)
            #expect(sent.location?.hasPrefix(page + "?statut=commentaire-en-moderation") == true)
            #expect(ownView.text.contains("Et pour les petites associations rurales ?"))
            #expect(ownView.text.contains("En cours de modération"))
            #expect(!othersViewBefore.text.contains("Et pour les petites associations rurales ?"))

            // act: moderation shows it; someone replies
            let commentID = try #require(try await probe.texts("SELECT id::text FROM consultations.contribution_comments").first ?? nil)
            try await publishEvent(
                ModerationDecisionMade(
                    itemID: UUID(), contentType: .contributionComment, contentID: try #require(UUID(uuidString: commentID)), ownerService: .consultations,
                    status: .published, visible: true, reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: UUID(), rule: nil, decidedAt: Date(),
                    revision: 2
                ),
                topology: stack.topology
            )
            try await eventually("the comment shown") { try await anonymous.get(page).text.contains("Et pour les petites associations rurales ?") }
            let replier = try await ConsultationPagesTests.session(stack, client, try await stack.makeCitizen(displayName: "Malik"))
            let withReplyForm = try await replier.get(page)
            let badReply = try await replier.submit(action, [("parent", commentID), ("body", "")], from: page)
            let reply = try await replier.submit(action, [("parent", commentID), ("body", "Oui, surtout elles.")], from: page)

            // check
            #expect(withReplyForm.text.contains("name=\"parent\" value=\"\(commentID)\""))
            #expect(badReply.status == .unprocessableContent)
            #expect(badReply.text.contains("id=\"reponse-\(commentID)-error\""))
            #expect(reply.status == .seeOther)
            #expect(try await probe.texts("SELECT parent_id::text FROM consultations.contribution_comments WHERE body = 'Oui, surtout elles.'") == [commentID])
        }
    }
}
