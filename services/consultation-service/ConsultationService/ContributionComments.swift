public import DialogueContracts
public import Foundation
public import Logging
public import PostgresNIO
import ServiceKit
import Storage

/// Comments on published contributions, with one level of replies: each is stored hidden and
/// sent to moderation with its consultation's policy in one transaction, shown once
/// moderation's decision says so; read a page of top-level comments at a time.
public struct ContributionComments: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func comment(_ request: CommentOnContribution, now: Date = Date()) async throws -> ContributionCommentView {
        if let problem = request.problem { throw problem }
        return try await client.transaction(logger: logger) { connection in
            // Shared lock: the contribution's author withdrawing it meanwhile waits for this comment.
            let rows = try await connection.query(
                """
                SELECT c.consultation_id, k.definition::text
                FROM contributions c JOIN consultations k ON k.id = c.consultation_id
                WHERE c.id = \(request.contributionID) AND c.visible AND c.withdrawn_at IS NULL
                FOR SHARE OF c
                """,
                logger: logger
            )
            var found: (UUID, ConsultationDefinition)?
            for try await (consultationID, document) in rows.decode((UUID, String).self) {
                found = (consultationID, try MessageCoding.decode(ConsultationDefinition.self, from: Array(document.utf8)))
            }
            guard let found else { throw RequestFailure(code: .notFound, message: "Cette contribution n'existe pas.") }
            let (consultationID, consultation) = found
            guard consultation.status(at: now) == .open else {
                throw RequestFailure(code: .conflict, message: "Cette consultation est close : ses contributions ne reçoivent plus de commentaires.")
            }
            let parentID = try await Self.parent(of: request, on: connection, logger: logger)
            let id = UUID()
            let inserted = try await connection.query(
                """
                INSERT INTO contribution_comments (id, contribution_id, parent_id, author_account_id, author_name, body)
                VALUES (\(id), \(request.contributionID), \(parentID), \(request.authorAccountID), \(request.authorName), \(request.body))
                RETURNING created_at
                """,
                logger: logger
            )
            var createdAt = now
            for try await at in inserted.decode(Date.self) { createdAt = at }
            let content = SubmittedContent(
                contentID: id, ownerService: .consultations, title: nil, text: request.body, authorAccountID: request.authorAccountID,
                authorName: request.authorName, consultationID: consultationID, publicPath: SitePath.contribution(request.contributionID).path,
                submittedAt: createdAt, moderationMode: consultation.moderation.moderationMode
            )
            try await Outbox.enqueue(ContributionCommentSubmitted(content: content), on: connection, logger: logger)
            logger.info("contribution commented", metadata: ["comment_id": "\(id)", "reply": "\(parentID != nil)"])
            return ContributionCommentView(
                id: id, contributionID: request.contributionID, parentID: parentID, authorName: request.authorName, body: request.body,
                state: .inModeration, createdAt: createdAt
            )
        }
    }

    /// The comment a reply joins: the one it answers, or — one level only — the comment that one
    /// answers. Only a shown comment of the same contribution is answered.
    static func parent(of request: CommentOnContribution, on connection: PostgresConnection, logger: Logger) async throws -> UUID? {
        guard let answered = request.parentID else { return nil }
        let rows = try await connection.query(
            """
            SELECT coalesce(parent_id, id) FROM contribution_comments
            WHERE id = \(answered) AND contribution_id = \(request.contributionID) AND visible
            """,
            logger: logger
        )
        for try await parent in rows.decode(UUID.self) { return parent }
        throw RequestFailure(code: .notFound, message: "Le commentaire auquel vous répondez n'existe pas ou n'est plus affiché.", field: "parent")
    }

    /// Shown top-level comments, oldest first, a page at a time, each with its shown replies;
    /// the viewer's own comments waiting for moderation are listed for them too.
    public func list(_ request: ListContributionComments) async throws -> ContributionCommentPage {
        let page = max(1, min(request.page, 10_000))
        let size = ListContributionComments.pageSize
        let viewer = request.viewerAccountID
        let tops = try await client.query(
            """
            SELECT id, author_name, body, visible, moderation_status, created_at, count(*) OVER ()::integer
            FROM contribution_comments
            WHERE contribution_id = \(request.contributionID) AND parent_id IS NULL AND (visible OR author_account_id = \(viewer))
            ORDER BY created_at, id
            LIMIT \(size) OFFSET \((page - 1) * size)
            """,
            logger: logger
        )
        var items: [ContributionCommentView] = []
        var total = 0
        for try await row in tops.decode((UUID, String?, String, Bool, String, Date, Int).self) {
            items.append(ContributionCommentView(
                id: row.0, contributionID: request.contributionID, parentID: nil, authorName: row.1, body: row.2,
                state: Self.state(visible: row.3, moderation: row.4), createdAt: row.5
            ))
            total = row.6
        }
        if items.isEmpty && page > 1 {
            total = try await client.query(
                """
                SELECT count(*)::integer FROM contribution_comments
                WHERE contribution_id = \(request.contributionID) AND parent_id IS NULL AND (visible OR author_account_id = \(viewer))
                """,
                logger: logger
            ).decode(Int.self).reduce(0) { $0 + $1 }
        }
        let replies = try await client.query(
            """
            SELECT id, parent_id, author_name, body, visible, moderation_status, created_at FROM contribution_comments
            WHERE parent_id = ANY(\(items.map(\.id))) AND (visible OR author_account_id = \(viewer))
            ORDER BY created_at, id
            """,
            logger: logger
        )
        var byParent: [UUID: [ContributionCommentView]] = [:]
        for try await row in replies.decode((UUID, UUID, String?, String, Bool, String, Date).self) {
            byParent[row.1, default: []].append(ContributionCommentView(
                id: row.0, contributionID: request.contributionID, parentID: row.1, authorName: row.2, body: row.3,
                state: Self.state(visible: row.4, moderation: row.5), createdAt: row.6
            ))
        }
        for index in items.indices { items[index].replies = byParent[items[index].id] ?? [] }
        return ContributionCommentPage(items: items, total: total, page: page)
    }

    static func state(visible: Bool, moderation: String) -> ContributionState {
        if visible { return .published }
        return moderation == ModerationStatus.pending.rawValue ? .inModeration : .hidden
    }

    /// Applies moderation's decision on a comment: visibility follows every decision newer than
    /// the last one applied; the first time one is shown, `contribution.commented` is queued.
    static func apply(_ decision: ModerationDecisionMade, on connection: PostgresConnection, logger: Logger) async throws {
        guard decision.ownerService == .consultations, decision.contentType == .contributionComment else { return }
        let rows = try await connection.query(
            """
            UPDATE contribution_comments SET
                visible = \(decision.visible),
                moderation_status = \(decision.status.rawValue),
                moderation_revision = \(decision.revision),
                published_at = CASE WHEN \(decision.visible) THEN coalesce(published_at, now()) ELSE published_at END
            FROM (SELECT id, published_at IS NULL AS unpublished FROM contribution_comments WHERE id = \(decision.contentID) FOR UPDATE) AS before
            WHERE contribution_comments.id = before.id AND moderation_revision < \(decision.revision)
            RETURNING before.unpublished AND contribution_comments.published_at IS NOT NULL, contribution_id, parent_id, body,
                contribution_comments.published_at, (SELECT consultation_id FROM contributions c WHERE c.id = contribution_comments.contribution_id)
            """,
            logger: logger
        )
        for try await row in rows.decode((Bool, UUID, UUID?, String, Date?, UUID).self) {
            guard row.0, let publishedAt = row.4 else { continue }
            try await Outbox.enqueue(
                ContributionCommented(
                    commentID: decision.contentID, contributionID: row.1, consultationID: row.5, parentID: row.2, text: row.3, publishedAt: publishedAt
                ),
                on: connection, logger: logger
            )
        }
    }
}
