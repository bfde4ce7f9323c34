import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Storage

/// Threads and their posts: every post is stored hidden and sent to moderation with its
/// forum's policy in the same transaction; moderation's decisions show or hide it.
struct ForumThreadStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    static let threadNotFound = RequestFailure(code: .notFound, message: "Ce fil de discussion n'existe pas.")
    static let postNotFound = RequestFailure(code: .notFound, message: "Ce message n'existe pas.")

    /// Opens a thread with its first post. Refused, storing nothing, for a forum that does not
    /// take posts (not open yet, or closed) or a text out of bounds.
    func open(_ request: OpenForumThread) async throws -> ForumPostView {
        if let problem = ForumPostRules.titleProblem(request.title) ?? ForumPostRules.bodyProblem(request.body) { throw problem }
        return try await client.transaction(logger: logger) { connection in
            // Share-locked so that closing the forum and posting in it never interleave.
            let forum = try await Self.lockForum(request.forumID, on: connection, logger: logger)
            try Self.requireTakesPosts(forum)
            let (threadID, postID) = (UUID(), UUID())
            try await connection.query(
                """
                INSERT INTO forum_threads (id, forum_id, title, opening_post_id, author_account_id, author_name)
                VALUES (\(threadID), \(forum.id), \(request.title), \(postID), \(request.author.accountID), \(request.author.publicName))
                """,
                logger: logger
            )
            return try await insertPost(
                id: postID, threadID: threadID, forum: forum, parent: nil, quoted: nil, body: request.body, author: request.author,
                title: request.title, on: connection
            )
        }
    }

    /// Replies in a thread; a reply to a reply joins its parent's parent (one level of nesting).
    func reply(_ request: ReplyInForumThread) async throws -> ForumPostView {
        if let problem = ForumPostRules.bodyProblem(request.body) { throw problem }
        return try await client.transaction(logger: logger) { connection in
            let (thread, forum) = try await Self.lockThread(request.threadID, on: connection, logger: logger)
            try Self.requireTakesPosts(forum)
            guard thread.status == .open else {
                throw RequestFailure(code: .conflict, message: "Ce fil de discussion est fermé : il ne prend plus de réponse.", field: "thread")
            }
            var parent: UUID?
            if let parentID = request.parentPostID {
                guard let answered = try await Self.post(parentID, in: thread.id, on: connection, logger: logger), answered.visible else {
                    throw RequestFailure(code: .invalid, message: "Le message auquel vous répondez n'est pas dans ce fil.", field: "parent")
                }
                parent = answered.parentPostID ?? answered.id
            }
            if let quotedID = request.quotedPostID {
                guard let quoted = try await Self.post(quotedID, in: thread.id, on: connection, logger: logger), quoted.visible else {
                    throw RequestFailure(code: .invalid, message: "Le message cité n'est pas dans ce fil.", field: "quote")
                }
            }
            return try await insertPost(
                id: UUID(), threadID: thread.id, forum: forum, parent: parent, quoted: request.quotedPostID, body: request.body,
                author: request.author, title: thread.title, on: connection
            )
        }
    }

    /// The author changes their post within the edit window; the new text goes back to moderation.
    func edit(_ request: EditForumPost) async throws -> ForumPostView {
        if let problem = ForumPostRules.bodyProblem(request.body) { throw problem }
        return try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT thread_id FROM forum_posts WHERE id = \(request.postID) AND author_account_id = \(request.authorAccountID)",
                logger: logger
            )
            var threadID: UUID?
            for try await id in rows.decode(UUID.self) { threadID = id }
            // Someone else's post is as unknown as a missing one.
            guard let threadID else { throw Self.postNotFound }
            // The author may change the opening post of a thread moderation has not shown yet.
            let (thread, forum) = try await Self.lockThread(threadID, shownOnly: false, on: connection, logger: logger)
            try Self.requireTakesPosts(forum)
            guard thread.status == .open else {
                throw RequestFailure(code: .conflict, message: "Ce fil de discussion est fermé : ses messages ne changent plus.", field: "thread")
            }
            guard let current = try await Self.post(request.postID, in: threadID, on: connection, logger: logger) else { throw Self.postNotFound }
            guard current.editableByAuthor() else {
                throw RequestFailure(
                    code: .conflict,
                    message: "Un message se modifie dans les 15 minutes qui suivent son envoi. Pour le corriger, signalez-le à la modération.",
                    field: "body"
                )
            }
            let updated = try await connection.query(
                """
                UPDATE forum_posts AS p SET body = \(request.body), edited_at = now()
                WHERE p.id = \(request.postID)
                RETURNING \(unescaped: Self.postColumns)
                """,
                logger: logger
            )
            guard let post = try await Self.firstPost(updated) else { throw Self.postNotFound }
            try await Outbox.enqueue(Self.submission(of: post, forum: forum, title: thread.title), on: connection, logger: logger)
            return post
        }
    }

    // MARK: Reading

    /// One page of a thread: its top-level posts in order, each followed by its replies.
    func page(_ request: GetForumThread) async throws -> ForumThreadPage {
        let (thread, forum) = try await summary(request.threadID)
        // A merged thread has no post of its own left: its reader is sent to the other one.
        if thread.mergedInto != nil { return ForumThreadPage(forum: forum, thread: thread, posts: [], page: 1, pageCount: 1) }
        let viewer = request.viewerAccountID
        let topLevelCount = try await count(
            "SELECT count(*)::integer FROM forum_posts WHERE thread_id = \(thread.id) AND parent_post_id IS NULL AND (visible OR author_account_id = \(viewer))"
        )
        let pageCount = max(1, (topLevelCount + ForumPostRules.postsPerPage - 1) / ForumPostRules.postsPerPage)
        let page = min(max(request.page, 1), pageCount)
        let rows = try await client.query(
            """
            WITH top AS (
                SELECT id, position FROM forum_posts
                WHERE thread_id = \(thread.id) AND parent_post_id IS NULL AND (visible OR author_account_id = \(viewer))
                ORDER BY position
                OFFSET \((page - 1) * ForumPostRules.postsPerPage) LIMIT \(ForumPostRules.postsPerPage)
            )
            SELECT \(unescaped: Self.postColumns) FROM forum_posts p
            JOIN top ON top.id = coalesce(p.parent_post_id, p.id)
            WHERE p.visible OR p.author_account_id = \(viewer)
            ORDER BY top.position, p.parent_post_id IS NOT NULL, p.position
            """,
            logger: logger
        )
        var posts: [ForumPostView] = []
        for try await row in rows.decode(PostRow.self) { posts.append(Self.postView(row)) }
        let pinnedRows = try await client.query(
            "SELECT \(unescaped: Self.postColumns) FROM forum_posts p WHERE p.thread_id = \(thread.id) AND p.pinned AND p.visible ORDER BY p.position",
            logger: logger
        )
        var pinned: [ForumPostView] = []
        for try await row in pinnedRows.decode(PostRow.self) { pinned.append(Self.postView(row)) }
        let counts = try await reactions(to: posts.map(\.id), viewer: viewer)
        for index in posts.indices { posts[index].reactions = counts[posts[index].id] ?? ForumReactionCounts() }
        return ForumThreadPage(forum: forum, thread: thread, posts: posts, page: page, pageCount: pageCount, pinned: pinned)
    }

    /// The reactions to these posts, and the viewer's own, in one query.
    private func reactions(to posts: [UUID], viewer: UUID?) async throws -> [UUID: ForumReactionCounts] {
        guard !posts.isEmpty else { return [:] }
        let rows = try await client.query(
            """
            SELECT post_id, count(*) FILTER (WHERE reaction = 'agree')::integer, count(*) FILTER (WHERE reaction = 'disagree')::integer,
                   count(*) FILTER (WHERE reaction = 'pass')::integer, max(reaction) FILTER (WHERE account_id = \(viewer))
            FROM forum_reactions WHERE post_id = ANY(\(posts))
            GROUP BY post_id
            """,
            logger: logger
        )
        var counts: [UUID: ForumReactionCounts] = [:]
        for try await (post, agree, disagree, pass, mine) in rows.decode((UUID, Int, Int, Int, String?).self) {
            counts[post] = ForumReactionCounts(agree: agree, disagree: disagree, pass: pass, mine: mine.flatMap(ForumReaction.init(rawValue:)))
        }
        return counts
    }

    /// The post and the page of its thread that shows it now (its top-level post's rank).
    func locate(_ request: LocateForumPost) async throws -> ForumPostLocation {
        let viewer = request.viewerAccountID
        let rows = try await client.query(
            "SELECT \(unescaped: Self.postColumns) FROM forum_posts p WHERE p.id = \(request.postID) AND (p.visible OR p.author_account_id = \(viewer))",
            logger: logger
        )
        guard let post = try await Self.firstPost(rows) else { throw Self.postNotFound }
        _ = try await summary(post.threadID)
        let top = post.parentPostID ?? post.id
        let rank = try await count(
            """
            SELECT count(*)::integer FROM forum_posts
            WHERE thread_id = \(post.threadID) AND parent_post_id IS NULL AND (visible OR author_account_id = \(viewer))
              AND position < (SELECT position FROM forum_posts WHERE id = \(top))
            """
        )
        return ForumPostLocation(post: post, page: ForumPostRules.page(ofTopLevelRank: rank))
    }

    /// The thread (shown while its opening post is) and its forum (open to the public).
    private func summary(_ threadID: UUID) async throws -> (ForumThreadSummary, ForumView) {
        let rows = try await client.query(
            """
            SELECT t.id, t.title, t.author_name, t.status, t.created_at, t.last_activity_at,
                   (SELECT count(*) FROM forum_posts p WHERE p.thread_id = t.id AND p.visible)::integer, t.forum_id, t.reaction_count,
                   t.conclusion, t.merged_into
            FROM forum_threads t JOIN forum_posts opening ON opening.id = t.opening_post_id
            WHERE t.id = \(threadID) AND opening.visible
            """,
            logger: logger
        )
        for try await (id, title, author, status, created, activity, count, forumID, reactions, conclusion, mergedInto)
            in rows.decode((UUID, String, String?, String, Date, Date, Int, UUID, Int, String?, UUID?).self) {
            let forum = try await ForumStore(client: client, logger: logger).forum(forumID, includeUpcoming: false)
            let thread = ForumThreadSummary(
                id: id, title: title, authorName: author, status: ForumThreadStatus(rawValue: status) ?? .open, postCount: count,
                reactionCount: reactions, createdAt: created, lastActivityAt: activity, conclusion: conclusion, mergedInto: mergedInto
            )
            return (thread, forum)
        }
        throw Self.threadNotFound
    }

    private func count(_ query: PostgresQuery) async throws -> Int {
        let rows = try await client.query(query, logger: logger)
        for try await value in rows.decode(Int.self) { return value }
        return 0
    }

    // MARK: Moderation

    /// Applies moderation's decision on a post (other content is not ours here). A decision
    /// older than the last one applied is ignored; the first time a post is shown,
    /// `forum_post.published` goes out and its thread's activity moves.
    static func apply(_ decision: ModerationDecisionMade, on connection: PostgresConnection, logger: Logger) async throws {
        guard decision.contentType == .forumPost else { return }
        let rows = try await connection.query(
            """
            UPDATE forum_posts p SET visible = \(decision.visible), moderation_status = \(decision.status.rawValue),
                moderation_revision = \(decision.revision),
                published_at = CASE WHEN \(decision.visible) THEN coalesce(p.published_at, now()) ELSE p.published_at END
            FROM forum_posts earlier
            WHERE p.id = \(decision.contentID) AND earlier.id = p.id AND p.moderation_revision < \(decision.revision)
            RETURNING p.id, p.thread_id, (SELECT forum_id FROM forum_threads WHERE id = p.thread_id), p.parent_post_id, p.author_account_id,
                      p.published_at, earlier.published_at IS NULL
            """,
            logger: logger
        )
        for try await (id, threadID, forumID, parent, author, publishedAt, wasUnpublished) in rows.decode((UUID, UUID, UUID, UUID?, UUID?, Date?, Bool).self) {
            guard wasUnpublished, let publishedAt else { continue }
            try await connection.query(
                "UPDATE forum_threads SET last_activity_at = greatest(last_activity_at, \(publishedAt)) WHERE id = \(threadID)",
                logger: logger
            )
            try await Outbox.enqueue(
                ForumPostPublished(postID: id, threadID: threadID, forumID: forumID, parentPostID: parent, authorAccountID: author, publishedAt: publishedAt),
                on: connection, logger: logger
            )
        }
    }

    // MARK: Storage

    private func insertPost(
        id: UUID, threadID: UUID, forum: ForumView, parent: UUID?, quoted: UUID?, body: String, author: ForumAuthor, title: String,
        on connection: PostgresConnection
    ) async throws -> ForumPostView {
        let rows = try await connection.query(
            """
            INSERT INTO forum_posts AS p (id, thread_id, parent_post_id, quoted_post_id, author_account_id, author_name, body)
            VALUES (\(id), \(threadID), \(parent), \(quoted), \(author.accountID), \(author.publicName), \(body))
            RETURNING \(unescaped: Self.postColumns)
            """,
            logger: logger
        )
        guard let post = try await Self.firstPost(rows) else { throw RequestFailure(code: .internal, message: "the post was not stored") }
        try await Outbox.enqueue(Self.submission(of: post, forum: forum, title: title), on: connection, logger: logger)
        return post
    }

    /// The post for moderation, with its forum's policy and where it is seen.
    static func submission(of post: ForumPostView, forum: ForumView, title: String) -> ForumPostSubmitted {
        ForumPostSubmitted(content: SubmittedContent(
            contentID: post.id, ownerService: .consultations, title: title, text: post.body, authorAccountID: post.authorAccountID,
            authorName: post.authorName, publicPath: "/forums/messages/\(post.id.uuidString.lowercased())",
            submittedAt: post.editedAt ?? post.createdAt, moderationMode: forum.moderationMode.rawValue
        ))
    }

    static func requireTakesPosts(_ forum: ForumView) throws {
        guard forum.takesPosts() else {
            let message = forum.status == .open && Date() < forum.opensAt
                ? "Ce forum n'est pas encore ouvert : il prendra des messages à partir de son ouverture."
                : "Ce forum est clos : il ne prend plus de message."
            throw RequestFailure(code: .conflict, message: message, field: "forum")
        }
    }

    static func lockForum(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> ForumView {
        let rows = try await connection.query(
            "SELECT \(unescaped: ForumStore.columns) FROM forums f WHERE f.id = \(id) AND f.opens_at <= now() FOR SHARE OF f",
            logger: logger
        )
        guard let forum = try await ForumStore.first(rows) else { throw ForumStore.notFound }
        return forum
    }

    /// The thread (its status and title) and its forum, share-locked: posts do not wait for
    /// each other, but closing either waits for them (and they for it).
    private static func lockThread(
        _ id: UUID, shownOnly: Bool = true, on connection: PostgresConnection, logger: Logger
    ) async throws -> (thread: (id: UUID, title: String, status: ForumThreadStatus), forum: ForumView) {
        let rows = try await connection.query(
            """
            SELECT t.id, t.title, t.status, t.forum_id FROM forum_threads t JOIN forum_posts opening ON opening.id = t.opening_post_id
            WHERE t.id = \(id) AND (opening.visible OR NOT \(shownOnly)) AND t.merged_into IS NULL FOR SHARE OF t
            """,
            logger: logger
        )
        for try await (id, title, status, forumID) in rows.decode((UUID, String, String, UUID).self) {
            let forum = try await lockForum(forumID, on: connection, logger: logger)
            return ((id, title, ForumThreadStatus(rawValue: status) ?? .closed), forum)
        }
        throw threadNotFound
    }

    private static func post(_ id: UUID, in threadID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> ForumPostView? {
        let rows = try await connection.query(
            "SELECT \(unescaped: postColumns) FROM forum_posts p WHERE p.id = \(id) AND p.thread_id = \(threadID)",
            logger: logger
        )
        return try await firstPost(rows)
    }

    /// The columns of a `ForumPostView`, from `forum_posts p`.
    static let postColumns = """
        p.id, p.thread_id, (SELECT forum_id FROM forum_threads WHERE id = p.thread_id), p.parent_post_id, p.quoted_post_id,
        p.author_account_id, p.author_name, p.body, p.visible, p.moderation_status, p.created_at, p.edited_at, p.pinned
        """

    typealias PostRow = (UUID, UUID, UUID, UUID?, UUID?, UUID?, String?, String, Bool, String, Date, Date?, Bool)

    static func postView(_ row: PostRow) -> ForumPostView {
        ForumPostView(
            id: row.0, threadID: row.1, forumID: row.2, parentPostID: row.3, quotedPostID: row.4, authorAccountID: row.5, authorName: row.6,
            body: row.7, visible: row.8, moderationStatus: row.9, createdAt: row.10, editedAt: row.11, pinned: row.12
        )
    }

    static func firstPost(_ rows: PostgresRowSequence) async throws -> ForumPostView? {
        for try await row in rows.decode(PostRow.self) { return postView(row) }
        return nil
    }
}
