import ContentChecks
import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Storage

/// Turns a submitted content into a moderation item: runs the pre-checks, looks for
/// near-duplicates, applies the content type's policy, and announces the outcome.
struct ModerationIntake: Sendable {
    let checker: ContentChecker
    let logger: Logger

    /// Texts at least this similar to an earlier one are reported as near-duplicates.
    static let duplicateSimilarity = 0.7

    /// Receives a submission in its event's transaction. A content submitted again (edited)
    /// goes back to the queue with a new revision.
    func receive<Submission: ContentSubmission>(_ submission: Submission, on connection: PostgresConnection) async throws {
        let content = submission.content
        let type = Submission.contentType
        let fullText = [content.title, content.text].compactMap { $0 }.joined(separator: "\n")
        var findings = checker.check(fullText).map {
            ModerationFinding(rule: $0.rule.rawValue, score: $0.score, reason: $0.reason)
        }
        let fingerprint = TextFingerprint(text: fullText)
        if let duplicate = try await nearestEarlierItem(to: fingerprint, excluding: (type, content.contentID), on: connection) {
            findings.append(duplicate)
        }
        let score = findings.map(\.score).max() ?? 0
        let policy = try await ModerationSettings.policy(for: type, on: connection, logger: logger)
        let blocked = try await ModerationSettings.isBlocked(content.authorAccountID, on: connection, logger: logger)

        // Which rule places the item: hidden for a blocked author or a high score, else by mode
        // (the item's own, when its owner sets one, as a consultation or a forum does).
        let rule: AutomaticRule =
            if blocked { .blockedAccount }
            else if score >= policy.holdScore { .autoHold }
            else if (content.moderationMode ?? policy.mode) == "post" { .postModeration }
            else { .preModeration }
        let visible = rule == .postModeration

        // An edited content goes back to the queue: the audit log shows where it stood before.
        let priorRows = try await connection.query(
            "SELECT status FROM items WHERE content_type = \(type.rawValue) AND content_id = \(content.contentID) FOR UPDATE",
            logger: logger
        )
        var prior: ModerationStatus?
        for try await status in priorRows.decode(String.self) { prior = ModerationStatus(rawValue: status) }

        let rows = try await connection.query(
            """
            INSERT INTO items (id, content_type, content_id, owner_service, title, body, author_account_id, author_name,
                               consultation_id, public_path, submitted_at, visible, score, findings, fingerprint, shingle_count, band_keys)
            VALUES (\(UUID()), \(type.rawValue), \(content.contentID), \(content.ownerService.rawValue), \(content.title), \(content.text),
                    \(content.authorAccountID), \(content.authorName), \(content.consultationID), \(content.publicPath),
                    \(content.submittedAt), \(visible), \(score), \(try Self.json(findings))::jsonb,
                    \(fingerprint.minHash.map { Int64(bitPattern: $0) }), \(fingerprint.shingleCount), \(fingerprint.bandKeys))
            ON CONFLICT (content_type, content_id) DO UPDATE SET
                title = excluded.title, body = excluded.body, author_name = excluded.author_name,
                consultation_id = excluded.consultation_id, public_path = excluded.public_path,
                submitted_at = excluded.submitted_at, received_at = now(), status = 'pending', visible = excluded.visible,
                score = excluded.score, findings = excluded.findings, fingerprint = excluded.fingerprint,
                shingle_count = excluded.shingle_count, band_keys = excluded.band_keys, revision = items.revision + 1,
                decided_by = NULL, decided_by_name = NULL, decided_at = NULL, reason_code = NULL, comment = NULL,
                held_by_flags = false
            RETURNING id, revision
            """,
            logger: logger
        )
        var placed: (id: UUID, revision: Int)?
        for try await (id, revision) in rows.decode((UUID, Int).self) { placed = (id, revision) }
        guard let placed else { throw RequestFailure(code: .internal, message: "the item was not stored") }

        try await ModerationLog.record(
            ModerationLog.Change(
                itemID: placed.id, before: prior, after: .pending, visible: visible, reason: nil, comment: nil,
                moderator: nil, rule: rule
            ),
            on: connection, logger: logger
        )
        try await Outbox.enqueue(
            ModerationDecisionMade(
                itemID: placed.id, contentType: type, contentID: content.contentID, ownerService: content.ownerService,
                status: .pending, visible: visible, reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: nil,
                rule: rule.rawValue, decidedAt: Date(), revision: placed.revision, authorAccountID: content.authorAccountID,
                title: content.title ?? String(content.text.prefix(80))
            ),
            on: connection, logger: logger
        )
        logger.info("item received", metadata: [
            "item": .string(placed.id.uuidString.lowercased()), "content_type": .string(type.rawValue), "score": "\(score)",
            "rule": .string(rule.rawValue),
        ])
    }

    /// The earlier item most similar to this text, as a finding, when one is close enough.
    /// Candidates share at least one LSH band with it (an index lookup); their MinHash
    /// signatures then estimate the similarity.
    private func nearestEarlierItem(
        to fingerprint: TextFingerprint, excluding own: (ContentType, UUID), on connection: PostgresConnection
    ) async throws -> ModerationFinding? {
        let rows = try await connection.query(
            """
            SELECT title, body, submitted_at, fingerprint, shingle_count FROM items
            WHERE band_keys && \(fingerprint.bandKeys) AND NOT (content_type = \(own.0.rawValue) AND content_id = \(own.1))
            ORDER BY submitted_at DESC
            LIMIT 50
            """,
            logger: logger
        )
        var earlier: [(reference: String, fingerprint: TextFingerprint)] = []
        for try await (title, body, at, signature, shingles) in rows.decode((String?, String, Date, [Int64], Int).self) {
            guard let stored = TextFingerprint(minHash: signature.map { UInt64(bitPattern: $0) }, shingleCount: shingles) else { continue }
            let name = title.map { "« \($0) »" } ?? "« \(String(body.prefix(60)))… »"
            earlier.append(("\(name) reçu le \(FrenchDate.day(at))", stored))
        }
        return fingerprint.nearDuplicateFinding(among: earlier, threshold: Self.duplicateSimilarity).map {
            ModerationFinding(rule: $0.rule.rawValue, score: $0.score, reason: $0.reason)
        }
    }

    static func json(_ findings: [ModerationFinding]) throws -> String {
        String(decoding: try MessageCoding.encode(findings), as: UTF8.self)
    }
}

/// The automatic rules that place or move an item, with their French names for the log.
enum AutomaticRule: String, Sendable {
    case preModeration = "pre_moderation"
    case postModeration = "post_moderation"
    case autoHold = "auto_hold"
    /// Enough counting flags: held hidden until a moderator decides. Owners know it as
    /// `ModerationDecisionMade.flagsRule` (a petition so held stays signable).
    case flags
    /// A flag on an item a moderator had decided: back in the queue, still visible.
    case flagsReview = "flags_review"
    /// Held after flags, shown again once a sanction left too few counting flags.
    case flagsDiscounted = "flags_discounted"
    case blockedAccount = "blocked_account"

    var frenchName: String {
        switch self {
        case .preModeration: "Règle automatique : prémodération (masqué jusqu'à validation)"
        case .postModeration: "Règle automatique : postmodération (publié, à relire)"
        case .autoHold: "Règle automatique : retenu par les contrôles (score élevé)"
        case .flags: "Règle automatique : masqué après signalements"
        case .flagsReview: "Règle automatique : à revoir après un signalement (reste visible)"
        case .flagsDiscounted: "Règle automatique : de nouveau visible (signalements écartés)"
        case .blockedAccount: "Règle automatique : compte bloqué"
        }
    }
}
