public import DialogueContracts
public import Foundation
public import Logging
public import PostgresNIO

/// What the public pages read: one petition with its figures, and the lists.
public struct PetitionPages: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// A visible petition with its signatures by département and by day (Paris time), read
    /// from the counts the signatures' triggers keep (see migration 011).
    public func detail(_ id: UUID) async throws -> PetitionDetail {
        let rows = try await client.query(
            """
            SELECT \(unescaped: PetitionView.fullColumns), author_name, opened_at, closes_at
            FROM petitions WHERE id = \(id) AND visible
            """,
            logger: logger
        )
        var found: (PetitionView, String?, Date?, Date?)?
        for try await row in rows.decode((UUID, String, String, PetitionStatus, Int, Int, Date, Bool, String, String?, String?, Date?, Date?).self) {
            found = (PetitionView((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9)), row.10, row.11, row.12)
        }
        guard let (petition, author, openedAt, closesAt) = found else {
            throw RequestFailure(code: .notFound, message: "Cette pétition n'existe pas ou n'est pas publiée.")
        }

        var places: [String?: Int] = [:]
        let placeRows = try await client.query(
            """
            SELECT nullif(departement, ''), sum(signatures)::int8 FROM signature_counts
            WHERE petition_id = \(id)
            GROUP BY 1
            """,
            logger: logger
        )
        for try await (departement, count) in placeRows.decode((String?, Int).self) { places[departement] = count }
        let byPlace = (Region.departements.keys.sorted().map { Optional($0) } + [nil]).map {
            PetitionDetail.PlaceCount(departement: $0, count: places[$0] ?? 0)
        }

        // Every day from the opening to today (or the last signature), zeros included, so a
        // chart shows quiet days too; at most the last 365.
        let dayRows = try await client.query(
            """
            WITH days AS (
                SELECT generate_series(
                    greatest(date_trunc('day', coalesce(\(openedAt), \(petition.createdAt)) AT TIME ZONE 'Europe/Paris'),
                             date_trunc('day', now() AT TIME ZONE 'Europe/Paris') - interval '364 days'),
                    date_trunc('day', now() AT TIME ZONE 'Europe/Paris'),
                    interval '1 day') AS day
            )
            SELECT to_char(days.day, 'YYYY-MM-DD'), coalesce(sum(counts.signatures), 0)::int8
            FROM days LEFT JOIN signature_counts counts ON counts.petition_id = \(id) AND counts.day = days.day::date
            GROUP BY days.day ORDER BY days.day
            """,
            logger: logger
        )
        var byDay: [PetitionDetail.DayCount] = []
        for try await (day, count) in dayRows.decode((String, Int).self) { byDay.append(.init(day: day, count: count)) }
        var detail = PetitionDetail(petition: petition, authorName: author, openedAt: openedAt, closesAt: closesAt, byPlace: byPlace, byDay: byDay)
        (detail.referredAt, detail.answer) = try await PetitionLifecycleStore(client: client, logger: logger).publicFacts(of: id)
        (detail.paperCount, detail.shownNames) = try await signatories(of: id)
        return detail
    }

    /// The paper count, and the names the latest signatories agreed to show (at most 50).
    private func signatories(of id: UUID) async throws -> (Int, [String]) {
        let rows = try await client.query(
            """
            SELECT (SELECT paper_count FROM petitions WHERE id = \(id)),
                   coalesce(array_agg(name ORDER BY confirmed_at DESC), '{}')
            FROM (SELECT name, confirmed_at FROM signatures
                  WHERE petition_id = \(id) AND show_name AND confirmed_at IS NOT NULL AND invalidated_at IS NULL
                  ORDER BY confirmed_at DESC LIMIT 50) AS shown
            """,
            logger: logger
        )
        for try await (paper, names) in rows.decode((Int, [String]).self) { return (paper, names) }
        return (0, [])
    }

    public func list(_ request: ListPetitions) async throws -> PetitionList {
        let limit = min(max(request.limit, 1), 100)
        let offset = min(max(request.offset, 0), 10_000)
        let statuses = request.selection == .open ? PetitionStatus.collecting : PetitionStatus.ended
        let words = request.words?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200).description
        let query = (words?.isEmpty ?? true) ? nil : words
        let newest = request.order == .newest
        let closingSoon = request.order == .closingSoon
        // The total is read from the same matching set as the page, and comes back even
        // for a page past the end.
        let rows = try await client.query(
            """
            WITH matching AS (
                SELECT * FROM petitions
                WHERE visible AND NOT held_by_flags AND status = ANY(\(statuses))
                  AND (\(query)::text IS NULL OR search @@ websearch_to_tsquery('french', \(query)))
            )
            SELECT (SELECT count(*) FROM matching)::int8, page.*
            FROM (SELECT 1) AS one LEFT JOIN LATERAL (
                SELECT id, title, body, status, signature_count, threshold, created_at, visible
                FROM matching
                ORDER BY CASE WHEN \(closingSoon) THEN closes_at END ASC NULLS LAST,
                         CASE WHEN \(newest) THEN extract(epoch FROM coalesce(opened_at, created_at)) ELSE signature_count END DESC, id
                LIMIT \(limit) OFFSET \(offset)
            ) AS page ON true
            """,
            logger: logger
        )
        var items: [PetitionView] = []
        var total = 0
        for try await row in rows.decode((Int, UUID?, String?, String?, PetitionStatus?, Int?, Int?, Date?, Bool?).self) {
            total = row.0
            guard let id = row.1, let title = row.2, let body = row.3, let status = row.4, let count = row.5, let threshold = row.6,
                  let createdAt = row.7, let visible = row.8
            else { continue }  // the empty page's single row
            items.append(PetitionView((id, title, body, status, count, threshold, createdAt, visible)))
        }
        return PetitionList(items: items, total: total)
    }
}
