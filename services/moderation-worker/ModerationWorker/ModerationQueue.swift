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
        var detail = try await client.withConnection { connection -> ModerationItemDetail in
            let rows = try await connection.query(
                """
                SELECT i.id, i.content_type, i.title, left(i.body, 240), i.author_name, i.consultation_id, i.status, i.visible, i.score,
                       i.flag_count, i.submitted_at, i.revision, i.body, i.author_account_id, i.public_path, i.findings::text,
                       b.account_id IS NOT NULL, i.held_by_flags
                FROM items i LEFT JOIN blocked_accounts b ON b.account_id = i.author_account_id
                WHERE i.id = \(id)
                """,
                logger: logger
            )
            for try await row in rows.decode((UUID, String, String?, String, String?, UUID?, String, Bool, Int, Int, Date, Int, String, UUID?, String?, String, Bool, Bool).self) {
                guard let summary = Self.summary((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11)) else { break }
                let findings = (try? MessageCoding.decode([ModerationFinding].self, from: Array(row.15.utf8))) ?? []
                let policy = try await ModerationSettings.policy(for: summary.contentType, on: connection, logger: logger)
                return ModerationItemDetail(
                    summary: summary, text: row.12, authorAccountID: row.13, authorBlocked: row.16, publicPath: row.14,
                    findings: findings.sorted { $0.score > $1.score }, flags: try await flags(of: id, on: connection),
                    heldByFlags: row.17, flagTally: try await FlagTally.read(id, policy: policy, on: connection, logger: logger),
                    flagSanctions: try await sanctions(of: id, on: connection), history: []
                )
            }
            throw RequestFailure(code: .notFound, message: "Cet élément n'existe pas.")
        }
        detail.history = try await ModerationLog.history(of: id, client: client, logger: logger)
        return detail
    }

    /// The item's flags, oldest first, each with who flagged and whether it counts.
    private func flags(of id: UUID, on connection: PostgresConnection) async throws -> [ModerationFlagView] {
        let rows = try await connection.query(
            """
            SELECT r.label, f.comment, f.flagged_at, f.reporter_key, f.reporter_kind, f.account_id, f.account_created_at, f.ignored, f.counts
            FROM weighed_flags f JOIN reasons r ON r.code = f.reason_code
            WHERE f.item_id = \(id) ORDER BY f.flagged_at, f.reporter_key
            """,
            logger: logger
        )
        var flags: [ModerationFlagView] = []
        for try await row in rows.decode((String, String?, Date, String, String, UUID?, Date?, Bool, Bool).self) {
            flags.append(ModerationFlagView(
                reasonLabel: row.0, comment: row.1, flaggedAt: row.2, reporterKey: row.3,
                reporterKind: FlagReporterKind(rawValue: row.4) ?? .unknown, accountID: row.5, accountCreatedAt: row.6,
                ignored: row.7, counts: row.8
            ))
        }
        return flags
    }

    /// The sanctions of the item's reporters, oldest first.
    private func sanctions(of id: UUID, on connection: PostgresConnection) async throws -> [FlagSanctionRecord] {
        let rows = try await connection.query(
            """
            SELECT s.reporter_key, s.action, s.reason, s.decided_by_name, s.decided_at FROM flag_sanctions s
            WHERE s.reporter_key IN (SELECT reporter_key FROM flags WHERE item_id = \(id))
            ORDER BY s.sequence
            """,
            logger: logger
        )
        var records: [FlagSanctionRecord] = []
        for try await (key, action, reason, by, at) in rows.decode((String, String, String, String, Date).self) {
            guard let action = FlagSanctionAction(rawValue: action) else { continue }
            records.append(FlagSanctionRecord(reporterKey: key, action: action, reason: reason, moderatorName: by, at: at))
        }
        return records
    }

    private static func summary(_ row: SummaryRow) -> ModerationItemSummary? {
        guard let type = ContentType(rawValue: row.1), let status = ModerationStatus(rawValue: row.6) else { return nil }
        return ModerationItemSummary(
            id: row.0, contentType: type, title: row.2, excerpt: row.3, authorName: row.4, consultationID: row.5, status: status,
            visible: row.7, score: row.8, flagCount: row.9, submittedAt: row.10, revision: row.11
        )
    }
}
