import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Keeps the public texts of the read model from their owners' events (`text_documents`,
/// `text_moderation`, `text_scopes`): a text counts in the trends and groups once a moderation
/// decision (or its owner's « published ») shows it, and stops counting when one rejects or hides it.
enum TextDocumentStore {
    /// A petition as its author deposited it: title, text and reasons. Stored again if it is
    /// delivered again (the same body), so a redelivery changes nothing.
    static func keep(_ event: PetitionSubmitted, on connection: PostgresConnection, logger: Logger) async throws {
        let content = event.content
        guard content.ownerService == .petitions else {
            throw EnvelopeError(description: "petition.submitted owned by \(content.ownerService.rawValue), not petitions")
        }
        let (title, body) = try texts(of: content, event: PetitionSubmitted.messageType)
        try await upsert(
            source: .petitions, id: content.contentID, title: title, body: body, submittedAt: content.submittedAt,
            author: content.authorAccountID, on: connection, logger: logger
        )
    }

    /// A forum post as written (or edited: the edit replaces the text, and counts once moderation shows it).
    static func keep(_ event: ForumPostSubmitted, on connection: PostgresConnection, logger: Logger) async throws {
        let content = event.content
        guard content.ownerService == .consultations else {
            throw EnvelopeError(description: "forum_post.submitted owned by \(content.ownerService.rawValue), not consultations")
        }
        let (title, body) = try texts(of: content, event: ForumPostSubmitted.messageType)
        try await upsert(
            source: .forumPosts, id: content.contentID, title: title, body: body, submittedAt: content.submittedAt,
            author: content.authorAccountID, on: connection, logger: logger
        )
    }

    /// A post was shown: its forum and thread, and the day it counts from.
    static func place(_ event: ForumPostPublished, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO text_scopes (source, id, scope_id, thread_id)
            VALUES (\(TextSource.forumPosts.rawValue), \(event.postID), \(event.forumID), \(event.threadID))
            ON CONFLICT (source, id) DO UPDATE SET scope_id = EXCLUDED.scope_id, thread_id = EXCLUDED.thread_id
            """,
            logger: logger
        )
        try await markPublished(.forumPosts, id: event.postID, at: event.publishedAt, on: connection, logger: logger)
    }

    /// A contribution as received (in moderation, or shown at once under moderation after
    /// publication: a decision or `contribution.published` says when it counts).
    static func keep(_ event: ContributionReceived, on connection: PostgresConnection, logger: Logger) async throws {
        try await keep(event.contribution, submittedAt: event.submittedAt, event: ContributionReceived.messageType, on: connection, logger: logger)
    }

    /// A contribution shown for the first time: its facts as published, and the day it counts from.
    static func keep(_ event: ContributionPublished, on connection: PostgresConnection, logger: Logger) async throws {
        try await keep(event.contribution, submittedAt: nil, event: ContributionPublished.messageType, on: connection, logger: logger)
        try await markPublished(.contributions, id: event.contribution.contributionID, at: event.publishedAt, on: connection, logger: logger)
    }

    /// The consultation's or forum's title, for staff to choose it.
    static func name(scope: UUID, source: TextSource, title: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO scope_titles (scope_id, source, title) VALUES (\(scope), \(source.rawValue), \(title))
            ON CONFLICT (scope_id) DO UPDATE SET title = EXCLUDED.title
            """,
            logger: logger
        )
    }

    /// The source of the contents moderation decides on that the read model keeps, or nil.
    static func source(of decision: ModerationDecisionMade) -> TextSource? {
        switch (decision.contentType, decision.ownerService) {
        case (.petition, .petitions): .petitions
        case (.testimony, .consultations), (.proposal, .consultations): .contributions
        case (.forumPost, .consultations): .forumPosts
        default: nil
        }
    }

    /// Moderation's decision on a kept kind of text. The newest revision says whether the text
    /// is shown; the first decision that showed it, whatever the order they arrive in, dates its publication.
    static func apply(_ decision: ModerationDecisionMade, on connection: PostgresConnection, logger: Logger) async throws {
        guard let source = source(of: decision) else { return }
        let shown = decision.status != .rejected && (decision.visible || decision.isHeldByFlags)
        let firstShownAt: Date? = shown ? decision.decidedAt : nil
        try await connection.query(
            """
            INSERT INTO text_moderation (source, id, status, shown, revision, first_shown_at)
            VALUES (\(source.rawValue), \(decision.contentID), \(decision.status.rawValue), \(shown), \(decision.revision), \(firstShownAt))
            ON CONFLICT (source, id) DO UPDATE SET
                status = CASE WHEN text_moderation.revision < EXCLUDED.revision THEN EXCLUDED.status ELSE text_moderation.status END,
                shown = CASE WHEN text_moderation.revision < EXCLUDED.revision THEN EXCLUDED.shown ELSE text_moderation.shown END,
                revision = greatest(text_moderation.revision, EXCLUDED.revision),
                first_shown_at = least(text_moderation.first_shown_at, EXCLUDED.first_shown_at)
            """,
            logger: logger
        )
    }

    /// `account.erased`: the texts stay (they are public and count), but nothing in the read
    /// model leads to the person any more.
    static func forget(_ event: AccountErased, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "UPDATE text_documents SET author_account_id = NULL WHERE author_account_id = \(event.accountID)",
            logger: logger
        )
    }

    // MARK: Storage

    private static func texts(of content: SubmittedContent, event: String) throws -> (title: String, body: String) {
        let title = (content.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let body = content.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty || !body.isEmpty else {
            throw EnvelopeError(description: "\(event) \(content.contentID.uuidString.lowercased()) has neither title nor text")
        }
        return (title, body)
    }

    private static func upsert(
        source: TextSource, id: UUID, title: String, body: String, submittedAt: Date, author: UUID?, on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO text_documents (source, id, title, body, submitted_at, author_account_id)
            VALUES (\(source.rawValue), \(id), \(title), \(body), \(submittedAt), \(author))
            ON CONFLICT (source, id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, submitted_at = EXCLUDED.submitted_at
            """,
            logger: logger
        )
    }

    /// A contribution's text is its title, its text and its reasons; its consultation is its scope.
    /// `submittedAt` nil (a publication) keeps the time it was received, when known.
    private static func keep(
        _ facts: ContributionFacts, submittedAt: Date?, event: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let title = facts.title.trimmingCharacters(in: .whitespacesAndNewlines)
        let body = [facts.text, facts.reasons ?? ""].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            .joined(separator: "\n")
        guard !title.isEmpty || !body.isEmpty else {
            throw EnvelopeError(description: "\(event) \(facts.contributionID.uuidString.lowercased()) has neither title nor text")
        }
        try await connection.query(
            """
            INSERT INTO text_documents (source, id, title, body, theme, theme_label, kind, origin, departement, submitted_at)
            VALUES (\(TextSource.contributions.rawValue), \(facts.contributionID), \(title), \(body), \(facts.theme), \(facts.themeLabel),
                \(facts.kind.rawValue), \(facts.origin.rawValue), \(facts.authorDepartement), \(submittedAt ?? Date()))
            ON CONFLICT (source, id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, theme = EXCLUDED.theme,
                theme_label = EXCLUDED.theme_label, kind = EXCLUDED.kind, origin = EXCLUDED.origin, departement = EXCLUDED.departement,
                submitted_at = CASE WHEN \(submittedAt == nil) THEN text_documents.submitted_at ELSE EXCLUDED.submitted_at END
            """,
            logger: logger
        )
        try await connection.query(
            """
            INSERT INTO text_scopes (source, id, scope_id) VALUES (\(TextSource.contributions.rawValue), \(facts.contributionID), \(facts.consultationID))
            ON CONFLICT (source, id) DO UPDATE SET scope_id = EXCLUDED.scope_id
            """,
            logger: logger
        )
    }

    /// The owner says the text is shown: it counts from `at` unless a decision already dated it
    /// earlier. Revision 0, so that any moderation decision (revision 1 and up) prevails over it.
    private static func markPublished(_ source: TextSource, id: UUID, at: Date, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO text_moderation (source, id, status, shown, revision, first_shown_at)
            VALUES (\(source.rawValue), \(id), \(ModerationStatus.published.rawValue), TRUE, 0, \(at))
            ON CONFLICT (source, id) DO UPDATE SET first_shown_at = least(text_moderation.first_shown_at, EXCLUDED.first_shown_at)
            """,
            logger: logger
        )
    }
}
