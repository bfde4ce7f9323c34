import DialogueContracts
import Foundation
import Logging
import PostgresNIO

/// The audit log of decisions: every change of an item, by whom or which rule, before and after.
enum ModerationLog {
    struct Moderator: Sendable {
        let id: UUID
        let name: String
    }

    struct Change: Sendable {
        let itemID: UUID
        let before: ModerationStatus?
        let after: ModerationStatus
        let visible: Bool
        let reason: ModerationReason?
        let comment: String?
        /// The staff member, or nil for a rule.
        let moderator: Moderator?
        let rule: AutomaticRule?
    }

    static func record(_ change: Change, on connection: PostgresConnection, logger: Logger) async throws {
        let name = change.moderator?.name ?? change.rule?.frenchName ?? "Règle automatique"
        try await connection.query(
            """
            INSERT INTO decisions (item_id, before_status, after_status, visible_after, reason_code, reason_label, comment,
                                   decided_by, decided_by_name, rule)
            VALUES (\(change.itemID), \(change.before?.rawValue), \(change.after.rawValue), \(change.visible), \(change.reason?.code),
                    \(change.reason?.label), \(change.comment), \(change.moderator?.id), \(name), \(change.rule?.rawValue))
            """,
            logger: logger
        )
    }

    /// An item's history, oldest first.
    static func history(of itemID: UUID, client: PostgresClient, logger: Logger) async throws -> [ModerationDecisionRecord] {
        let rows = try await client.query(
            """
            SELECT before_status, after_status, visible_after, reason_label, comment, decided_by_name, decided_at
            FROM decisions WHERE item_id = \(itemID) ORDER BY sequence
            """,
            logger: logger
        )
        var records: [ModerationDecisionRecord] = []
        for try await (before, after, visible, reason, comment, by, at) in rows.decode((String?, String, Bool, String?, String?, String, Date).self) {
            records.append(ModerationDecisionRecord(
                itemID: itemID, before: before.flatMap(ModerationStatus.init(rawValue:)), after: ModerationStatus(rawValue: after) ?? .pending,
                visibleAfter: visible, reasonLabel: reason, comment: comment, decidedBy: by, decidedAt: at
            ))
        }
        return records
    }

    /// The whole log, newest first, a page at a time.
    static func page(_ request: ListModerationDecisions, client: PostgresClient, logger: Logger) async throws -> ModerationDecisionLog {
        let limit = min(max(request.limit, 1), 200)
        let rows = try await client.query(
            """
            SELECT d.sequence, d.item_id, d.before_status, d.after_status, d.visible_after, d.reason_label, d.comment,
                   d.decided_by_name, d.decided_at, i.content_type, i.title
            FROM decisions d JOIN items i ON i.id = d.item_id
            WHERE \(request.before)::int8 IS NULL OR d.sequence < \(request.before)
            ORDER BY d.sequence DESC
            LIMIT \(limit)
            """,
            logger: logger
        )
        var entries: [ModerationDecisionLog.Entry] = []
        for try await row in rows.decode((Int, UUID, String?, String, Bool, String?, String?, String, Date, String, String?).self) {
            let record = ModerationDecisionRecord(
                itemID: row.1, before: row.2.flatMap(ModerationStatus.init(rawValue:)), after: ModerationStatus(rawValue: row.3) ?? .pending,
                visibleAfter: row.4, reasonLabel: row.5, comment: row.6, decidedBy: row.7, decidedAt: row.8
            )
            entries.append(ModerationDecisionLog.Entry(
                sequence: row.0, record: record, contentType: ContentType(rawValue: row.9) ?? .petition, title: row.10
            ))
        }
        return ModerationDecisionLog(entries: entries, next: entries.count == limit ? entries.last?.sequence : nil)
    }
}
