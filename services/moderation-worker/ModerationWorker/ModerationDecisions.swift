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

    /// A citizen's flag: one per person and item, recorded whoever flags. It moves the item
    /// only as `weigh` says: flags from confirmed accounts old enough, as many as the policy
    /// asks for the content's audience, hold a visible item hidden; other flags put an item
    /// a moderator had decided back in the queue, still visible. A sanctioned reporter's
    /// flag is kept and moves nothing.
    func flag(_ request: FlagContent) async throws -> FlagOutcome {
        let comment = request.comment?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        guard (comment?.count ?? 0) <= 1000 else {
            throw RequestFailure(code: .invalid, message: "La précision compte 1 000 caractères au plus.", field: "comment")
        }
        guard (request.audience ?? 0) >= 0 else {
            throw RequestFailure(code: .invalid, message: "Le public d'un contenu ne peut pas être négatif.", field: "audience")
        }
        let reporter = FlagReporterKind(request.reporter)
        return try await client.transaction(logger: logger) { connection in
            let reason = try await ModerationSettings.reason(request.reasonCode, kind: "flag", on: connection, logger: logger)
            guard let state = try await ItemState.lock(contentType: request.contentType, contentID: request.contentID, on: connection, logger: logger) else {
                throw RequestFailure(code: .notFound, message: "Ce contenu n'existe pas ou ne peut pas être signalé.")
            }
            let inserted = try await connection.query(
                """
                INSERT INTO flags (item_id, reporter_key, reason_code, comment, reporter_kind, account_id, account_created_at)
                VALUES (\(state.id), \(request.reporterKey), \(reason.code), \(comment), \(reporter.rawValue),
                        \(request.reporter?.accountID), \(request.reporter?.accountCreatedAt))
                ON CONFLICT (item_id, reporter_key) DO NOTHING
                RETURNING item_id
                """,
                logger: logger
            )
            var recorded = false
            for try await _ in inserted { recorded = true }
            guard recorded else { return FlagOutcome(recorded: false) }
            try await connection.query(
                "UPDATE items SET flag_count = flag_count + 1, audience = coalesce(\(request.audience), audience) WHERE id = \(state.id)",
                logger: logger
            )
            guard try await !FlagTally.isIgnored(request.reporterKey, on: connection, logger: logger) else { return FlagOutcome(recorded: true) }
            try await weigh(state, queueing: true, on: connection)
            return FlagOutcome(recorded: true)
        }
    }

    /// Ignores a reporter's flags (past and future), or counts them again, with an entry in
    /// the sanctions' audit trail; each item the reporter flagged is weighed again.
    func sanction(_ request: SanctionFlagReporter) async throws -> FlagSanctionOutcome {
        let key = request.reporterKey.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(key.count) else {
            throw RequestFailure(code: .invalid, message: "Indiquez le signaleur.", field: "reporter_key")
        }
        let reason = request.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (3...1000).contains(reason.count) else {
            throw RequestFailure(code: .invalid, message: "Indiquez la raison de la sanction (3 à 1 000 caractères).", field: "reason")
        }
        return try await client.transaction(logger: logger) { connection in
            let flagged = try await connection.query("SELECT item_id FROM flags WHERE reporter_key = \(key)", logger: logger)
            var items: [UUID] = []
            for try await id in flagged.decode(UUID.self) { items.append(id) }
            guard !items.isEmpty else {
                throw RequestFailure(code: .notFound, message: "Ce signaleur n'a rien signalé.", field: "reporter_key")
            }
            try await connection.query(
                """
                INSERT INTO flag_sanctions (reporter_key, action, reason, decided_by, decided_by_name)
                VALUES (\(key), \(request.action.rawValue), \(reason), \(request.moderatorID), \(request.moderatorName))
                """,
                logger: logger
            )
            switch request.action {
            case .ignore:
                try await connection.query("INSERT INTO ignored_flag_reporters (reporter_key) VALUES (\(key)) ON CONFLICT DO NOTHING", logger: logger)
            case .restore:
                try await connection.query("DELETE FROM ignored_flag_reporters WHERE reporter_key = \(key)", logger: logger)
            }
            var shownAgain = 0
            for state in try await ItemState.lock(items, on: connection, logger: logger).values.sorted(by: { $0.id.uuidString < $1.id.uuidString }) {
                if try await weigh(state, queueing: false, on: connection) == .shownAgain { shownAgain += 1 }
            }
            logger.notice("flag reporter sanctioned", metadata: [
                "action": .string(request.action.rawValue), "flags": "\(items.count)", "items_shown_again": "\(shownAgain)",
            ])
            return FlagSanctionOutcome(flags: items.count, itemsShownAgain: shownAgain)
        }
    }

    /// What weighing an item's flags did.
    enum Weighing: Equatable {
        case held, shownAgain, queued, unchanged
    }

    /// Moves an item as its counting flags say, in the caller's transaction: a visible item
    /// reaching the required count is held hidden (`flags`); an item the flags rule held is
    /// shown again once too few count (`flags_discounted`, still in the queue); with
    /// `queueing`, a visible item a moderator had decided goes back to the queue, visible
    /// (`flags_review`).
    @discardableResult
    private func weigh(_ state: ItemState, queueing: Bool, on connection: PostgresConnection) async throws -> Weighing {
        let policy = try await ModerationSettings.policy(for: state.contentType, on: connection, logger: logger)
        let tally = try await FlagTally.read(state.id, policy: policy, on: connection, logger: logger)
        let enough = tally.required.map { tally.counting >= $0 } ?? false
        let counted = "\(tally.counting) signalement\(tally.counting > 1 ? "s" : "") de comptes confirmés"
            + (tally.required.map { " sur \($0) requis" } ?? " (masquage automatique désactivé)")
        let change: (status: ModerationStatus, visible: Bool, rule: AutomaticRule, outcome: Weighing)? =
            if state.visible && enough { (.pending, false, .flags, .held) }
            else if state.heldByFlags && !enough { (.pending, true, .flagsDiscounted, .shownAgain) }
            else if queueing && state.visible && state.status != .pending { (.pending, true, .flagsReview, .queued) }
            else { nil }
        guard let change else { return .unchanged }
        try await apply(
            ModerationLog.Change(
                itemID: state.id, before: state.status, after: change.status, visible: change.visible, reason: nil,
                comment: counted, moderator: nil, rule: change.rule
            ),
            to: state, on: connection
        )
        return change.outcome
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
                held_by_flags = \(change.rule == .flags && !change.visible),
                reviewed_at = CASE WHEN \(byModerator) THEN now() ELSE reviewed_at END,
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
    /// Hidden by the flags rule, not by a moderator.
    let heldByFlags: Bool

    private typealias Row = (UUID, String, UUID, String, String, Bool, Int, String?, Date?, Date, String, UUID?, Bool)

    private init?(_ row: Row) {
        guard let type = ContentType(rawValue: row.1), let owner = ServiceName(rawValue: row.3), let status = ModerationStatus(rawValue: row.4) else {
            return nil
        }
        (id, contentType, contentID, ownerService) = (row.0, type, row.2, owner)
        (self.status, visible, revision, decidedByName, decidedAt, receivedAt) = (status, row.5, row.6, row.7, row.8, row.9)
        (title, authorAccountID, heldByFlags) = (row.10, row.11, row.12)
    }

    static func lock(_ ids: [UUID], on connection: PostgresConnection, logger: Logger) async throws -> [UUID: ItemState] {
        guard !ids.isEmpty else { return [:] }
        // Locked in id order, so two bulk decisions over the same items cannot deadlock.
        let rows = try await connection.query(
            """
            SELECT id, content_type, content_id, owner_service, status, visible, revision, decided_by_name, decided_at, received_at,
                   coalesce(title, left(body, 80)), author_account_id, held_by_flags
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
                   coalesce(title, left(body, 80)), author_account_id, held_by_flags
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
