import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import TextTrends

/// Answers `GetTextGroups` and `ListTextScopes` from the read model.
struct TextGroupsReader: Sendable {
    let client: PostgresClient
    let logger: Logger
    var clusterer = TextClusterer()

    /// The most texts grouped at once (the newest): the silhouette that chooses the number of
    /// groups compares every pair of texts.
    static let largestGroupedSet = 3_000

    func groups(_ request: GetTextGroups) async throws -> TextGroupsView {
        if request.source != .petitions, request.scopeID == nil {
            throw RequestFailure(code: .invalid, message: "Choisissez une consultation ou un forum.", field: "scopeID")
        }
        let texts = try await TextTrendsReader.published(client: client, logger: logger)
            .filter { $0.source == request.source.rawValue && (request.source == .petitions || $0.scopeID == request.scopeID) }
            .sorted { ($0.publishedAt, $0.id.uuidString) > ($1.publishedAt, $1.id.uuidString) }
            .prefix(Self.largestGroupedSet)
        let grouping = clusterer.group(texts.map(TextTrendsReader.document))
        let groups = grouping.clusters.map { cluster in
            TextGroup(
                label: cluster.label,
                keyPhrases: cluster.keyTerms.map { TextGroupPhrase(label: $0.label, documentIDs: $0.documentIDs) },
                documentIDs: cluster.documentIDs, representativeIDs: cluster.representativeIDs
            )
        }
        let duplicates = grouping.nearDuplicates.map { NearDuplicatePair(first: $0.first, second: $0.second, similarity: $0.similarity) }
        return TextGroupsView(
            source: request.source, scopeID: request.scopeID, documentCount: texts.count, silhouette: grouping.silhouette, groups: groups,
            nearDuplicates: duplicates,
            documents: texts.sorted { ($0.publishedAt, $0.id.uuidString) < ($1.publishedAt, $1.id.uuidString) }.map(\.reference)
        )
    }

    func scopes(_ request: ListTextScopes) async throws -> TextScopeList {
        // The published texts with their place (and the title of the place, when known).
        let published = """
            FROM text_scopes s
            JOIN text_moderation m ON m.source = s.source AND m.id = s.id
            JOIN text_documents d ON d.source = s.source AND d.id = s.id
            LEFT JOIN scope_titles t ON t.scope_id = s.scope_id
            WHERE m.shown AND m.status <> 'rejected' AND m.first_shown_at IS NOT NULL
            """
        let themeRows = try await client.query(
            """
            SELECT s.scope_id, d.theme, max(coalesce(d.theme_label, '')), count(*)::int \(unescaped: published) AND d.theme IS NOT NULL
            GROUP BY s.scope_id, d.theme ORDER BY s.scope_id, d.theme
            """,
            logger: logger
        )
        var themes: [UUID: [TextScopeTheme]] = [:]
        for try await (scope, code, label, count) in themeRows.decode((UUID, String, String, Int).self) {
            themes[scope, default: []].append(TextScopeTheme(code: code, label: label, documentCount: count))
        }
        let rows = try await client.query(
            """
            SELECT s.scope_id, s.source, coalesce(max(t.title), ''), count(*)::int, max(m.first_shown_at)
            \(unescaped: published)
            GROUP BY s.scope_id, s.source
            ORDER BY max(m.first_shown_at) DESC, s.scope_id
            """,
            logger: logger
        )
        var scopes: [TextScope] = []
        for try await (id, source, title, count, _) in rows.decode((UUID, String, String, Int, Date).self) {
            guard let source = TextSource(rawValue: source) else { continue }
            scopes.append(TextScope(id: id, source: source, title: title, documentCount: count, themes: themes[id] ?? []))
        }
        return TextScopeList(scopes: scopes)
    }
}
