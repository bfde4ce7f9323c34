import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import TextTrends

/// Answers `GetTextTrends` from the read model: the texts of the source published in the
/// period are ranked against every other text kept (other periods, other sources).
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
    private struct Published {
        let source: String
        let id: UUID
        let title: String
        let body: String
        let publishedAt: Date
    }

    func trends(_ request: GetTextTrends) async throws -> TextTrendsView {
        guard request.from < request.until else {
            throw RequestFailure(code: .invalid, message: "La fin de la période doit venir après son début.", field: "until")
        }
        guard request.until.timeIntervalSince(request.from) <= GetTextTrends.longestPeriod else {
            throw RequestFailure(code: .invalid, message: "La période ne peut dépasser un an.", field: "from")
        }
        let rows = try await client.query(
            """
            SELECT d.source, d.id, d.title, d.body, m.first_shown_at
            FROM text_documents d JOIN text_moderation m ON m.source = d.source AND m.id = d.id
            WHERE m.shown AND m.status <> 'rejected' AND m.first_shown_at IS NOT NULL
            """,
            logger: logger
        )
        var inPeriod: [Published] = []
        var rest: [TrendDocument] = []
        for try await (source, id, title, body, publishedAt) in rows.decode((String, UUID, String, String, Date).self) {
            let published = Published(source: source, id: id, title: title, body: body, publishedAt: publishedAt)
            if source == request.source.rawValue, publishedAt >= request.from, publishedAt < request.until {
                inPeriod.append(published)
            } else {
                rest.append(document(published))
            }
        }
        let weeks = Self.weeks(from: request.from, until: request.until)
        let report = analyzer.report(of: inPeriod.map(document), against: rest, weeks: weeks)

        let linked = Set((report.keyWords + report.keyPhrases + report.rising + report.falling).flatMap(\.documentIDs))
        return TextTrendsView(
            source: request.source, from: request.from, until: request.until, weeks: weeks, documentCount: report.documentCount,
            keyWords: report.keyWords.map(view), keyPhrases: report.keyPhrases.map(view), rising: report.rising.map(view),
            falling: report.falling.map(view),
            documents: inPeriod.filter { linked.contains($0.id) }.sorted { ($0.publishedAt, $0.id.uuidString) < ($1.publishedAt, $1.id.uuidString) }
                .map { TrendDocumentReference(id: $0.id, title: $0.title, publishedAt: $0.publishedAt) }
        )
    }

    /// The title is a clause of its own: no phrase runs from the title into the text.
    private func document(_ published: Published) -> TrendDocument {
        TrendDocument(id: published.id, text: published.title + "\n" + published.body, week: Self.week(of: published.publishedAt))
    }

    private func view(_ trend: Trend) -> TextTrend {
        TextTrend(
            kind: trend.key.kind == .word ? .word : .phrase, label: trend.label, score: trend.score, documentIDs: trend.documentIDs,
            weeklyCounts: trend.weeklyCounts, movement: TextTrendMovement(rawValue: trend.movement.rawValue) ?? .steady
        )
    }
}
