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

/// The forum pages: staff open a forum, citizens open threads and reply, every refusal in
/// French next to its field with nothing stored, posts shown once moderation decides, and
/// a post's stable link.
@Suite struct ForumPagesTests {
    static func session(_ stack: GatewayStack, _ client: any TestClientProtocol, _ account: TestAccount) async throws -> WebSession {
        let web = WebSession(client.anonymous)
        web.setCookie(web.sessionCookieName, try await stack.openSession(for: account))
        return web
    }

    static func forumFields(title: String = "Se déplacer demain", opens: String = "2026-01-05", closes: String = "2099-03-01") -> [(String, String)] {
        [
            ("titre", title), ("theme", "Mobilités du quotidien"), ("question", "Comment vous déplacerez-vous en 2035 ?"),
            ("presentation", "Le CESER prépare un avis."), ("ouverture", opens), ("cloture", closes), ("moderation", "post"),
        ]
    }

    /// Shows a post as moderation's decision would, and waits until the service applied it.
    static func moderate(_ post: String, stack: GatewayStack, probe: Probe) async throws {
        let id = try #require(UUID(uuidString: post))
        try await publishEvent(
            ModerationDecisionMade(
                itemID: UUID(), contentType: .forumPost, contentID: id, ownerService: .consultations, status: .published, visible: true,
                reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: nil, rule: "post_moderation", decidedAt: Date(), revision: 1
            ),
            topology: stack.topology
        )
        try await eventually("the post shown") { try await probe.int("SELECT count(*)::int8 FROM consultations.forum_posts WHERE id = \(id) AND visible") == 1 }
    }

    @Test func staffOpenAForumAndBadInputComesBackNextToItsField() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            let web = try await Self.session(stack, client, try await stack.makeStaff([.staff]))

            // act: a title too short, a closing before the opening, no policy
            var bad = Self.forumFields(title: "A", opens: "2026-05-01", closes: "2026-04-01")
            bad.removeLast()
            let refused = try await web.submit("/admin/forums/nouveau", bad, from: "/admin/forums/nouveau")
            let opened = try await web.submit("/admin/forums/nouveau", Self.forumFields(), from: "/admin/forums/nouveau")
            let list = try await web.get("/forums")

            // check
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Choisissez quand la modération relit les messages."))
            #expect(refused.text.contains("value=\"A\""))
            // only the valid forum was stored: the refused one left nothing
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.forums") == 1)
            #expect(opened.status == .seeOther && opened.location == "/admin/forums?statut=forum-ouvert")
            #expect(list.text.contains("Se déplacer demain") && list.text.contains("Comment vous déplacerez-vous en 2035 ?"))
            let audit = try await probe.texts("SELECT action FROM consultations.staff_audit")
            #expect(audit == ["forum.opened"])
        }
    }

    @Test func citizensOpenAThreadAndReplyThroughModeration() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let staff = try await Self.session(stack, client, try await stack.makeStaff([.staff]))
            _ = try await staff.submit("/admin/forums/nouveau", Self.forumFields(), from: "/admin/forums/nouveau")
            let forum = try #require(try await probe.texts("SELECT id::text FROM consultations.forums").first ?? nil)
            let camille = try await Self.session(stack, client, try await stack.makeCitizen(displayName: "Camille M."))
            let dominique = try await Self.session(stack, client, try await stack.makeCitizen(displayName: "Dominique R."))
            let unconfirmed = try await Self.session(stack, client, try await stack.makeCitizen(confirmed: false))
            let newThread = "/forums/\(forum)/nouveau-fil"

            // act: an unconfirmed address, an empty message, then a thread
            let notYet = try await unconfirmed.submit(newThread, [("titre", "Le train"), ("texte", "Plus de trains.")], from: newThread)
            let empty = try await camille.submit(newThread, [("titre", "Le train avant tout"), ("texte", " ")], from: newThread)
            let sent = try await camille.submit(newThread, [("titre", "Le train avant tout"), ("texte", "Il faut plus de trains le soir.")], from: newThread)
            let beforeModeration = try await camille.get("/forums/\(forum)")
            let opening = try #require(try await probe.texts("SELECT id::text FROM consultations.forum_posts").first ?? nil)
            try await Self.moderate(opening, stack: stack, probe: probe)
            let forumPage = try await dominique.get("/forums/\(forum)")
            let thread = try #require(try await probe.texts("SELECT id::text FROM consultations.forum_threads").first ?? nil)
            let threadPath = "/forums/fils/\(thread)"
            let replied = try await dominique.submit("\(threadPath)/repondre", [("parent", opening), ("texte", "D'accord, et le dimanche aussi.")], from: threadPath)
            let reply = try #require(try await probe.texts("SELECT id::text FROM consultations.forum_posts WHERE parent_post_id IS NOT NULL").first ?? nil)
            let authorView = try await dominique.get(threadPath)
            let othersView = try await camille.get(threadPath)
            let link = try await client.anonymous.executeRequest(uri: "/forums/messages/\(opening)", method: .get, headers: [:], body: nil)

            // check
            #expect(notYet.status == .forbidden && notYet.text.contains("confirmez d'abord votre adresse"))
            #expect(empty.status == .unprocessableContent && empty.text.contains("Écrivez votre message."))
            #expect(empty.text.contains("value=\"Le train avant tout\""))
            #expect(sent.status == .seeOther && sent.location == "/forums/\(forum)?statut=fil-envoye")
            #expect(!beforeModeration.text.contains("Le train avant tout"))
            #expect(forumPage.text.contains("Le train avant tout") && forumPage.text.contains("Camille M."))
            #expect(replied.status == .seeOther)
            #expect(replied.location == "\(threadPath)?page=1&statut=message-envoye#message-\(reply)")
            #expect(authorView.text.contains("D&#39;accord, et le dimanche aussi.") || authorView.text.contains("D'accord, et le dimanche aussi."))
            #expect(authorView.text.contains("en attente de modération"))
            #expect(!othersView.text.contains("le dimanche aussi"))
            #expect(link.status == .seeOther && link.location == "\(threadPath)?page=1#message-\(opening)")
        }
    }

    @Test func aClosedForumRefusesRepliesInFrenchAndStoresNothing() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let staff = try await Self.session(stack, client, try await stack.makeStaff([.staff]))
            _ = try await staff.submit("/admin/forums/nouveau", Self.forumFields(), from: "/admin/forums/nouveau")
            let forum = try #require(try await probe.texts("SELECT id::text FROM consultations.forums").first ?? nil)
            let camille = try await Self.session(stack, client, try await stack.makeCitizen())
            let newThread = "/forums/\(forum)/nouveau-fil"
            _ = try await camille.submit(newThread, [("titre", "Le train avant tout"), ("texte", "Il faut plus de trains le soir.")], from: newThread)
            let opening = try #require(try await probe.texts("SELECT id::text FROM consultations.forum_posts").first ?? nil)
            try await Self.moderate(opening, stack: stack, probe: probe)
            let thread = try #require(try await probe.texts("SELECT id::text FROM consultations.forum_threads").first ?? nil)
            try await probe.execute("UPDATE consultations.forums SET opens_at = now() - interval '2 days', closes_at = now() - interval '1 day'")

            // act
            let threadPath = "/forums/fils/\(thread)"
            let refused = try await camille.submit("\(threadPath)/repondre", [("texte", "Trop tard ?")], from: threadPath)
            let page = try await camille.get(threadPath)

            // check
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("Ce forum est clos : il ne prend plus de message."))
            #expect(refused.text.contains("Trop tard ?"))
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.forum_posts") == 1)
            #expect(page.text.contains("Ce fil de discussion ne prend plus de réponse."))
            #expect(!page.text.contains("Répondre dans ce fil"))
        }
    }

    @Test func aCitizenReactsOnceAndChangesTheirMind() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let staff = try await Self.session(stack, client, try await stack.makeStaff([.staff]))
            _ = try await staff.submit("/admin/forums/nouveau", Self.forumFields(), from: "/admin/forums/nouveau")
            let forum = try #require(try await probe.texts("SELECT id::text FROM consultations.forums").first ?? nil)
            let camille = try await Self.session(stack, client, try await stack.makeCitizen(displayName: "Camille M."))
            let newThread = "/forums/\(forum)/nouveau-fil"
            _ = try await camille.submit(newThread, [("titre", "Le train avant tout"), ("texte", "Il faut plus de trains le soir.")], from: newThread)
            let post = try #require(try await probe.texts("SELECT id::text FROM consultations.forum_posts").first ?? nil)
            try await Self.moderate(post, stack: stack, probe: probe)
            let thread = try #require(try await probe.texts("SELECT id::text FROM consultations.forum_threads").first ?? nil)
            let dominique = try await Self.session(stack, client, try await stack.makeCitizen())
            let threadPath = "/forums/fils/\(thread)"
            let reactPath = "/forums/messages/\(post)/reagir"

            // act
            let agreed = try await dominique.submit(reactPath, [("reaction", "d-accord")], from: threadPath)
            let changed = try await dominique.submit(reactPath, [("reaction", "pas-d-accord")], from: threadPath)
            let ownPost = try await camille.submit(reactPath, [("reaction", "d-accord")], from: threadPath)
            let forged = try await dominique.submit(reactPath, [("reaction", "<b>peut-être</b>")], from: threadPath)
            let page = try await dominique.get(threadPath)

            // check
            #expect(agreed.status == .seeOther && agreed.location == "\(threadPath)?page=1#message-\(post)")
            #expect(changed.status == .seeOther && ownPost.status == .seeOther)
            #expect(forged.status == .badRequest)
            #expect(forged.text.contains("Choisissez « D&#39;accord »") || forged.text.contains("Choisissez « D'accord »"))
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.forum_reactions") == 2)
            #expect(page.text.contains("D&#39;accord (1)") || page.text.contains("D'accord (1)"))
            #expect(page.text.contains("Pas d&#39;accord (1)") || page.text.contains("Pas d'accord (1)"))
            #expect(page.text.contains("votre choix"))
        }
    }

    /// A forum with one shown thread, opened through the pages; returns the forum, thread and opening post ids.
    static func forumWithThread(_ stack: GatewayStack, _ client: any TestClientProtocol, _ probe: Probe, title: String = "Le train avant tout") async throws -> (forum: String, thread: String, post: String) {
        let staff = try await Self.session(stack, client, try await stack.makeStaff([.staff]))
        if try await probe.int("SELECT count(*)::int8 FROM consultations.forums") == 0 {
            _ = try await staff.submit("/admin/forums/nouveau", Self.forumFields(), from: "/admin/forums/nouveau")
        }
        let forum = try #require(try await probe.texts("SELECT id::text FROM consultations.forums").first ?? nil)
        let camille = try await Self.session(stack, client, try await stack.makeCitizen(displayName: "Camille M."))
        let newThread = "/forums/\(forum)/nouveau-fil"
        _ = try await camille.submit(newThread, [("titre", title), ("texte", "Il faut plus de trains le soir.")], from: newThread)
        let thread = try #require(try await probe.texts("SELECT id::text FROM consultations.forum_threads WHERE title = \(title)").first ?? nil)
        let post = try #require(try await probe.texts("SELECT opening_post_id::text FROM consultations.forum_threads WHERE id = \(thread)::uuid").first ?? nil)
        try await Self.moderate(post, stack: stack, probe: probe)
        return (forum, thread, post)
    }

    @Test func staffCloseWithAConclusionAndMergeDuplicatesWhoseOldLinksRedirect() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let kept = try await Self.forumWithThread(stack, client, probe, title: "Le train avant tout")
            let duplicate = try await Self.forumWithThread(stack, client, probe, title: "Des trains le soir")
            let staff = try await Self.session(stack, client, try await stack.makeStaff([.staff]))
            let keptPath = "/admin/forums/fils/\(kept.thread)"

            // act
            let bare = try await staff.submit("\(keptPath)/fermer", [("conclusion", "")], from: keptPath)
            let merged = try await staff.submit("/admin/forums/fils/\(duplicate.thread)/fusionner", [("fil-cible", kept.thread)], from: keptPath)
            let oldLink = try await client.anonymous.executeRequest(uri: "/forums/fils/\(duplicate.thread)", method: .get, headers: [:], body: nil)
            let movedPost = try await client.anonymous.executeRequest(uri: "/forums/messages/\(duplicate.post)", method: .get, headers: [:], body: nil)
            let closed = try await staff.submit("\(keptPath)/fermer", [("conclusion", "Le train du soir fait consensus.")], from: keptPath)
            let page = try await staff.get("/forums/fils/\(kept.thread)")

            // check
            #expect(bare.status == .unprocessableContent)
            #expect(bare.text.contains("Écrivez la conclusion : elle est obligatoire."))
            #expect(merged.status == .seeOther && merged.location == "\(keptPath)?statut=fils-fusionnes")
            #expect(oldLink.status == .movedPermanently && oldLink.location == "/forums/fils/\(kept.thread)")
            #expect(movedPost.location == "/forums/fils/\(kept.thread)?page=1#message-\(duplicate.post)")
            #expect(closed.status == .seeOther)
            #expect(page.text.contains("Le train du soir fait consensus.") && page.text.contains("ne prend plus de réponse"))
            let actions = try await probe.texts("SELECT action FROM consultations.staff_audit ORDER BY id")
            #expect(actions == ["forum.opened", "forum.threads_merged", "forum.thread_closed"])
        }
    }

    @Test func theAPIReadsPublicForumsAndTakesACitizensPostsAndReactionsByToken() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, probe in
            // setup
            let (forum, thread, post) = try await Self.forumWithThread(stack, client, probe)
            // API tokens are issued to staff accounts: one with a confirmed address writes, one without is refused.
            let writer = try await stack.makeStaff([.staff])
            try await stack.gateway.database.query("UPDATE accounts SET email_confirmed_at = now() WHERE id = \(writer.id)", logger: TestEnvironment.logger)
            let token = try await stack.issueToken(for: writer)
            let unconfirmedAccount = try await stack.makeStaff([.staff])
            try await stack.gateway.database.query(
                "UPDATE accounts SET email_confirmed_at = NULL WHERE id = \(unconfirmedAccount.id)", logger: TestEnvironment.logger
            )
            let unconfirmed = try await stack.issueToken(for: unconfirmedAccount)
            func send(_ uri: String, _ method: HTTPRequest.Method, _ json: String, token: String) async throws -> TestResponse {
                try await client.anonymous.executeRequest(
                    uri: uri, method: method, headers: [.contentType: "application/json", .authorization: "Bearer \(token)"], body: ByteBuffer(string: json)
                )
            }

            // act
            let list = try await client.anonymous.executeRequest(uri: "/api/v1/forums", method: .get, headers: [:], body: nil)
            let threads = try await client.anonymous.executeRequest(uri: "/api/v1/forums/\(forum)?order=reactions", method: .get, headers: [:], body: nil)
            let badOrder = try await client.anonymous.executeRequest(uri: "/api/v1/forums/\(forum)?order=hasard", method: .get, headers: [:], body: nil)
            let empty = try await send("/api/v1/forums/threads/\(thread)/posts", .post, #"{"body": "  "}"#, token: token)
            let notConfirmed = try await send("/api/v1/forums/threads/\(thread)/posts", .post, #"{"body": "Bonjour"}"#, token: unconfirmed)
            let reply = try await send("/api/v1/forums/threads/\(thread)/posts", .post, #"{"body": "D'accord, et le dimanche.", "parentPostID": "\#(post)"}"#, token: token)
            let reacted = try await send("/api/v1/forums/posts/\(post)/reaction", .put, #"{"reaction": "agree"}"#, token: token)
            let changed = try await send("/api/v1/forums/posts/\(post)/reaction", .put, #"{"reaction": "pass"}"#, token: token)
            let forged = try await send("/api/v1/forums/posts/\(post)/reaction", .put, #"{"reaction": "maybe"}"#, token: token)
            let anonymous = try await client.anonymous.executeRequest(
                uri: "/api/v1/forums/posts/\(post)/reaction", method: .put, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"reaction": "agree"}"#)
            )

            // check
            #expect(list.status == .ok && list.text.contains("Se déplacer demain"))
            #expect(threads.status == .ok && threads.text.contains("Le train avant tout"))
            #expect(badOrder.status == .badRequest && badOrder.apiError?.field == "order")
            #expect(empty.status == .badRequest && empty.apiError?.field == "body" && empty.apiError?.message == "Écrivez votre message.")
            #expect(notConfirmed.status == .forbidden && notConfirmed.apiError?.code == "email_unconfirmed")
            #expect(reply.status == .created)
            #expect(reply.text.lowercased().contains("\"parentpostid\":\"\(post)\""))
            #expect(reacted.status == .ok && changed.status == .ok)
            #expect(changed.text.contains("\"mine\":\"pass\"") && changed.text.contains("\"agree\":0") && changed.text.contains("\"pass\":1"))
            #expect(forged.status == .badRequest && forged.apiError?.field == "reaction")
            #expect(anonymous.status == .unauthorized)
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.forum_reactions") == 1)
            #expect(try await probe.int("SELECT count(*)::int8 FROM consultations.forum_posts") == 2)
        }
    }
}
