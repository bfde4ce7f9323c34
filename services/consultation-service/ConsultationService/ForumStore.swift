import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Storage

/// Forums as staff open them, and the job that closes them at their closing date.
struct ForumStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    static let notFound = RequestFailure(code: .notFound, message: "Ce forum n'existe pas.")

    /// Opens a forum: stored, audited and announced (`forum.opened`) in one transaction.
    func open(_ request: OpenForum) async throws -> ForumView {
        let draft = request.draft
        if let problem = draft.problems.first { throw problem }
        let id = UUID()
        return try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO forums AS f (id, title, theme, question, description, opens_at, closes_at, moderation_mode, created_by, created_by_name)
                VALUES (\(id), \(draft.title), \(draft.theme), \(draft.question), \(draft.description), \(draft.opensAt), \(draft.closesAt),
                        \(draft.moderationMode.rawValue), \(request.staffID), \(request.staffName))
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let forum = try await Self.first(rows) else { throw RequestFailure(code: .internal, message: "the forum was not stored") }
            try await StaffAudit.record(
                "forum.opened", by: request.staffID, named: request.staffName, objectType: "forum", objectID: id.uuidString.lowercased(),
                details: ["title": forum.title, "moderation_mode": forum.moderationMode.rawValue],
                service: ConsultationService.name, on: connection, logger: logger
            )
            try await Outbox.enqueue(
                ForumOpened(
                    forumID: id, title: forum.title, theme: forum.theme, question: forum.question, opensAt: forum.opensAt,
                    closesAt: forum.closesAt, moderationMode: forum.moderationMode, openedAt: forum.createdAt
                ),
                on: connection, logger: logger
            )
            return forum
        }
    }

    /// The latest opening first; the public list leaves out forums still to open.
    func list(_ request: ListForums) async throws -> ForumList {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM forums f
            WHERE \(request.includeUpcoming) OR f.opens_at <= now()
            ORDER BY f.opens_at DESC, f.id
            LIMIT 200
            """,
            logger: logger
        )
        var items: [ForumView] = []
        for try await row in rows.decode(Row.self) { items.append(Self.view(row)) }
        return ForumList(items: items)
    }

    /// The forum and its shown threads, the latest active first.
    func page(_ request: GetForum) async throws -> ForumPage {
        let forum = try await forum(request.forumID, includeUpcoming: request.includeUpcoming)
        let rows = try await client.query(
            """
            SELECT t.id, t.title, t.author_name, t.status, t.created_at, t.last_activity_at,
                   (SELECT count(*) FROM forum_posts p WHERE p.thread_id = t.id AND p.visible)::integer, t.reaction_count
            FROM forum_threads t JOIN forum_posts opening ON opening.id = t.opening_post_id
            WHERE t.forum_id = \(forum.id) AND opening.visible AND t.merged_into IS NULL
            ORDER BY \(unescaped: Self.ordering(request.order)), t.id
            LIMIT 500
            """,
            logger: logger
        )
        var threads: [ForumThreadSummary] = []
        for try await (id, title, author, status, created, activity, count, reactions) in rows.decode((UUID, String, String?, String, Date, Date, Int, Int).self) {
            threads.append(ForumThreadSummary(
                id: id, title: title, authorName: author, status: ForumThreadStatus(rawValue: status) ?? .open, postCount: count,
                reactionCount: reactions, createdAt: created, lastActivityAt: activity
            ))
        }
        return ForumPage(forum: forum, threads: threads)
    }

    /// The `ORDER BY` of each order: fixed text, never the request's.
    static func ordering(_ order: ForumThreadOrder) -> String {
        switch order {
        case .activity: "t.last_activity_at DESC"
        case .reactions: "t.reaction_count DESC, t.last_activity_at DESC"
        case .newest: "t.created_at DESC"
        }
    }

    func forum(_ id: UUID, includeUpcoming: Bool) async throws -> ForumView {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.columns) FROM forums f WHERE f.id = \(id) AND (\(includeUpcoming) OR f.opens_at <= now())",
            logger: logger
        )
        guard let forum = try await Self.first(rows) else { throw Self.notFound }
        return forum
    }

    /// Closes the open forums past their closing date (`forum.closed`, in the same transaction).
    @discardableResult
    func closeEnded() async throws -> Int {
        let closed = try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE forums SET status = 'closed', closed_at = now()
                WHERE status = 'open' AND closes_at <= now()
                RETURNING id, title, closed_at
                """,
                logger: logger
            )
            var events: [ForumClosed] = []
            for try await (id, title, closedAt) in rows.decode((UUID, String, Date).self) {
                events.append(ForumClosed(forumID: id, title: title, closedAt: closedAt))
            }
            try await Outbox.enqueue(all: events, on: connection, logger: logger)
            return events.count
        }
        if closed > 0 { logger.info("forums closed at their closing date", metadata: ["count": "\(closed)"]) }
        return closed
    }

    /// The columns of a `ForumView`, from `forums f`.
    static let columns = """
        f.id, f.title, f.theme, f.question, f.description, f.opens_at, f.closes_at, f.moderation_mode, f.status,
        (SELECT count(*) FROM forum_threads t JOIN forum_posts p ON p.id = t.opening_post_id
         WHERE t.forum_id = f.id AND p.visible AND t.merged_into IS NULL)::integer,
        f.created_at, f.conclusion
        """

    typealias Row = (UUID, String, String, String, String, Date, Date, String, String, Int, Date, String?)

    static func view(_ row: Row) -> ForumView {
        ForumView(
            id: row.0, title: row.1, theme: row.2, question: row.3, description: row.4, opensAt: row.5, closesAt: row.6,
            moderationMode: ForumModerationMode(rawValue: row.7) ?? .beforePublication, status: ForumStatus(rawValue: row.8) ?? .closed,
            threadCount: row.9, createdAt: row.10, conclusion: row.11
        )
    }

    static func first(_ rows: PostgresRowSequence) async throws -> ForumView? {
        for try await row in rows.decode(Row.self) { return view(row) }
        return nil
    }
}
