import ConsultationService
import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Forums, threads and posts over RPC, against the real service, database and broker.
@Suite struct ForumTests {
    @Test func staffOpenAForumAuditedAndAnnounced() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // act
            let forum = try await harness.openForum(ForumHarness.draft(title: "  Se déplacer demain  ", mode: .beforePublication))
            let listed = try await harness.rpc.request(ListForums())
            let page = try await harness.rpc.request(GetForum(forumID: forum.id))

            // check
            #expect(forum.title == "Se déplacer demain")
            #expect(forum.status == .open && forum.moderationMode == .beforePublication)
            #expect(listed.items.map(\.id) == [forum.id])
            #expect(page.forum == forum && page.threads.isEmpty)
            let opened = try await harness.outbox(ForumOpened.self)
            #expect(opened.map(\.forumID) == [forum.id])
            #expect(opened.first?.question == "Comment vous déplacerez-vous en 2035 ?")
            let audit = try await harness.texts("SELECT action || '/' || staff_name || '/' || object_id FROM consultations.staff_audit")
            #expect(audit == ["forum.opened/Agnès Lefebvre/\(forum.id.uuidString.lowercased())"])
        }
    }

    @Test func aBadForumNamesItsFieldAndStoresNothing() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // act
            let blankTitle = {
                var draft = ForumHarness.draft()
                draft.title = ""
                return draft
            }()
            let noTitle = await #expect(throws: RequestFailure.self) { try await harness.openForum(blankTitle) }
            let backwards = await #expect(throws: RequestFailure.self) {
                try await harness.openForum(ForumHarness.draft(opensAt: Date(timeIntervalSinceNow: 86_400), closesAt: Date()))
            }

            // check
            #expect(noTitle?.code == .invalid && noTitle?.field == "title")
            #expect(backwards?.field == "closes_at")
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.forums") == 0)
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.staff_audit") == 0)
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.outbox") == 0)
        }
    }

    @Test func aForumStillToOpenIsStaffOnlyAndTakesNoThread() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup
            let later = try await harness.openForum(ForumHarness.draft(opensAt: Date(timeIntervalSinceNow: 3_600)))

            // act
            let publicList = try await harness.rpc.request(ListForums())
            let staffList = try await harness.rpc.request(ListForums(includeUpcoming: true))
            let hidden = await #expect(throws: RequestFailure.self) { try await harness.rpc.request(GetForum(forumID: later.id)) }
            let thread = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(OpenForumThread(forumID: later.id, title: "Trop tôt", body: "Bonjour", author: ForumHarness.citizen))
            }

            // check
            #expect(publicList.items.isEmpty)
            #expect(staffList.items.map(\.id) == [later.id])
            #expect(hidden?.code == .notFound)
            #expect(thread?.code == .notFound)
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.forum_threads") == 0)
        }
    }

    @Test func postsGoToModerationWithTheForumsPolicyAndShowOnceItDecides() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup
            let forum = try await harness.openForum(ForumHarness.draft(mode: .beforePublication))

            // act: a thread is opened; until moderation decides, only its author sees it
            let opening = try await harness.rpc.request(OpenForumThread(
                forumID: forum.id, title: " Le train avant tout ", body: " Il faut plus de trains le soir. ", author: ForumHarness.citizen
            ))
            let beforeDecision = try await harness.rpc.request(GetForum(forumID: forum.id))
            try await harness.publish(opening.id)
            let afterDecision = try await harness.rpc.request(GetForum(forumID: forum.id))
            // the same decision delivered again, and an older one, change nothing
            try await harness.decide(opening.id, visible: false, status: .rejected, revision: 1)
            let page = try await harness.rpc.request(GetForumThread(threadID: opening.threadID))

            // check
            #expect(opening.visible == false && opening.moderationStatus == "pending")
            #expect(opening.body == "Il faut plus de trains le soir.")
            #expect(beforeDecision.threads.isEmpty)
            #expect(afterDecision.threads.map(\.title) == ["Le train avant tout"])
            #expect(afterDecision.forum.threadCount == 1)
            #expect(page.posts.map(\.id) == [opening.id])
            let submitted = try await harness.outbox(ForumPostSubmitted.self)
            #expect(submitted.map(\.content.contentID) == [opening.id])
            #expect(submitted.first?.content.moderationMode == "pre")
            #expect(submitted.first?.content.ownerService == .consultations)
            #expect(submitted.first?.content.title == "Le train avant tout")
            let published = try await harness.outbox(ForumPostPublished.self)
            #expect(published.map(\.postID) == [opening.id])
            #expect(published.first?.forumID == forum.id && published.first?.threadID == opening.threadID)
        }
    }

    @Test func repliesNestOneLevelQuoteAndReachTheirAuthorBeforeModeration() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup
            let forum = try await harness.openForum()
            let opening = try await harness.openShownThread(in: forum.id)

            // act: a reply to the opening, a reply to that reply (joins the opening), a new top-level post quoting the reply
            let reply = try await harness.rpc.request(ReplyInForumThread(
                threadID: opening.threadID, parentPostID: opening.id, body: "D'accord, et le dimanche aussi.", author: ForumHarness.otherCitizen
            ))
            try await harness.publish(reply.id)
            let deeper = try await harness.rpc.request(ReplyInForumThread(
                threadID: opening.threadID, parentPostID: reply.id, body: "Le dimanche surtout.", author: ForumHarness.citizen
            ))
            let quoting = try await harness.rpc.request(ReplyInForumThread(
                threadID: opening.threadID, quotedPostID: reply.id, body: "Je reprends cette idée.", author: ForumHarness.otherCitizen
            ))
            let forOther = try await harness.rpc.request(GetForumThread(threadID: opening.threadID, viewerAccountID: ForumHarness.otherCitizen.accountID))
            let forAnonymous = try await harness.rpc.request(GetForumThread(threadID: opening.threadID))

            // check
            #expect(reply.parentPostID == opening.id)
            #expect(deeper.parentPostID == opening.id)
            #expect(quoting.parentPostID == nil && quoting.quotedPostID == reply.id)
            // the other citizen sees their own waiting post, not someone else's
            #expect(forOther.posts.map(\.id) == [opening.id, reply.id, quoting.id])
            #expect(forAnonymous.posts.map(\.id) == [opening.id, reply.id])
        }
    }

    @Test func aClosedForumAndBadTextsAreRefusedStoringNothing() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup
            let forum = try await harness.openForum()
            let opening = try await harness.openShownThread(in: forum.id)
            let before = try await harness.int("SELECT count(*)::integer FROM consultations.forum_posts")
            let outboxBefore = try await harness.int("SELECT count(*)::integer FROM consultations.outbox WHERE message_type = \(ForumPostSubmitted.messageType)")

            // act
            let empty = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(ReplyInForumThread(threadID: opening.threadID, body: "   ", author: ForumHarness.citizen))
            }
            let long = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(ReplyInForumThread(threadID: opening.threadID, body: String(repeating: "é", count: 5_001), author: ForumHarness.citizen))
            }
            let shortTitle = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(OpenForumThread(forumID: forum.id, title: "Ah", body: "Un texte", author: ForumHarness.citizen))
            }
            let strangeParent = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(ReplyInForumThread(threadID: opening.threadID, parentPostID: UUID(), body: "Bonjour", author: ForumHarness.citizen))
            }
            try await Probe.on(harness.database) { probe in
                try await probe.execute("UPDATE consultations.forums SET closes_at = now() - interval '1 second', opens_at = now() - interval '1 day' WHERE id = \(forum.id)")
            }
            let closed = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(ReplyInForumThread(threadID: opening.threadID, body: "Trop tard ?", author: ForumHarness.citizen))
            }
            let closedThread = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(OpenForumThread(forumID: forum.id, title: "Trop tard", body: "Trop tard ?", author: ForumHarness.citizen))
            }

            // check
            #expect(empty?.code == .invalid && empty?.field == "body" && empty?.message == "Écrivez votre message.")
            #expect(long?.field == "body")
            #expect(shortTitle?.field == "title")
            #expect(strangeParent?.field == "parent")
            #expect(closed?.code == .conflict && closed?.field == "forum")
            #expect(closed?.message == "Ce forum est clos : il ne prend plus de message.")
            #expect(closedThread?.field == "forum")
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.forum_posts") == before)
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.forum_threads") == 1)
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.outbox WHERE message_type = \(ForumPostSubmitted.messageType)") == outboxBefore)
        }
    }

    @Test func theAuthorEditsWithinFifteenMinutesThenOnlyModerationCan() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup
            let forum = try await harness.openForum()
            let opening = try await harness.openShownThread(in: forum.id)

            // act
            let edited = try await harness.rpc.request(EditForumPost(postID: opening.id, body: "Plus de trains le soir et le dimanche.", authorAccountID: ForumHarness.citizen.accountID))
            let notTheirs = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(EditForumPost(postID: opening.id, body: "Pirate", authorAccountID: ForumHarness.otherCitizen.accountID))
            }
            try await Probe.on(harness.database) { probe in
                try await probe.execute("UPDATE consultations.forum_posts SET created_at = now() - interval '16 minutes' WHERE id = \(opening.id)")
            }
            let late = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(EditForumPost(postID: opening.id, body: "Encore changé", authorAccountID: ForumHarness.citizen.accountID))
            }

            // check
            #expect(edited.body == "Plus de trains le soir et le dimanche." && edited.editedAt != nil)
            #expect(notTheirs?.code == .notFound)
            #expect(late?.code == .conflict && late?.field == "body")
            #expect(try await harness.texts("SELECT body FROM consultations.forum_posts WHERE id = \(opening.id)") == ["Plus de trains le soir et le dimanche."])
            // the edit went back to moderation, with the new text
            let submitted = try await harness.outbox(ForumPostSubmitted.self)
            #expect(submitted.map(\.content.text) == ["Il faut plus de trains le soir.", "Plus de trains le soir et le dimanche."])
        }
    }

    @Test func aPostsStableLinkFindsItsPage() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup: 21 top-level posts, so the last one is on page 2; a reply to it is there too
            let forum = try await harness.openForum()
            let opening = try await harness.openShownThread(in: forum.id)
            var last = opening
            for number in 1...20 {
                last = try await harness.rpc.request(ReplyInForumThread(threadID: opening.threadID, body: "Message \(number)", author: ForumHarness.otherCitizen))
            }
            try await Probe.on(harness.database) { probe in
                try await probe.execute("UPDATE consultations.forum_posts SET visible = true WHERE thread_id = \(opening.threadID)")
            }
            let reply = try await harness.rpc.request(ReplyInForumThread(threadID: opening.threadID, parentPostID: last.id, body: "Réponse", author: ForumHarness.citizen))
            try await harness.publish(reply.id)

            // act
            let first = try await harness.rpc.request(LocateForumPost(postID: opening.id))
            let onSecond = try await harness.rpc.request(LocateForumPost(postID: reply.id))
            let second = try await harness.rpc.request(GetForumThread(threadID: opening.threadID, page: 2))
            let beyond = try await harness.rpc.request(GetForumThread(threadID: opening.threadID, page: 9))

            // check
            #expect(first.page == 1)
            #expect(onSecond.page == 2 && onSecond.post.threadID == opening.threadID)
            #expect(second.pageCount == 2 && second.posts.map(\.id) == [last.id, reply.id])
            #expect(beyond.page == 2)
        }
    }
}
