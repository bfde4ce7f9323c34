public import DialogueContracts
public import Foundation
public import Logging
public import PostgresNIO
import ServiceKit
import Storage

/// Reads and writes the `petitions` schema.
public struct PetitionStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func create(_ request: CreatePetition, rules: PetitionRules) async throws -> PetitionView {
        let draft = request.draft
        if let problem = draft.problems.first { throw problem }
        let (title, text) = (draft.title, draft.text)
        let id = UUID()
        let authorName = request.authorName?.trimmingCharacters(in: .whitespacesAndNewlines)
        return try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO petitions (id, title, body, reasons, theme, threshold, status, visible, author_account_id, author_name)
                VALUES (\(id), \(title), \(text), \(draft.reasons), \(draft.theme), \(rules.threshold), \(PetitionStatus.inModeration), false,
                        \(request.authorAccountID), \(authorName))
                RETURNING \(unescaped: PetitionView.fullColumns)
                """,
                logger: logger
            )
            var created: PetitionView?
            for try await row in rows.decode(PetitionView.FullRow.self) { created = PetitionView(row) }
            guard let created else { throw RequestFailure(code: .internal, message: "the petition was not stored") }
            try await Outbox.enqueue(
                PetitionSubmitted(content: SubmittedContent(
                    contentID: id, ownerService: .petitions, title: title, text: draft.moderatedText, authorAccountID: request.authorAccountID,
                    authorName: authorName, publicPath: SitePath.petition(id).path, submittedAt: created.createdAt
                )),
                on: connection, logger: logger
            )
            return created
        }
    }

    public func petition(_ id: UUID) async throws -> PetitionView {
        let rows = try await client.query(
            "SELECT \(unescaped: PetitionView.fullColumns) FROM petitions WHERE id = \(id)",
            logger: logger
        )
        for try await row in rows.decode(PetitionView.FullRow.self) {
            return PetitionView(row)
        }
        throw RequestFailure(code: .notFound, message: "Cette pétition n'existe pas.")
    }
}

extension PetitionStore {
    /// A person erased their account: their signatures keep counting (and their département
    /// in the figures) but lose name, address and postcode. The placeholder address stays
    /// unique per signature, so the one-signature-per-person rule still holds for others.
    static func anonymiseSignatures(of event: AccountErased, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            UPDATE signatures SET name = \(AccountErased.anonymousAuthorName), email = '', postcode = '',
                email_normalized = 'erased:' || id::text
            WHERE email_normalized = ANY(\(event.normalizedEmails))
            """,
            logger: logger
        )
    }
}

extension PetitionView {
    /// id, title, body, status, signature_count, threshold, created_at, visible
    typealias Row = (UUID, String, String, PetitionStatus, Int, Int, Date, Bool)

    init(_ row: Row) {
        self.init(
            id: row.0, title: row.1, text: row.2, status: row.3, signatureCount: row.4, threshold: row.5, createdAt: row.6, visible: row.7
        )
    }
}

extension PetitionStore {
    /// Applies moderation's decision on a petition (decisions on other content are not
    /// ours). Publication opens a petition in moderation, or one rejected before (moderators
    /// may reverse a rejection); rejection closes a petition in moderation; visibility
    /// follows every decision, except a hold after citizens' flags: that one only takes the
    /// petition out of the lists, its page and signing go on until a moderator decides. A
    /// decision older than the last one applied is ignored.
    static func apply(_ decision: ModerationDecisionMade, on connection: PostgresConnection, logger: Logger) async throws {
        guard decision.contentType == .petition else { return }
        let waiting = PetitionStatus.unpublished
        try await connection.query(
            """
            UPDATE petitions SET
                visible = \(decision.visible || decision.isHeldByFlags),
                held_by_flags = \(decision.isHeldByFlags),
                moderation_status = \(decision.status.rawValue),
                moderation_reason = \(decision.reasonLabel),
                moderation_revision = \(decision.revision),
                status = CASE
                    WHEN status = ANY(\(waiting)) AND \(decision.visible) THEN \(PetitionStatus.open)
                    WHEN status = \(PetitionStatus.inModeration) AND \(decision.status.rawValue) = 'rejected' THEN \(PetitionStatus.rejected)
                    ELSE status END,
                -- The first opening freezes the settings in force: threshold and collection period.
                threshold = CASE WHEN opened_at IS NULL AND status = ANY(\(waiting)) AND \(decision.visible)
                    THEN coalesce((SELECT default_threshold FROM settings), threshold) ELSE threshold END,
                closes_at = CASE WHEN opened_at IS NULL AND status = ANY(\(waiting)) AND \(decision.visible)
                    THEN now() + make_interval(days => coalesce((SELECT collection_days FROM settings), \(Int32(PetitionRules.defaultCollectionDays))))
                    ELSE closes_at END,
                opened_at = CASE WHEN status = ANY(\(waiting)) AND \(decision.visible) THEN coalesce(opened_at, now()) ELSE opened_at END
            WHERE id = \(decision.contentID) AND moderation_revision < \(decision.revision)
            """,
            logger: logger
        )
    }
}

/// The platform's petition settings, and the job that ends collections.
public struct PetitionSettingsStore: Sendable {
    let client: PostgresClient
    let rules: PetitionRules
    let logger: Logger

    public init(client: PostgresClient, rules: PetitionRules, logger: Logger) {
        self.client = client
        self.rules = rules
        self.logger = logger
    }

    /// The settings saved by staff, or the service's defaults before anyone saved any.
    public func current() async throws -> PetitionSettings {
        let rows = try await client.query("SELECT default_threshold, collection_days, milestones FROM settings", logger: logger)
        for try await (threshold, days, milestones) in rows.decode((Int, Int, [Int]).self) {
            return PetitionSettings(defaultThreshold: threshold, collectionDays: days, milestones: milestones)
        }
        return PetitionSettings(defaultThreshold: rules.threshold, collectionDays: PetitionRules.defaultCollectionDays)
    }

    public func save(_ request: SavePetitionSettings) async throws -> PetitionSettings {
        let settings = request.settings
        guard (1...10_000_000).contains(settings.defaultThreshold) else {
            throw RequestFailure(code: .invalid, message: "Le seuil de saisine va de 1 à 10 000 000 signatures.", field: "default_threshold")
        }
        guard (7...1095).contains(settings.collectionDays) else {
            throw RequestFailure(code: .invalid, message: "La durée de collecte va de 7 à 1 095 jours.", field: "collection_days")
        }
        let milestones = Array(Set(settings.milestones)).sorted()
        guard milestones.count <= 5, milestones.allSatisfy({ (1...99).contains($0) }) else {
            throw RequestFailure(code: .invalid, message: "Indiquez au plus 5 paliers, chacun de 1 à 99 % du seuil.", field: "milestones")
        }
        try await client.transaction(logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO settings (id, default_threshold, collection_days, milestones, updated_by)
                VALUES (true, \(settings.defaultThreshold), \(settings.collectionDays), \(milestones), \(request.staffName))
                ON CONFLICT (id) DO UPDATE SET default_threshold = excluded.default_threshold,
                    collection_days = excluded.collection_days, milestones = excluded.milestones, updated_at = now(),
                    updated_by = excluded.updated_by
                """,
                logger: logger
            )
            try await StaffAudit.record(
                "petition.settings_changed", by: request.staffID, named: request.staffName, objectType: "settings", objectID: nil,
                details: [
                    "threshold": String(settings.defaultThreshold), "collection_days": String(settings.collectionDays),
                    "milestones": milestones.map(String.init).joined(separator: ","),
                ],
                service: PetitionsService.name, on: connection, logger: logger
            )
        }
        return try await current()
    }

    /// Closes the open petitions whose collection period ended; returns how many. One that
    /// reached its threshold keeps collecting until staff refer it to the assembly.
    @discardableResult
    public func closeEnded() async throws -> Int {
        let closed = try await client.transaction(logger: logger) { connection in
            try await PetitionLifecycleStore.closeEnded(on: connection, logger: logger)
        }
        if closed > 0 { logger.info("petitions closed at the end of their collection", metadata: ["count": "\(closed)"]) }
        return closed
    }
}
