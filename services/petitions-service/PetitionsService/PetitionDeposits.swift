public import DialogueContracts
import Foundation
public import Logging
public import PostgresNIO
import Storage

/// What citizens depositing petitions read: the published petitions similar to their draft,
/// and the petitions they deposited.
public struct PetitionDeposits: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The most relevant visible, published petitions sharing stemmed words with the draft
    /// (any of them, not all: a draft words its subject its own way), open ones first. The
    /// most relevant are chosen before the open ones are put first: an open petition sharing
    /// one common word must not push out a closed one on the same subject.
    public func similar(_ request: FindSimilarPetitions) async throws -> PetitionList {
        let limit = min(max(request.limit, 1), FindSimilarPetitions.maximumLimit)
        let words = SimilarText.words(title: String(request.title.prefix(PetitionDraft.titleLength.upperBound)), text: request.text)
        // Petitions sharing any of the draft's stemmed words, ranked by how many and where (title first).
        let rows = try await client.query(
            """
            WITH wanted_words AS (SELECT \(words)::text AS words),
            wanted AS (SELECT \(unescaped: SimilarText.anyWordQuery) AS query FROM wanted_words)
            SELECT \(unescaped: PetitionView.fullColumns) FROM (
                SELECT petitions.*, ts_rank(search, wanted.query) AS relevance
                FROM petitions, wanted
                WHERE wanted.query IS NOT NULL AND visible AND NOT held_by_flags AND NOT (status = ANY(\(PetitionStatus.unpublished)))
                  AND search @@ wanted.query
                ORDER BY relevance DESC, signature_count DESC, id
                LIMIT \(limit)
            ) AS closest
            ORDER BY status = ANY(\(PetitionStatus.collecting)) DESC, relevance DESC, signature_count DESC, id
            """,
            logger: logger
        )
        var items: [PetitionView] = []
        for try await row in rows.decode(PetitionView.FullRow.self) { items.append(PetitionView(row)) }
        return PetitionList(items: items, total: items.count)
    }

    /// The petitions an account deposited, newest first, in any state, with moderation's reason.
    public func byAuthor(_ request: ListAuthorPetitions) async throws -> AuthorPetitionList {
        let rows = try await client.query(
            """
            SELECT \(unescaped: PetitionView.fullColumns), moderation_reason
            FROM petitions WHERE author_account_id = \(request.authorAccountID)
            ORDER BY created_at DESC, id LIMIT 500
            """,
            logger: logger
        )
        var items: [AuthorPetitionList.Item] = []
        for try await row in rows.decode((UUID, String, String, PetitionStatus, Int, Int, Date, Bool, String, String?, String?).self) {
            let petition = PetitionView((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9))
            items.append(AuthorPetitionList.Item(petition: petition, moderationReason: row.10))
        }
        return AuthorPetitionList(items: items)
    }
}

extension PetitionView {
    /// The columns of `FullRow`: a petition with its reasons and theme.
    static let fullColumns = "id, title, body, status, signature_count, threshold, created_at, visible, reasons, theme"

    /// `Row`, then reasons and theme.
    typealias FullRow = (UUID, String, String, PetitionStatus, Int, Int, Date, Bool, String, String?)

    init(_ row: FullRow) {
        self.init((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7))
        // Petitions deposited before reasons existed store an empty text.
        self.reasons = row.8.isEmpty ? nil : row.8
        self.theme = row.9
    }
}
