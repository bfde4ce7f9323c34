public import DialogueContracts
import Foundation
import PostgresNIO
import Storage

extension ContributionStore {
    /// The consultation's published contributions (not withdrawn) sharing stemmed words with a
    /// draft, the most relevant first (title first, then text, then reasons), then the most
    /// supported: `SimilarText`, as for similar petitions.
    public func similar(_ request: FindSimilarContributions) async throws -> ContributionList {
        let limit = min(max(request.limit, 1), FindSimilarContributions.maximumLimit)
        let words = SimilarText.words(title: String(request.title.prefix(ContributionDraft.titleLength.upperBound)), text: request.text)
        let rows = try await client.query(
            """
            WITH wanted_words AS (SELECT \(words)::text AS words),
            wanted AS (SELECT \(unescaped: SimilarText.anyWordQuery) AS query FROM wanted_words)
            SELECT \(unescaped: Self.columns),
                EXISTS (SELECT 1 FROM contribution_supports s
                        WHERE s.contribution_id = contributions.id AND s.account_id = \(request.viewerAccountID) AND s.withdrawn_at IS NULL)
            FROM contributions, wanted
            WHERE wanted.query IS NOT NULL AND consultation_id = \(request.consultationID) AND visible AND withdrawn_at IS NULL
              AND search @@ wanted.query
            ORDER BY ts_rank(search, wanted.query) DESC, support_count DESC, created_at DESC, id
            LIMIT \(limit)
            """,
            logger: logger
        )
        var items: [ContributionView] = []
        for try await row in rows.decode(
            (UUID, UUID, String, String, String, String, String?, String?, String?, Bool, String, Date, Date?, Int, Date?, String?, Bool, String?,
             String?, Int, String?, Bool).self
        ) {
            var view = try Self.view((
                row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11, row.12, row.13, row.14, row.15, row.16, row.17,
                row.18, row.19, row.20
            ))
            view.supportedByViewer = row.21
            items.append(view)
        }
        return ContributionList(items: items, total: items.count)
    }
}
