import DialogueContracts
import Foundation
import ServiceKit
import Logging
import PostgresNIO
import Storage

/// Moderators' decisions, citizens' flags and account blocks: each change of an item is
/// logged and announced to the owner service in the same transaction.
struct ModerationDecisions: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// The most items one bulk decision takes (a page of the queue is at most 100).
    static let bulkLimit = 200

    /// Decides on each item still at the revision the moderator saw; the others are
    /// reported as conflicts and left as they are.
    func decide(_ request: DecideModeration) async throws -> ModerationDecisionOutcome {
        guard !request.items.isEmpty else {
            throw RequestFailure(code: .invalid, message: "Sélectionnez au moins un élément.", field: "items")
        }
        guard request.items.count <= Self.bulkLimit else {
            throw RequestFailure(code: .invalid, message: "Une décision groupée porte sur \(Self.bulkLimit) éléments au plus.", field: "items")
        }
        guard request.status != .pending else {
            throw RequestFailure(code: .invalid, message: "Choisissez une décision.", field: "status")
        }
        let comment = request.comment?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        guard (comment?.count ?? 0) <= 2000 else {
            throw RequestFailure(code: .invalid, message: "Le commentaire compte 2 000 caractères au plus.", field: "comment")
        }
        let needsReason = request.status == .rejected || request.status == .notRetained
        guard !needsReason || request.reasonCode?.isEmpty == false else {
            throw RequestFailure(code: .invalid, message: "Un rejet ou une non-rétention demande un motif.", field: "reason")
        }
        let moderator = ModerationLog.Moderator(id: request.moderatorID, name: request.moderatorName)
        return try await client.transaction(logger: logger) { connection in
            let reason = try await request.reasonCode.flatMap { $0.isEmpty ? nil : $0 }.asyncMap {
                try await ModerationSettings.reason($0, kind: "decision", on: connection, logger: logger)
            }
            let expected = Dictionary(request.items.map { ($0.itemID, $0.revision) }, uniquingKeysWith: { first, _ in first })
            let current = try await ItemState.lock(Array(expected.keys), on: connection, logger: logger)
            if let missing = expected.keys.first(where: { current[$0] == nil }) {
                throw RequestFailure(code: .notFound, message: "L'élément \(missing.uuidString.lowercased()) n'existe pas.", field: "items")
            }
            var decided: [UUID] = []
            var conflicts: [ModerationConflict] = []
            for (id, revision) in expected.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
                let state = current[id]!
                guard state.revision == revision else {
                    conflicts.append(ModerationConflict(
                        itemID: id, title: state.title, status: state.status, decidedBy: state.decidedByName ?? "une règle automatique",
                        decidedAt: state.decidedAt ?? state.receivedAt
                    ))
                    continue
                }
                try await apply(
                    ModerationLog.Change(
                        itemID: id, before: state.status, after: request.status, visible: request.status.isVisible, reason: reason,
                        comment: comment, moderator: moderator, rule: nil
                    ),
                    to: state, on: connection
                )
                decided.append(id)
            }
            return ModerationDecisionOutcome(decided: decided, conflicts: conflicts)
        }
    }

    /// A citizen's flag: one per person and item. Enough flags since the last moderator
    /// decision hold a visible item hidden until a moderator looks again.
    func flag(_ request: FlagContent) async throws -> FlagOutcome {
        let comment = request.comment?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        guard (comment?.count ?? 0) <= 1000 else {
            throw RequestFailure(code: .invalid, message: "La précision compte 1 000 caractères au plus.", field: "comment")
        }
        return try await client.transaction(logger: logger) { connection in
            let reason = try await ModerationSettings.reason(request.reasonCode, kind: "flag", on: connection, logger: logger)
            guard let state = try await ItemState.lock(contentType: request.contentType, contentID: request.contentID, on: connection, logger: logger) else {
                throw RequestFailure(code: .notFound, message: "Ce contenu n'existe pas ou ne peut pas être signalé.")
            }
            let inserted = try await connection.query(
                """
                INSERT INTO flags (item_id, reporter_key, reason_code, comment) VALUES (\(state.id), \(request.reporterKey), \(reason.code), \(comment))
                ON CONFLICT (item_id, reporter_key) DO NOTHING
                RETURNING item_id
                """,
                logger: logger
            )
            var recorded = false
            for try await _ in inserted { recorded = true }
            guard recorded else { return FlagOutcome(recorded: false) }
            try await connection.query("UPDATE items SET flag_count = flag_count + 1 WHERE id = \(state.id)", logger: logger)

            let policy = try await ModerationSettings.policy(for: request.contentType, on: connection, logger: logger)
            let recent = try await connection.query(
                """
                SELECT count(*)::int8 FROM flags
                WHERE item_id = \(state.id) AND flagged_at > coalesce(\(state.decidedAt), '-infinity'::timestamptz)
                """,
                logger: logger
            )
            var count = 0
            for try await value in recent.decode(Int.self) { count = value }
            if state.visible && count >= policy.flagsToHold {
                try await apply(
                    ModerationLog.Change(
                        itemID: state.id, before: state.status, after: .pending, visible: false, reason: nil,
                        comment: "\(count) signalements", moderator: nil, rule: .flags
                    ),
                    to: state, on: connection
                )
            }
            return FlagOutcome(recorded: true)
        }
    }

    /// Blocks an account: its next submissions are held; its visible items are hidden when
    /// the moderator chooses so (each one logged and announced).
    func block(_ request: BlockAccount) async throws -> BlockOutcome {
        let reason = request.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (3...1000).contains(reason.count) else {
            throw RequestFailure(code: .invalid, message: "Indiquez la raison du blocage (3 à 1 000 caractères).", field: "reason")
        }
        return try await client.transaction(logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO blocked_accounts (account_id, hide_content, reason, blocked_by, blocked_by_name)
                VALUES (\(request.accountID), \(request.hideContent), \(reason), \(request.moderatorID), \(request.moderatorName))
                ON CONFLICT (account_id) DO UPDATE SET hide_content = excluded.hide_content, reason = excluded.reason,
                    blocked_by = excluded.blocked_by, blocked_by_name = excluded.blocked_by_name, blocked_at = now()
                """,
                logger: logger
            )
            guard request.hideContent else { return BlockOutcome(hiddenItems: 0) }
            let ids = try await connection.query(
                "SELECT id FROM items WHERE author_account_id = \(request.accountID) AND visible", logger: logger
            )
            var visible: [UUID] = []
            for try await id in ids.decode(UUID.self) { visible.append(id) }
            let states = try await ItemState.lock(visible, on: connection, logger: logger)
            let moderator = ModerationLog.Moderator(id: request.moderatorID, name: request.moderatorName)
            for state in states.values {
                try await apply(
                    ModerationLog.Change(
                        itemID: state.id, before: state.status, after: state.status, visible: false, reason: nil,
                        comment: "Compte bloqué : \(reason)", moderator: moderator, rule: .blockedAccount
                    ),
                    to: state, on: connection
                )
            }
            return BlockOutcome(hiddenItems: states.count)
        }
    }

    /// Writes a change to the item, logs it and announces it, in the caller's transaction.
    private func apply(_ change: ModerationLog.Change, to state: ItemState, on connection: PostgresConnection) async throws {
        let byModerator = change.moderator != nil && change.rule == nil
        let rows = try await connection.query(
            """
            UPDATE items SET status = \(change.after.rawValue), visible = \(change.visible), revision = revision + 1,
                decided_by = CASE WHEN \(byModerator) THEN \(change.moderator?.id) ELSE decided_by END,
                decided_by_name = \(change.moderator?.name ?? change.rule?.frenchName),
                decided_at = now(), reason_code = \(change.reason?.code), comment = \(change.comment)
            WHERE id = \(state.id)
            RETURNING revision
            """,
            logger: logger
        )
        var revision = state.revision + 1
        for try await value in rows.decode(Int.self) { revision = value }
        try await ModerationLog.record(change, on: connection, logger: logger)
        try await Outbox.enqueue(
            ModerationDecisionMade(
                itemID: state.id, contentType: state.contentType, contentID: state.contentID, ownerService: state.ownerService,
                status: change.after, visible: change.visible, reasonCode: change.reason?.code, reasonLabel: change.reason?.label,
                comment: change.comment, decidedBy: change.moderator?.id, rule: change.rule?.rawValue, decidedAt: Date(),
                revision: revision, authorAccountID: state.authorAccountID, title: state.title
            ),
            on: connection, logger: logger
        )
    }
}

/// An item's state, locked for the transaction that changes it.
struct ItemState: Sendable {
    let id: UUID
    let contentType: ContentType
    let contentID: UUID
    let ownerService: ServiceName
    let status: ModerationStatus
    let visible: Bool
    let revision: Int
    let decidedByName: String?
    let decidedAt: Date?
    let receivedAt: Date
    /// The title, or the start of the text (for conflict messages and the author's mail).
    let title: String
    let authorAccountID: UUID?

    private typealias Row = (UUID, String, UUID, String, String, Bool, Int, String?, Date?, Date, String, UUID?)

    private init?(_ row: Row) {
        guard let type = ContentType(rawValue: row.1), let owner = ServiceName(rawValue: row.3), let status = ModerationStatus(rawValue: row.4) else {
            return nil
        }
        (id, contentType, contentID, ownerService) = (row.0, type, row.2, owner)
        (self.status, visible, revision, decidedByName, decidedAt, receivedAt) = (status, row.5, row.6, row.7, row.8, row.9)
        (title, authorAccountID) = (row.10, row.11)
    }

    static func lock(_ ids: [UUID], on connection: PostgresConnection, logger: Logger) async throws -> [UUID: ItemState] {
        guard !ids.isEmpty else { return [:] }
        // Locked in id order, so two bulk decisions over the same items cannot deadlock.
        let rows = try await connection.query(
            """
            SELECT id, content_type, content_id, owner_service, status, visible, revision, decided_by_name, decided_at, received_at,
                   coalesce(title, left(body, 80)), author_account_id
            FROM items WHERE id = ANY(\(ids)) ORDER BY id FOR UPDATE
            """,
            logger: logger
        )
        var states: [UUID: ItemState] = [:]
        for try await row in rows.decode(Row.self) {
            if let state = ItemState(row) { states[state.id] = state }
        }
        return states
    }

    static func lock(contentType: ContentType, contentID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> ItemState? {
        let rows = try await connection.query(
            """
            SELECT id, content_type, content_id, owner_service, status, visible, revision, decided_by_name, decided_at, received_at,
                   coalesce(title, left(body, 80)), author_account_id
            FROM items WHERE content_type = \(contentType.rawValue) AND content_id = \(contentID) FOR UPDATE
            """,
            logger: logger
        )
        for try await row in rows.decode(Row.self) { return ItemState(row) }
        return nil
    }
}

extension Optional {
    func asyncMap<Result>(_ transform: (Wrapped) async throws -> Result) async rethrows -> Result? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
