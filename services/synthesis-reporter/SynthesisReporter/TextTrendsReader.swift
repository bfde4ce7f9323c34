import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import TextTrends

/// Answers `GetTextTrends` from the read model: the texts of the source published in the
/// period (of one consultation or forum, of one theme, when asked) are ranked against every
/// other text kept (other periods, other sources, other consultations and forums).
struct TextTrendsReader: Sendable {
    let client: PostgresClient
    let logger: Logger
    var analyzer = TrendAnalyzer()

    /// Weeks start on Monday, in the assembly's time zone.
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        return calendar
    }()

    /// The first day of the week holding `date`.
    static func week(of date: Date) -> Date {
        calendar.dateInterval(of: .weekOfYear, for: date)?.start ?? date
    }

    /// The first day of each week the period touches, oldest first.
    static func weeks(from: Date, until: Date) -> [Date] {
        var weeks: [Date] = []
        var week = week(of: from)
        while week < until {
            weeks.append(week)
            guard let next = calendar.date(byAdding: .day, value: 7, to: week) else { break }
            week = next
        }
        return weeks
    }

    /// A text that counts: shown by moderation, with the day it was first shown.
    struct Published {
        let source: String
        let id: UUID
        let title: String
        let body: String
        let publishedAt: Date
        let scopeID: UUID?
        let theme: String?

        var reference: TrendDocumentReference { TrendDocumentReference(id: id, title: title, publishedAt: publishedAt, scopeID: scopeID) }
    }

    /// Every text that counts: shown by moderation, with the day it was first shown and its place.
    static func published(client: PostgresClient, logger: Logger) async throws -> [Published] {
        let rows = try await client.query(
            """
            SELECT d.source, d.id, d.title, d.body, m.first_shown_at, s.scope_id, d.theme
            FROM text_documents d JOIN text_moderation m ON m.source = d.source AND m.id = d.id
            LEFT JOIN text_scopes s ON s.source = d.source AND s.id = d.id
            WHERE m.shown AND m.status <> 'rejected' AND m.first_shown_at IS NOT NULL
            """,
            logger: logger
        )
        var published: [Published] = []
        for try await (source, id, title, body, publishedAt, scopeID, theme) in rows.decode((String, UUID, String, String, Date, UUID?, String?).self) {
            published.append(Published(source: source, id: id, title: title, body: body, publishedAt: publishedAt, scopeID: scopeID, theme: theme))
        }
        return published
    }

    /// The title is a clause of its own: no phrase runs from the title into the text.
    static func document(_ published: Published) -> TrendDocument {
        TrendDocument(id: published.id, text: published.title + "\n" + published.body, week: week(of: published.publishedAt))
    }

    func trends(_ request: GetTextTrends) async throws -> TextTrendsView {
        guard request.from < request.until else {
            throw RequestFailure(code: .invalid, message: "La fin de la période doit venir après son début.", field: "until")
        }
        guard request.until.timeIntervalSince(request.from) <= GetTextTrends.longestPeriod else {
            throw RequestFailure(code: .invalid, message: "La période ne peut dépasser un an.", field: "from")
        }
        var inPeriod: [Published] = []
        var rest: [TrendDocument] = []
        for published in try await Self.published(client: client, logger: logger) {
            if published.source == request.source.rawValue, published.publishedAt >= request.from, published.publishedAt < request.until,
                request.scopeID == nil || published.scopeID == request.scopeID, request.theme == nil || published.theme == request.theme
            {
                inPeriod.append(published)
            } else {
                rest.append(Self.document(published))
            }
        }
        let weeks = Self.weeks(from: request.from, until: request.until)
        let report = analyzer.report(of: inPeriod.map(Self.document), against: rest, weeks: weeks)

        let linked = Set((report.keyWords + report.keyPhrases + report.rising + report.falling).flatMap(\.documentIDs))
        return TextTrendsView(
            source: request.source, from: request.from, until: request.until, weeks: weeks, documentCount: report.documentCount,
            keyWords: report.keyWords.map(view), keyPhrases: report.keyPhrases.map(view), rising: report.rising.map(view),
            falling: report.falling.map(view),
            documents: inPeriod.filter { linked.contains($0.id) }.sorted { ($0.publishedAt, $0.id.uuidString) < ($1.publishedAt, $1.id.uuidString) }
                .map(\.reference)
        )
    }

    private func view(_ trend: Trend) -> TextTrend {
        TextTrend(
            kind: trend.key.kind == .word ? .word : .phrase, label: trend.label, score: trend.score, documentIDs: trend.documentIDs,
            weeklyCounts: trend.weeklyCounts, movement: TextTrendMovement(rawValue: trend.movement.rawValue) ?? .steady
        )
    }
}
