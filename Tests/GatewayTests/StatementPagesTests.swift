import DialogueContracts
import Foundation
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import Messaging
import NIOCore
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// A forum's statements in the browser without JavaScript: proposing one (140 characters, the
/// refusal in French next to the field), answering one at a time with a form each, and the
/// opinion map on the forum's page once 15 participants qualify — an SVG with its title and
/// description, and the same facts as a table and lists.
@Suite struct StatementPagesTests {
    /// Shows a statement as moderation's decision would, and waits until the service applied it.
    static func moderate(_ statement: UUID, stack: GatewayStack, probe: Probe) async throws {
        try await publishEvent(
            ModerationDecisionMade(
                itemID: UUID(), contentType: .statement, contentID: statement, ownerService: .consultations, status: .published, visible: true,
                reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: nil, rule: "post_moderation", decidedAt: Date(), revision: 1
            ),
            topology: stack.topology
        )
        try await eventually("the statement shown") {
            try await probe.int("SELECT count(*)::int8 FROM consultations.forum_statements WHERE id = \(statement) AND visible") == 1
        }
    }

    static func openForum(_ stack: GatewayStack, _ client: any TestClientProtocol, _ probe: Probe) async throws -> String {
        let staff = try await ForumPagesTests.session(stack, client, try await stack.makeStaff([.staff]))
        _ = try await staff.submit("/admin/forums/nouveau", ForumPagesTests.forumFields(), from: "/admin/forums/nouveau")
        return try #require(try await probe.texts("SELECT id::text FROM consultations.forums").first ?? nil)
    }

    @Test func aCitizenProposesAStatementThenAnswersOneAtATime() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let forum = try await Self.openForum(stack, client, probe)
            let camille = try await ForumPagesTests.session(stack, client, try await stack.makeCitizen(displayName: "Camille M."))
            let page = "/forums/\(forum)/affirmations"

            // act: too long, then a statement; moderation shows it; Camille answers it
            let tooLong = try await camille.submit(page, [("affirmation", String(repeating: "a", count: 141))], from: page)
            let sent = try await camille.submit(page, [("affirmation", "Il faut plus de trains le soir")], from: page)
            let statement = try #require(try await probe.texts("SELECT id::text FROM consultations.forum_statements").first.flatMap { $0 }.flatMap(UUID.init(uuidString:)))
            try await Self.moderate(statement, stack: stack, probe: probe)
            let proposed = try await camille.get(page)
            let answered = try await camille.submit(
                "\(page)/voter", [("affirmation", statement.uuidString.lowercased()), ("vote", "d-accord")], from: page
            )
            let after = try await camille.get(answered.location ?? page)
            let anonymous = try await client.anonymous.executeRequest(uri: page, method: .get, headers: [:], body: nil)

            // check
            #expect(tooLong.status == .unprocessableContent)
            #expect(tooLong.text.contains("Une affirmation compte au plus 140 caractères : la vôtre en compte 141, raccourcissez-la."))
            #expect(tooLong.text.contains(String(repeating: "a", count: 141)))
            #expect(sent.status == .seeOther && sent.location == "\(page)?statut=affirmation-envoyee")
            #expect(proposed.text.contains("Il faut plus de trains le soir"))
            #expect(proposed.text.contains("name=\"vote\" value=\"d-accord\"") && proposed.text.contains("name=\"vote\" value=\"je-passe\""))
            #expect(answered.status == .seeOther && answered.location == "\(page)?statut=reponse-enregistree")
            #expect(after.text.contains("Votre réponse est enregistrée."))
            #expect(after.text.contains("Aucune affirmation ne vous attend"))
            #expect(!after.text.contains("name=\"vote\""))
            #expect(try await probe.texts("SELECT vote FROM consultations.forum_statement_votes") == ["agree"])
            #expect(anonymous.status == .ok && String(buffer: anonymous.body).contains("Connectez-vous</a> pour répondre"))
        }
    }

    @Test func theForumPageShowsTheMapOnlyOnceFifteenParticipantsQualify() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup: eight shown statements; two camps of ten, everyone agreeing with the last
            let forum = try await Self.openForum(stack, client, probe)
            let forumID = try #require(UUID(uuidString: forum))
            let texts = [
                "Le train d'abord", "Des bus le dimanche", "Des pistes cyclables partout", "Moins de voitures en ville",
                "La voiture reste indispensable", "Élargir les routes", "Plus de parkings en centre-ville", "Des horaires lisibles pour tous",
            ]
            var shown: [UUID] = []
            for text in texts {
                let statement = try await stack.rpc.request(
                    SubmitStatement(forumID: forumID, text: text, author: ForumAuthor(accountID: UUID(), publicName: nil))
                )
                try await Self.moderate(statement.id, stack: stack, probe: probe)
                shown.append(statement.id)
            }
            let statements = shown
            let people = (0..<20).map { _ in UUID() }
            func vote(_ person: Int) async throws {
                for index in statements.indices {
                    let vote: ForumReaction = index == 7 ? .agree : ((index < 4) == (person % 2 == 0) ? .agree : .disagree)
                    _ = try await stack.rpc.request(VoteOnStatement(statementID: statements[index], accountID: people[person], vote: vote))
                }
            }
            @Sendable func updates() async throws -> Int {
                try await probe.int("SELECT count(*)::int8 FROM synthesis.outbox WHERE message_type = 'forum.opinion_map_updated'")
            }

            // act: fourteen participants vote on everything; then six more
            // (a recompute every 20 votes: 5 for 112 votes, none with 15 qualifying participants)
            for person in 0..<14 { try await vote(person) }
            try await eventually(timeout: .seconds(60), "the map recomputed without being shown") { try await updates() == 5 }
            let before = try await client.anonymous.executeRequest(uri: "/forums/\(forum)", method: .get, headers: [:], body: nil)
            for person in 14..<20 { try await vote(person) }
            try await eventually(timeout: .seconds(60), "the map recomputed with every vote") { try await updates() == 8 }
            let after = String(buffer: try await client.anonymous.executeRequest(uri: "/forums/\(forum)", method: .get, headers: [:], body: nil).body)

            // check
            #expect(String(buffer: before.body).contains("La carte des opinions s'affichera quand au moins 15 participants"))
            #expect(!String(buffer: before.body).contains("<svg"))
            #expect(after.contains("<svg") && after.contains("role=\"img\"") && after.contains("aria-labelledby=\"map-svg-title map-svg-desc\""))
            #expect(after.contains("<title id=\"map-svg-title\">Carte des opinions du forum</title>"))
            #expect(after.contains("20 participants placés selon leurs réponses aux affirmations, répartis en 2 groupes"))
            #expect(after.contains("<th scope=\"row\">Groupe A</th>") && after.contains("<th scope=\"row\">Groupe B</th>"))
            #expect(after.contains("Groupe A (10)") && after.contains("Groupe B (10)"))
            // the consensus statement, in every group
            #expect(after.contains("« Des horaires lisibles pour tous » : d&#39;accord dans chaque groupe (Groupe A : 100 %, Groupe B : 100 %)")
                || after.contains("« Des horaires lisibles pour tous » : d'accord dans chaque groupe (Groupe A : 100 %, Groupe B : 100 %)"))
            // no participant's account nor pseudonym anywhere on the page
            let pseudonyms = try await probe.texts("SELECT participant_id::text FROM consultations.forum_statement_participants").compactMap { $0 }
            #expect(pseudonyms.count == 20)
            #expect(!(people.map { $0.uuidString.lowercased() } + pseudonyms).contains { after.contains($0) })
        }
    }
}
