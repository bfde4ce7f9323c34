import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Storage

/// Reactions to posts: one per person and post, changeable; `forum_post.reacted` when one is
/// recorded or changed, and the thread's count kept for ordering threads by reactions.
struct ForumReactionStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    func react(_ request: ReactToForumPost) async throws -> ForumReactionCounts {
        try await client.transaction(logger: logger) { connection in
            // The thread is not share-locked: its reaction count is updated below, and two
            // reactions each holding a share lock while waiting to update would deadlock.
            let target = try await connection.query(
                """
                SELECT p.thread_id, t.forum_id, t.status FROM forum_posts p JOIN forum_threads t ON t.id = p.thread_id
                WHERE p.id = \(request.postID) AND p.visible
                """,
                logger: logger
            )
            var found: (thread: UUID, forum: UUID, status: String)?
            for try await row in target.decode((UUID, UUID, String).self) { found = row }
            guard let found else { throw ForumThreadStore.postNotFound }
            let forum = try await ForumThreadStore.lockForum(found.forum, on: connection, logger: logger)
            try ForumThreadStore.requireTakesPosts(forum)
            guard found.status == ForumThreadStatus.open.rawValue else {
                throw RequestFailure(code: .conflict, message: "Ce fil de discussion est fermé : ses messages ne prennent plus de réaction.", field: "thread")
            }
            // The primary key decides between requests arriving together: one row, the last
            // kind wins; an unchanged reaction returns no row (and announces nothing).
            let rows = try await connection.query(
                """
                WITH earlier AS (SELECT reaction FROM forum_reactions WHERE post_id = \(request.postID) AND account_id = \(request.accountID))
                INSERT INTO forum_reactions AS r (post_id, account_id, reaction)
                VALUES (\(request.postID), \(request.accountID), \(request.reaction.rawValue))
                ON CONFLICT (post_id, account_id) DO UPDATE SET reaction = excluded.reaction, reacted_at = now()
                    WHERE r.reaction <> excluded.reaction
                RETURNING r.reacted_at, (xmax = 0), (SELECT reaction FROM earlier)
                """,
                logger: logger
            )
            for try await (reactedAt, inserted, earlier) in rows.decode((Date, Bool, String?).self) {
                if inserted {
                    try await connection.query(
                        "UPDATE forum_threads SET reaction_count = reaction_count + 1 WHERE id = \(found.thread)", logger: logger
                    )
                }
                try await Outbox.enqueue(
                    ForumPostReacted(
                        postID: request.postID, threadID: found.thread, forumID: found.forum, accountID: request.accountID,
                        reaction: request.reaction, previous: inserted ? nil : earlier.flatMap(ForumReaction.init(rawValue:)), reactedAt: reactedAt
                    ),
                    on: connection, logger: logger
                )
            }
            return try await Self.counts(of: request.postID, for: request.accountID, on: connection, logger: logger)
        }
    }

    static func counts(of post: UUID, for account: UUID?, on connection: PostgresConnection, logger: Logger) async throws -> ForumReactionCounts {
        let rows = try await connection.query(
            """
            SELECT count(*) FILTER (WHERE reaction = 'agree')::integer, count(*) FILTER (WHERE reaction = 'disagree')::integer,
                   count(*) FILTER (WHERE reaction = 'pass')::integer, max(reaction) FILTER (WHERE account_id = \(account))
            FROM forum_reactions WHERE post_id = \(post)
            """,
            logger: logger
        )
        for try await (agree, disagree, pass, mine) in rows.decode((Int, Int, Int, String?).self) {
            return ForumReactionCounts(agree: agree, disagree: disagree, pass: pass, mine: mine.flatMap(ForumReaction.init(rawValue:)))
        }
        return ForumReactionCounts()
    }
}
