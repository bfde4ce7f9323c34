import ConsultationService
import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Reactions to posts and the order of threads, against the real service, database and broker.
@Suite struct ForumReactionTests {
    @Test func parallelReactionsOfOnePersonLeaveOneAndItStaysChangeable() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup
            let forum = try await harness.openForum()
            let post = try await harness.openShownThread(in: forum.id)
            let person = UUID()

            // act: the same person sends ten reactions at once, then changes their mind
            try await withThrowingTaskGroup(of: ForumReactionCounts.self) { group in
                for _ in 0..<10 {
                    group.addTask { try await harness.rpc.request(ReactToForumPost(postID: post.id, accountID: person, reaction: .agree)) }
                }
                for try await _ in group {}
            }
            let changed = try await harness.rpc.request(ReactToForumPost(postID: post.id, accountID: person, reaction: .disagree))
            let again = try await harness.rpc.request(ReactToForumPost(postID: post.id, accountID: person, reaction: .disagree))
            let page = try await harness.rpc.request(GetForumThread(threadID: post.threadID, viewerAccountID: person))

            // check
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.forum_reactions") == 1)
            #expect(changed == ForumReactionCounts(agree: 0, disagree: 1, pass: 0, mine: .disagree))
            #expect(again == changed)
            #expect(page.posts.first?.reactions == changed)
            #expect(page.thread.reactionCount == 1)
            // one event for the first reaction, one for the change, none for the repeats
            let events = try await harness.outbox(ForumPostReacted.self)
            #expect(events.map(\.reaction) == [.agree, .disagree])
            #expect(events.map(\.previous) == [nil, .agree])
            #expect(events.allSatisfy { $0.accountID == person && $0.threadID == post.threadID && $0.forumID == forum.id })
        }
    }

    @Test func theAuthorReactsToTheirOwnPostOnceLikeAnyone() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup
            let forum = try await harness.openForum()
            let post = try await harness.openShownThread(in: forum.id)
            let author = ForumHarness.citizen.accountID

            // act
            _ = try await harness.rpc.request(ReactToForumPost(postID: post.id, accountID: author, reaction: .agree))
            _ = try await harness.rpc.request(ReactToForumPost(postID: post.id, accountID: author, reaction: .agree))
            let counts = try await harness.rpc.request(ReactToForumPost(postID: post.id, accountID: UUID(), reaction: .pass))

            // check
            #expect(counts == ForumReactionCounts(agree: 1, disagree: 0, pass: 1, mine: .pass))
        }
    }

    @Test func reactionsAreRefusedOnHiddenPostsAndInAClosedForum() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup
            let forum = try await harness.openForum()
            let shown = try await harness.openShownThread(in: forum.id)
            let waiting = try await harness.rpc.request(ReplyInForumThread(threadID: shown.threadID, body: "Pas encore relu", author: ForumHarness.citizen))

            // act
            let hidden = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(ReactToForumPost(postID: waiting.id, accountID: UUID(), reaction: .agree))
            }
            try await Probe.on(harness.database) { probe in
                try await probe.execute("UPDATE consultations.forums SET opens_at = now() - interval '2 days', closes_at = now() - interval '1 day' WHERE id = \(forum.id)")
            }
            let closed = await #expect(throws: RequestFailure.self) {
                try await harness.rpc.request(ReactToForumPost(postID: shown.id, accountID: UUID(), reaction: .agree))
            }

            // check
            #expect(hidden?.code == .notFound)
            #expect(closed?.code == .conflict && closed?.field == "forum")
            #expect(try await harness.int("SELECT count(*)::integer FROM consultations.forum_reactions") == 0)
        }
    }

    @Test func threadsSortByActivityReactionsOrNewest() async throws {
        try await withForums { (harness: ForumHarness) async throws in
            // setup: three threads opened in turn; the first gets two reactions, the second the latest reply
            let forum = try await harness.openForum()
            let first = try await harness.openShownThread(in: forum.id, title: "Premier fil")
            let second = try await harness.openShownThread(in: forum.id, title: "Deuxième fil")
            let third = try await harness.openShownThread(in: forum.id, title: "Troisième fil")
            for _ in 0..<2 { _ = try await harness.rpc.request(ReactToForumPost(postID: first.id, accountID: UUID(), reaction: .agree)) }
            let reply = try await harness.rpc.request(ReplyInForumThread(threadID: second.threadID, body: "Une réponse", author: ForumHarness.otherCitizen))
            try await harness.publish(reply.id)

            // act
            func titles(_ order: ForumThreadOrder) async throws -> [String] {
                try await harness.rpc.request(GetForum(forumID: forum.id, order: order)).threads.map(\.title)
            }

            // check
            #expect(try await titles(.activity) == ["Deuxième fil", "Troisième fil", "Premier fil"])
            #expect(try await titles(.reactions) == ["Premier fil", "Deuxième fil", "Troisième fil"])
            #expect(try await titles(.newest) == ["Troisième fil", "Deuxième fil", "Premier fil"])
            _ = third
        }
    }
}
