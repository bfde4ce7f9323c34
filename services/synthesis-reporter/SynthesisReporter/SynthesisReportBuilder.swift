import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import TextTrends

/// Answers `GetSynthesisReport` from the read model: every figure of a consultation's, a
/// forum's or the petitions' texts, each with the ids of the texts it counts. Labels of
/// kinds, statuses and origins are the gateway's (in French); the reporter gives the codes.
struct SynthesisReportBuilder: Sendable {
    let client: PostgresClient
    let logger: Logger
    let groups: TextGroupsReader
    var analyzer = TrendAnalyzer()

    /// A text received in the scope, whatever moderation made of it.
    private struct Received {
        let id: UUID
        let status: ReportTextStatus
        let theme: String?
        let themeLabel: String?
        let kind: String?
        let origin: String?
        let lastChange: Date
    }

    func report(_ request: GetSynthesisReport) async throws -> SynthesisReport {
        if request.source != .petitions, request.scopeID == nil {
            throw RequestFailure(code: .invalid, message: "Choisissez une consultation ou un forum.", field: "scopeID")
        }
        let scopeID = request.source == .petitions ? nil : request.scopeID
        let rows = try await client.query(
            """
            SELECT d.id, m.shown, m.status, d.theme, d.theme_label, d.kind, d.origin,
                greatest(d.submitted_at, m.first_shown_at)
            FROM text_documents d
            LEFT JOIN text_moderation m ON m.source = d.source AND m.id = d.id
            LEFT JOIN text_scopes s ON s.source = d.source AND s.id = d.id
            WHERE d.source = \(request.source.rawValue) AND (\(scopeID)::uuid IS NULL OR s.scope_id = \(scopeID))
            """,
            logger: logger
        )
        var received: [Received] = []
        for try await row in rows.decode((UUID, Bool?, String?, String?, String?, String?, String?, Date).self) {
            received.append(Received(
                id: row.0, status: Self.status(shown: row.1, moderation: row.2), theme: row.3, themeLabel: row.4, kind: row.5, origin: row.6,
                lastChange: row.7
            ))
        }
        received.sort { $0.id.uuidString < $1.id.uuidString }
        let shown = received.filter { $0.status != .inModeration && $0.status != .removed }

        // Key phrases and groups: the same published texts as the trends and groups pages.
        let everyPublished = try await TextTrendsReader.published(client: client, logger: logger)
        let inScope = everyPublished.filter { $0.source == request.source.rawValue && (scopeID == nil || $0.scopeID == scopeID) }
        let inScopeIDs = Set(inScope.map(\.id))
        let rest = everyPublished.filter { !($0.source == request.source.rawValue && inScopeIDs.contains($0.id)) }
        let trends = analyzer.report(of: inScope.map(TextTrendsReader.document), against: rest.map(TextTrendsReader.document), weeks: [])
        let grouping = try await groups.groups(GetTextGroups(source: request.source, scopeID: scopeID))

        let title = try await scopeTitle(scopeID)
        func figures(_ key: (Received) -> String?, label: (Received) -> String = { _ in "" }) -> [ReportFigure] {
            var byKey: [String: (label: String, ids: [UUID])] = [:]
            for text in shown {
                guard let value = key(text) else { continue }
                byKey[value, default: (label(text), [])].ids.append(text.id)
            }
            return byKey.sorted { $0.key < $1.key }.map { ReportFigure(key: $0.key, label: $0.value.label, documentIDs: $0.value.ids) }
        }
        let byStatus = ReportTextStatus.allCases.compactMap { status -> ReportFigure? in
            let ids = received.filter { $0.status == status }.map(\.id)
            return ids.isEmpty ? nil : ReportFigure(key: status.rawValue, label: "", documentIDs: ids)
        }
        return SynthesisReport(
            source: request.source, scopeID: scopeID, title: title, asOf: received.map(\.lastChange).max(),
            received: ReportFigure(key: "received", label: "", documentIDs: received.map(\.id)),
            published: ReportFigure(key: "published", label: "", documentIDs: shown.map(\.id)),
            byStatus: byStatus,
            byTheme: figures(\.theme, label: { $0.themeLabel ?? "" }), byKind: figures(\.kind), byOrigin: figures(\.origin),
            keyPhrases: trends.keyPhrases.map { ReportFigure(key: $0.key.stems, label: $0.label, documentIDs: $0.documentIDs) },
            groups: grouping.groups, nearDuplicates: grouping.nearDuplicates, documents: grouping.documents
        )
    }

    /// A text with no decision is in moderation; a shown one counts by its decision's status.
    static func status(shown: Bool?, moderation: String?) -> ReportTextStatus {
        guard let shown, let moderation else { return .inModeration }
        guard shown, moderation != ModerationStatus.rejected.rawValue else {
            return moderation == ModerationStatus.pending.rawValue && shown == false ? .inModeration : .removed
        }
        switch ModerationStatus(rawValue: moderation) {
        case .retained: return .retained
        case .notRetained: return .notRetained
        default: return .published
        }
    }

    private func scopeTitle(_ scopeID: UUID?) async throws -> String {
        guard let scopeID else { return "" }
        let rows = try await client.query("SELECT title FROM scope_titles WHERE scope_id = \(scopeID)", logger: logger)
        for try await title in rows.decode(String.self) { return title }
        return ""
    }
}
