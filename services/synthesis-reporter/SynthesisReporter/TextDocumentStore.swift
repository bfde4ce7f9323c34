import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Keeps the public texts of the read model from their owners' events (`text_documents`,
/// `text_moderation`): a text counts in the trends once a moderation decision shows it, and
/// stops counting when one rejects or hides it.
enum TextDocumentStore {
    /// A petition as its author deposited it: title, text and reasons. Stored again if it is
    /// delivered again (the same body), so a redelivery changes nothing.
    static func keep(_ event: PetitionSubmitted, on connection: PostgresConnection, logger: Logger) async throws {
        let content = event.content
        guard content.ownerService == .petitions else {
            throw EnvelopeError(description: "petition.submitted owned by \(content.ownerService.rawValue), not petitions")
        }
        let title = (content.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let body = content.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty || !body.isEmpty else {
            throw EnvelopeError(description: "petition.submitted \(content.contentID.uuidString.lowercased()) has neither title nor text")
        }
        try await connection.query(
            """
            INSERT INTO text_documents (source, id, title, body, submitted_at)
            VALUES (\(TextSource.petitions.rawValue), \(content.contentID), \(title), \(body), \(content.submittedAt))
            ON CONFLICT (source, id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, submitted_at = EXCLUDED.submitted_at
            """,
            logger: logger
        )
    }

    /// Moderation's decision on a petition (decisions on other contents concern sources the
    /// reporter does not keep yet). The newest revision says whether the text is shown; the
    /// first decision that showed it, whatever the order they arrive in, dates its publication.
    static func apply(_ decision: ModerationDecisionMade, on connection: PostgresConnection, logger: Logger) async throws {
        guard decision.contentType == .petition else { return }
        let shown = decision.status != .rejected && (decision.visible || decision.isHeldByFlags)
        let firstShownAt: Date? = shown ? decision.decidedAt : nil
        try await connection.query(
            """
            INSERT INTO text_moderation (source, id, status, shown, revision, first_shown_at)
            VALUES (\(TextSource.petitions.rawValue), \(decision.contentID), \(decision.status.rawValue), \(shown), \(decision.revision), \(firstShownAt))
            ON CONFLICT (source, id) DO UPDATE SET
                status = CASE WHEN text_moderation.revision < EXCLUDED.revision THEN EXCLUDED.status ELSE text_moderation.status END,
                shown = CASE WHEN text_moderation.revision < EXCLUDED.revision THEN EXCLUDED.shown ELSE text_moderation.shown END,
                revision = greatest(text_moderation.revision, EXCLUDED.revision),
                first_shown_at = least(text_moderation.first_shown_at, EXCLUDED.first_shown_at)
            """,
            logger: logger
        )
    }
}
