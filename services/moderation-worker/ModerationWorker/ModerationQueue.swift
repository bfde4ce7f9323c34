import DialogueContracts
import Foundation
import Logging
import PostgresNIO

/// Reads the queue and the items for the back-office.
struct ModerationQueue: Sendable {
    let client: PostgresClient
    let logger: Logger

    private typealias SummaryRow = (UUID, String, String?, String, String?, UUID?, String, Bool, Int, Int, Date, Int)

    /// Oldest first; keyset pagination on (submitted_at, id), so a page stays fast and
    /// stable however many items wait and however many are decided meanwhile. The filters
    /// are written once: the page and the total are read from the same matching set, and
    /// the total comes back even when the page is empty.
    func list(_ request: ListModerationItems) async throws -> ModerationItemPage {
        let limit = min(max(request.limit, 1), 100)
        let type = request.contentType?.rawValue
        let waitingHours = request.waitingHours.map(Double.init)
        let rows = try await client.query(
            """
            WITH matching AS (
                SELECT * FROM items
                WHERE status = \(request.status.rawValue)
                  AND (\(type)::text IS NULL OR content_type = \(type))
                  AND (\(request.consultationID)::uuid IS NULL OR consultation_id = \(request.consultationID))
                  AND (\(request.minimumScore)::int8 IS NULL OR score >= \(request.minimumScore))
                  AND (\(waitingHours)::float8 IS NULL OR submitted_at <= now() - make_interval(hours => \(waitingHours)::int))
                  AND (NOT \(request.flaggedOnly) OR flag_count > 0)
            )
            SELECT (SELECT count(*) FROM matching)::int8, page.*
            FROM (SELECT 1) AS one LEFT JOIN LATERAL (
                SELECT id, content_type, title, left(body, 240), author_name, consultation_id, status, visible, score, flag_count,
                       submitted_at, revision
                FROM matching
                WHERE \(request.after)::uuid IS NULL
                   OR (submitted_at, id) > (SELECT submitted_at, id FROM items WHERE id = \(request.after))
                ORDER BY submitted_at, id
                LIMIT \(limit + 1)
            ) AS page ON true
            """,
            logger: logger
        )
        var total = 0
        var items: [ModerationItemSummary] = []
        for try await row in rows.decode((Int, UUID?, String?, String?, String?, String?, UUID?, String?, Bool?, Int?, Int?, Date?, Int?).self) {
            total = row.0
            guard let id = row.1, let type = row.2, let excerpt = row.4, let status = row.7, let visible = row.8, let score = row.9,
                  let flags = row.10, let submittedAt = row.11, let revision = row.12
            else { continue }  // the empty page's single row
            if let summary = Self.summary((id, type, row.3, excerpt, row.5, row.6, status, visible, score, flags, submittedAt, revision)) {
                items.append(summary)
            }
        }
        let next = items.count > limit ? items[limit - 1].id : nil
        return ModerationItemPage(items: Array(items.prefix(limit)), next: next, total: total)
    }

    func item(_ id: UUID) async throws -> ModerationItemDetail {
        let rows = try await client.query(
            """
            SELECT i.id, i.content_type, i.title, left(i.body, 240), i.author_name, i.consultation_id, i.status, i.visible, i.score,
                   i.flag_count, i.submitted_at, i.revision, i.body, i.author_account_id, i.public_path, i.findings::text,
                   b.account_id IS NOT NULL
            FROM items i LEFT JOIN blocked_accounts b ON b.account_id = i.author_account_id
            WHERE i.id = \(id)
            """,
            logger: logger
        )
        for try await row in rows.decode((UUID, String, String?, String, String?, UUID?, String, Bool, Int, Int, Date, Int, String, UUID?, String?, String, Bool).self) {
            guard let summary = Self.summary((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11)) else { break }
            let findings = (try? MessageCoding.decode([ModerationFinding].self, from: Array(row.15.utf8))) ?? []
            return ModerationItemDetail(
                summary: summary, text: row.12, authorAccountID: row.13, authorBlocked: row.16, publicPath: row.14,
                findings: findings.sorted { $0.score > $1.score }, flags: try await flags(of: id),
                history: try await ModerationLog.history(of: id, client: client, logger: logger)
            )
        }
        throw RequestFailure(code: .notFound, message: "Cet élément n'existe pas.")
    }

    private func flags(of id: UUID) async throws -> [ModerationFlagView] {
        let rows = try await client.query(
            """
            SELECT r.label, f.comment, f.flagged_at FROM flags f JOIN reasons r ON r.code = f.reason_code
            WHERE f.item_id = \(id) ORDER BY f.flagged_at
            """,
            logger: logger
        )
        var flags: [ModerationFlagView] = []
        for try await (label, comment, at) in rows.decode((String, String?, Date).self) {
            flags.append(ModerationFlagView(reasonLabel: label, comment: comment, flaggedAt: at))
        }
        return flags
    }

    private static func summary(_ row: SummaryRow) -> ModerationItemSummary? {
        guard let type = ContentType(rawValue: row.1), let status = ModerationStatus(rawValue: row.6) else { return nil }
        return ModerationItemSummary(
            id: row.0, contentType: type, title: row.2, excerpt: row.3, authorName: row.4, consultationID: row.5, status: status,
            visible: row.7, score: row.8, flagCount: row.9, submittedAt: row.10, revision: row.11
        )
    }
}
