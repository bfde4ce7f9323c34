public import DialogueContracts
public import Foundation
public import Logging
public import PostgresNIO
import ServiceKit
import Storage

/// Reads and writes contributions: a citizen's submission, checked against its consultation
/// (dates, kinds, themes) and sent to moderation with the consultation's policy in one
/// transaction; moderation's decisions applied; the lists.
public struct ContributionStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func submit(_ request: SubmitContribution, now: Date = Date()) async throws -> ContributionView {
        let draft = request.draft
        return try await client.transaction(logger: logger) { connection in
            // Shared lock: staff changing the dates or themes meanwhile wait for this submission.
            let rows = try await connection.query(
                "SELECT definition::text FROM consultations WHERE id = \(request.consultationID) FOR SHARE", logger: logger
            )
            var found: ConsultationDefinition?
            for try await document in rows.decode(String.self) {
                found = try MessageCoding.decode(ConsultationDefinition.self, from: Array(document.utf8))
            }
            guard let consultation = found else { throw ConsultationStore.notFound }
            switch consultation.status(at: now) {
            case .open: break
            case .upcoming:
                throw RequestFailure(code: .conflict, message: "Cette consultation n'est pas encore ouverte : revenez à partir de son ouverture.")
            case .closed, .resultsPublished:
                throw RequestFailure(code: .conflict, message: "Cette consultation est close : elle ne reçoit plus de contributions.")
            }
            guard consultation.accepted.accepts(draft.kind) else {
                throw RequestFailure(
                    code: .invalid,
                    message: draft.kind == .testimony
                        ? "Cette consultation reçoit seulement des propositions." : "Cette consultation reçoit seulement des témoignages.",
                    field: "kind"
                )
            }
            if let problem = draft.problems.first { throw problem }
            if let problem = request.attachment?.problems.first { throw problem }
            guard let theme = consultation.theme(draft.theme) else {
                throw RequestFailure(code: .invalid, message: "Choisissez une des thématiques de la consultation.", field: "theme")
            }
            let id = UUID()
            let inserted = try await connection.query(
                """
                INSERT INTO contributions (id, consultation_id, kind, theme, theme_label, title, body, reasons, commune, author_account_id,
                                           author_name, author_departement, author_age_band)
                VALUES (\(id), \(request.consultationID), \(draft.kind.rawValue), \(theme.code), \(theme.label), \(draft.title), \(draft.text),
                        \(draft.reasons), \(draft.commune), \(request.authorAccountID), \(request.authorName), \(request.authorDepartement),
                        \(request.authorAgeBand))
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            var created: ContributionView?
            for try await row in inserted.decode(Row.self) { created = try Self.view(row) }
            guard var created else { throw RequestFailure(code: .internal, message: "the contribution was not stored") }
            if let upload = request.attachment {
                created.attachment = try await ContributionAttachments.store(upload, for: id, on: connection, logger: logger)
            }
            let content = SubmittedContent(
                contentID: id, ownerService: .consultations, title: draft.title,
                text: ContributionAttachments.moderatedText(draft.moderatedText, attachment: created.attachment, contributionID: id),
                authorAccountID: request.authorAccountID, authorName: request.authorName, consultationID: request.consultationID,
                publicPath: SitePath.consultation(request.consultationID).path, submittedAt: created.createdAt,
                moderationMode: consultation.moderation.moderationMode
            )
            switch draft.kind {
            case .testimony: try await Outbox.enqueue(TestimonySubmitted(content: content), on: connection, logger: logger)
            case .proposal: try await Outbox.enqueue(ProposalSubmitted(content: content), on: connection, logger: logger)
            }
            let facts = ContributionFacts(
                contributionID: id, consultationID: request.consultationID, kind: draft.kind, theme: theme.code, themeLabel: theme.label,
                title: draft.title, text: draft.text, reasons: draft.reasons, commune: draft.commune, origin: .online,
                authorDepartement: request.authorDepartement, authorAgeBand: request.authorAgeBand
            )
            try await Outbox.enqueue(ContributionReceived(contribution: facts, submittedAt: created.createdAt), on: connection, logger: logger)
            logger.info("contribution submitted", metadata: ["contribution_id": "\(id)", "kind": "\(draft.kind.rawValue)"])
            return created
        }
    }

    /// The consultation's shown contributions (withdrawn ones left out), filtered and sorted,
    /// a page at a time; or one author's own, in any state. With a viewer, each says whether
    /// they support it.
    public func list(_ request: ListContributions) async throws -> ContributionList {
        let limit = min(max(request.limit, 1), ListContributions.maximumLimit)
        let offset = max(request.offset, 0)
        let author = request.authorAccountID
        // Random order: a hash of the visitor's seed and the id, the same on every page for
        // one seed, another for another seed.
        let seed = request.randomSeed ?? ""
        let rows = try await client.query(
            """
            SELECT * FROM (
                SELECT \(unescaped: Self.columns),
                    EXISTS (SELECT 1 FROM contribution_supports s
                            WHERE s.contribution_id = contributions.id AND s.account_id = \(request.viewerAccountID) AND s.withdrawn_at IS NULL)
                        AS supported,
                    count(*) OVER () AS total
                FROM contributions
                WHERE consultation_id = \(request.consultationID)
                  AND (CASE WHEN \(author)::uuid IS NULL THEN visible AND withdrawn_at IS NULL ELSE author_account_id = \(author) END)
                  AND (\(request.theme)::text IS NULL OR theme = \(request.theme))
                  AND (\(request.kind?.rawValue)::text IS NULL OR kind = \(request.kind?.rawValue))
                  AND (\(request.moderationStatus?.rawValue)::text IS NULL OR moderation_status = \(request.moderationStatus?.rawValue))
                  AND (\(request.answerStatus?.rawValue)::text IS NULL OR answer_status = \(request.answerStatus?.rawValue))
            ) AS listed
            ORDER BY
                CASE WHEN \(request.order.rawValue) = 'supports' THEN support_count + paper_support_count END DESC,
                CASE WHEN \(request.order.rawValue) = 'random' THEN md5(\(seed) || id::text) END,
                created_at DESC, id
            LIMIT \(limit) OFFSET \(offset)
            """,
            logger: logger
        )
        var items: [ContributionView] = []
        var total = 0
        for try await row in rows.decode(
            (UUID, UUID, String, String, String, String, String?, String?, String?, Bool, String, Date, Date?, Int, Date?, String?, Bool, String?,
             String?, Int, String?, Bool, Int).self
        ) {
            var view = try Self.view((
                row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11, row.12, row.13, row.14, row.15, row.16, row.17,
                row.18, row.19, row.20
            ))
            view.supportedByViewer = row.21
            items.append(view)
            total = row.22
        }
        return ContributionList(items: items, total: total)
    }
}

extension ContributionStore {
    /// A contribution, with its supports added up from their slots, and whether its author
    /// may still change it (nobody ever supported nor commented it, not withdrawn).
    static let columns = """
        id, consultation_id, kind, theme, title, body, reasons, commune, author_name, visible, moderation_status, created_at, published_at,
        (SELECT coalesce(sum(supports), 0)::integer FROM contribution_support_counts counts WHERE counts.contribution_id = contributions.id)
            AS support_count,
        withdrawn_at, withdrawal_reason,
        withdrawn_at IS NULL AND NOT EXISTS (SELECT 1 FROM contribution_supports s WHERE s.contribution_id = contributions.id)
            AND NOT EXISTS (SELECT 1 FROM contribution_comments cc WHERE cc.contribution_id = contributions.id) AS editable,
        answer::text, collected::text, paper_support_count,
        (SELECT json_build_object('type', a.type, 'filename', a.filename, 'description', a.description, 'byteCount', a.byte_count)::text
         FROM contribution_attachments a WHERE a.contribution_id = contributions.id) AS attachment
        """

    typealias Row = (
        UUID, UUID, String, String, String, String, String?, String?, String?, Bool, String, Date, Date?, Int, Date?, String?, Bool, String?,
        String?, Int, String?
    )

    static func view(_ row: Row) throws -> ContributionView {
        guard let kind = ContributionKind(rawValue: row.2) else {
            throw RequestFailure(code: .internal, message: "contribution \(row.0) has an unknown kind \(row.2)")
        }
        let moderation = ModerationStatus(rawValue: row.10)
        let state: ContributionState =
            if row.14 != nil { .withdrawn } else if row.9 { .published } else if moderation == .pending { .inModeration } else { .hidden }
        return ContributionView(
            id: row.0, consultationID: row.1, kind: kind, theme: row.3, title: row.4, text: row.5, reasons: row.6, commune: row.7,
            authorName: row.8, state: state, moderationStatus: [.retained, .notRetained].contains(moderation) ? moderation : nil,
            createdAt: row.11, publishedAt: row.12, supportCount: row.13, editable: row.16, withdrawalReason: row.15,
            answer: try row.17.map { try MessageCoding.decode(ContributionAnswer.self, from: Array($0.utf8)) },
            collected: try row.18.map { try MessageCoding.decode(OfflineOrigin.self, from: Array($0.utf8)) }, paperSupportCount: row.19,
            attachment: try row.20.map { try MessageCoding.decode(ContributionAttachment.self, from: Array($0.utf8)) }
        )
    }

    /// Applies moderation's decision on a testimony or a proposal (decisions on other content
    /// are not ours): visibility follows every decision; the first time one is shown,
    /// `contribution.published` is queued. A decision older than the last one applied is ignored.
    static func apply(_ decision: ModerationDecisionMade, on connection: PostgresConnection, logger: Logger) async throws {
        guard decision.ownerService == .consultations, [.testimony, .proposal].contains(decision.contentType) else { return }
        let rows = try await connection.query(
            """
            UPDATE contributions SET
                visible = \(decision.visible),
                moderation_status = \(decision.status.rawValue),
                moderation_reason = \(decision.reasonLabel),
                moderation_revision = \(decision.revision),
                published_at = CASE WHEN \(decision.visible) THEN coalesce(published_at, now()) ELSE published_at END
            FROM (SELECT id, published_at IS NULL AS unpublished FROM contributions WHERE id = \(decision.contentID) FOR UPDATE) AS before
            WHERE contributions.id = before.id AND moderation_revision < \(decision.revision)
            RETURNING before.unpublished AND contributions.published_at IS NOT NULL, contributions.consultation_id, kind, theme, theme_label,
                title, body, reasons, commune, origin, author_departement, author_age_band, contributions.published_at
            """,
            logger: logger
        )
        for try await row in rows.decode((Bool, UUID, String, String, String, String, String, String?, String?, String, String?, String?, Date?).self) {
            guard row.0, let kind = ContributionKind(rawValue: row.2), let publishedAt = row.12 else { continue }
            let facts = ContributionFacts(
                contributionID: decision.contentID, consultationID: row.1, kind: kind, theme: row.3, themeLabel: row.4, title: row.5,
                text: row.6, reasons: row.7, commune: row.8, origin: ContributionOrigin(rawValue: row.9) ?? .online,
                authorDepartement: row.10, authorAgeBand: row.11
            )
            try await Outbox.enqueue(ContributionPublished(contribution: facts, publishedAt: publishedAt), on: connection, logger: logger)
        }
    }
}
