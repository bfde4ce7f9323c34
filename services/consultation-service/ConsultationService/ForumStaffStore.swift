import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Storage

/// Staff actions in a running forum: pinning, closing a thread with its conclusion, merging
/// duplicates, concluding the forum. Each is audited in its own transaction (`StaffAudit`).
struct ForumStaffStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    func pin(_ request: PinForumPost) async throws -> ForumPostView {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE forum_posts p SET pinned = \(request.pinned)
                WHERE p.id = \(request.postID) AND p.visible
                  AND (SELECT merged_into FROM forum_threads WHERE id = p.thread_id) IS NULL
                RETURNING \(unescaped: ForumThreadStore.postColumns)
                """,
                logger: logger
            )
            guard let post = try await ForumThreadStore.firstPost(rows) else { throw ForumThreadStore.postNotFound }
            try await audit(request.pinned ? "forum.post_pinned" : "forum.post_unpinned", request.staffID, request.staffName, "forum_post", post.id, [:], connection)
            return post
        }
    }

    func close(_ request: CloseForumThread) async throws -> ForumThreadSummary {
        if let problem = ForumConclusionRules.problem(request.conclusion) { throw problem }
        try await client.transaction(logger: logger) { connection in
            // Waits for the posts being written in it (they share-lock the thread), then refuses the next ones.
            let rows = try await connection.query(
                """
                UPDATE forum_threads SET status = 'closed', conclusion = \(request.conclusion), closed_at = now()
                WHERE id = \(request.threadID) AND merged_into IS NULL
                RETURNING status
                """,
                logger: logger
            )
            var found = false
            for try await _ in rows.decode(String.self) { found = true }
            guard found else { throw ForumThreadStore.threadNotFound }
            try await audit("forum.thread_closed", request.staffID, request.staffName, "forum_thread", request.threadID, ["conclusion": request.conclusion], connection)
        }
        return try await ForumThreadStore(client: client, logger: logger).page(GetForumThread(threadID: request.threadID)).thread
    }

    func merge(_ request: MergeForumThreads) async throws -> ForumThreadSummary {
        guard request.duplicateThreadID != request.intoThreadID else {
            throw RequestFailure(code: .invalid, message: "Choisissez un autre fil que celui-ci.", field: "into")
        }
        try await client.transaction(logger: logger) { connection in
            // Both threads locked, in a fixed order, so two merges never wait for each other.
            let rows = try await connection.query(
                """
                SELECT id, forum_id FROM forum_threads
                WHERE id IN (\(request.duplicateThreadID), \(request.intoThreadID)) AND merged_into IS NULL
                ORDER BY id FOR UPDATE
                """,
                logger: logger
            )
            var forums: [UUID: UUID] = [:]
            for try await (id, forum) in rows.decode((UUID, UUID).self) { forums[id] = forum }
            guard let from = forums[request.duplicateThreadID] else { throw ForumThreadStore.threadNotFound }
            guard let into = forums[request.intoThreadID], into == from else {
                throw RequestFailure(code: .invalid, message: "Le fil choisi n'est pas dans le même forum.", field: "into")
            }
            // Posts keep their ids, authors, positions and reactions: their stable links find them in the other thread.
            try await connection.query(
                "UPDATE forum_posts SET thread_id = \(request.intoThreadID) WHERE thread_id = \(request.duplicateThreadID)", logger: logger
            )
            try await connection.query(
                """
                UPDATE forum_threads SET
                    reaction_count = reaction_count + (SELECT reaction_count FROM forum_threads WHERE id = \(request.duplicateThreadID)),
                    last_activity_at = greatest(last_activity_at, (SELECT last_activity_at FROM forum_threads WHERE id = \(request.duplicateThreadID)))
                WHERE id = \(request.intoThreadID)
                """,
                logger: logger
            )
            try await connection.query(
                "UPDATE forum_threads SET merged_into = \(request.intoThreadID), reaction_count = 0 WHERE id = \(request.duplicateThreadID)",
                logger: logger
            )
            // Links to a thread merged earlier into the duplicate now lead straight to the other.
            try await connection.query(
                "UPDATE forum_threads SET merged_into = \(request.intoThreadID) WHERE merged_into = \(request.duplicateThreadID)", logger: logger
            )
            try await audit(
                "forum.threads_merged", request.staffID, request.staffName, "forum_thread", request.duplicateThreadID,
                ["into": request.intoThreadID.uuidString.lowercased()], connection
            )
        }
        return try await ForumThreadStore(client: client, logger: logger).page(GetForumThread(threadID: request.intoThreadID)).thread
    }

    func conclude(_ request: ConcludeForum) async throws -> ForumView {
        if let problem = ForumConclusionRules.problem(request.conclusion) { throw problem }
        return try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE forums f SET conclusion = \(request.conclusion), concluded_at = now()
                WHERE f.id = \(request.forumID)
                RETURNING f.closes_at <= now()
                """,
                logger: logger
            )
            var ended: Bool?
            for try await value in rows.decode(Bool.self) { ended = value }
            guard let ended else { throw ForumStore.notFound }
            // Thrown inside the transaction: the conclusion written above rolls back.
            guard ended else {
                throw RequestFailure(code: .conflict, message: "Le forum n'est pas encore terminé : sa conclusion s'écrit après sa clôture.", field: "conclusion")
            }
            try await audit("forum.concluded", request.staffID, request.staffName, "forum", request.forumID, ["conclusion": request.conclusion], connection)
            let forum = try await connection.query("SELECT \(unescaped: ForumStore.columns) FROM forums f WHERE f.id = \(request.forumID)", logger: logger)
            guard let view = try await ForumStore.first(forum) else { throw ForumStore.notFound }
            return view
        }
    }

    private func audit(
        _ action: String, _ staffID: UUID, _ staffName: String, _ objectType: String, _ objectID: UUID, _ details: [String: String],
        _ connection: PostgresConnection
    ) async throws {
        try await StaffAudit.record(
            action, by: staffID, named: staffName, objectType: objectType, objectID: objectID.uuidString.lowercased(), details: details,
            service: ConsultationService.name, on: connection, logger: logger
        )
    }
}
