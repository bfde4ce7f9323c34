import ConsultationService
import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Staff running a forum: pinning, closing with a conclusion, merging, concluding; each audited.
@Suite struct ForumStaffTests {
    let staff = ForumHarness.staff

    @Test func closingAThreadRequiresItsConclusionThenRefusesRepliesAndReactions() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup
            let forum = try await harness.openForum()
            let post = try await harness.openShownThread(in: forum.id)

            // act
            let bare = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(CloseForumThread(threadID: post.threadID, conclusion: "  ", staffID: staff.id, staffName: staff.name))
            }
            let stillOpen = try await harness.rpc.request(GetForumThread(threadID: post.threadID)).thread
            let closed = try await harness.rpc.request(CloseForumThread(
                threadID: post.threadID, conclusion: "Le train du soir fait consensus.", staffID: staff.id, staffName: staff.name
            ))
            let reply = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(ReplyInForumThread(threadID: post.threadID, body: "Encore un mot", author: ForumHarness.otherCitizen))
            }
            let reaction = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(ReactToForumPost(postID: post.id, accountID: UUID(), reaction: .agree))
            }

            // check
            #expect(bare?.code == .invalid && bare?.field == "conclusion")
            #expect(stillOpen.status == .open && stillOpen.conclusion == nil)
            #expect(closed.status == .closed && closed.conclusion == "Le train du soir fait consensus.")
            #expect(reply?.code == .conflict && reply?.field == "thread")
            #expect(reaction?.code == .conflict && reaction?.field == "thread")
            #expect(try await harness.texts("SELECT action FROM consultations.staff_audit ORDER BY id") == ["forum.opened", "forum.thread_closed"])
        }
    }

    @Test func mergingMovesPostsWithTheirAuthorsAndLinks() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup: two threads on the same subject, a reaction on the duplicate's post
            let forum = try await harness.openForum()
            let kept = try await harness.openShownThread(in: forum.id, title: "Le train le soir")
            let duplicate = try await harness.openShownThread(in: forum.id, title: "Des trains le soir", by: ForumHarness.otherCitizen)
            _ = try await harness.rpc.request(ReactToForumPost(postID: duplicate.id, accountID: UUID(), reaction: .agree))
            let otherForum = try await harness.openForum(ForumHarness.draft(title: "Un autre forum"))
            let elsewhere = try await harness.openShownThread(in: otherForum.id, title: "Ailleurs")

            // act
            let acrossForums = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(MergeForumThreads(duplicateThreadID: duplicate.threadID, intoThreadID: elsewhere.threadID, staffID: staff.id, staffName: staff.name))
            }
            let merged = try await harness.rpc.request(MergeForumThreads(
                duplicateThreadID: duplicate.threadID, intoThreadID: kept.threadID, staffID: staff.id, staffName: staff.name
            ))
            let oldLink = try await harness.rpc.request(GetForumThread(threadID: duplicate.threadID))
            let moved = try await harness.rpc.request(LocateForumPost(postID: duplicate.id))
            let page = try await harness.rpc.request(GetForumThread(threadID: kept.threadID))
            let list = try await harness.rpc.request(GetForum(forumID: forum.id))

            // check
            #expect(acrossForums?.field == "into")
            #expect(merged.id == kept.threadID && merged.postCount == 2 && merged.reactionCount == 1)
            #expect(oldLink.thread.mergedInto == kept.threadID && oldLink.posts.isEmpty)
            #expect(moved.post.threadID == kept.threadID && moved.page == 1)
            #expect(page.posts.map(\.id) == [kept.id, duplicate.id])
            #expect(page.posts.last?.authorAccountID == ForumHarness.otherCitizen.accountID)
            #expect(page.posts.last?.reactions.agree == 1)
            #expect(list.threads.map(\.title) == ["Le train le soir"])
            #expect(try await harness.texts("SELECT action FROM consultations.staff_audit WHERE action = 'forum.threads_merged'") == ["forum.threads_merged"])
        }
    }

    @Test func aPinnedPostLeadsItsThread() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup
            let forum = try await harness.openForum()
            let opening = try await harness.openShownThread(in: forum.id)
            let reply = try await harness.rpc.request(ReplyInForumThread(threadID: opening.threadID, body: "La bonne idée", author: ForumHarness.otherCitizen))
            try await harness.publish(reply.id)

            // act
            let pinned = try await harness.rpc.request(PinForumPost(postID: reply.id, pinned: true, staffID: staff.id, staffName: staff.name))
            let page = try await harness.rpc.request(GetForumThread(threadID: opening.threadID))
            _ = try await harness.rpc.request(PinForumPost(postID: reply.id, pinned: false, staffID: staff.id, staffName: staff.name))
            let after = try await harness.rpc.request(GetForumThread(threadID: opening.threadID))

            // check
            #expect(pinned.pinned)
            #expect(page.pinned.map(\.id) == [reply.id])
            #expect(after.pinned.isEmpty)
            #expect(try await harness.texts("SELECT action FROM consultations.staff_audit WHERE object_type = 'forum_post' ORDER BY id") == ["forum.post_pinned", "forum.post_unpinned"])
        }
    }

    @Test func theForumsConclusionWaitsForItsEnd() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup
            let forum = try await harness.openForum()

            // act
            let early = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(ConcludeForum(forumID: forum.id, conclusion: "Trois idées fortes ressortent.", staffID: staff.id, staffName: staff.name))
            }
            try await Probe.on(harness.database) { probe in
                try await probe.execute("UPDATE consultations.forums SET opens_at = now() - interval '2 days', closes_at = now() - interval '1 day' WHERE id = \(forum.id)")
            }
            let empty = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(ConcludeForum(forumID: forum.id, conclusion: "", staffID: staff.id, staffName: staff.name))
            }
            let concluded = try await harness.rpc.request(ConcludeForum(forumID: forum.id, conclusion: "Trois idées fortes ressortent.", staffID: staff.id, staffName: staff.name))

            // check
            #expect(early?.code == .conflict && early?.field == "conclusion")
            #expect(empty?.code == .invalid)
            #expect(concluded.conclusion == "Trois idées fortes ressortent.")
            #expect(try await harness.texts("SELECT action FROM consultations.staff_audit ORDER BY id") == ["forum.opened", "forum.concluded"])
        }
    }
}
