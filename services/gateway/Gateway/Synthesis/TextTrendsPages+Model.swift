import DialogueContracts
import Foundation
import ServiceKit
import Wording

/// The trends page: the form, then the results when the period could be read.
struct TextTrendsPage {
    let errors: ErrorSummary?
    let sourceSelect: TrendsSelect
    let fromField: FormField
    let untilField: FormField
    let results: TrendsResults?
}

struct TrendsChoice {
    let value: String
    let label: String
    let selected: Bool
}

/// A `<select>` of the form, with its error next to it.
struct TrendsSelect {
    let name: String
    let label: String
    let choices: [TrendsChoice]
    let error: String?
}

/// What the reporter found, as four tables.
struct TrendsResults {
    let summary: String
    let isEmpty: Bool
    let tables: [TrendsTable]

    init(_ view: TextTrendsView, sourceLabel: String) {
        let titles = Dictionary(view.documents.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        let lastDay = view.until.addingTimeInterval(-1)
        summary = "\(sourceLabel) du \(FrenchDate.day(view.from)) au \(FrenchDate.day(lastDay)) : "
            + (view.documentCount == 1 ? "1 texte." : "\(view.documentCount) textes.")
        isEmpty = view.documentCount == 0
        let recentWeeks = Array(view.weeks.suffix(4))
        func rows(_ trends: [TextTrend]) -> [TrendsRow] {
            trends.map { TrendsRow($0, source: view.source, titles: titles, weeks: view.weeks, recentWeeks: recentWeeks) }
        }
        let weeksNote = "Nombre de textes par semaine : les quatre dernières semaines de la période (semaines commençant le lundi)."
        tables = [
            TrendsTable(
                id: "mots-cles", title: "Mots-clés",
                explanation: "Les mots que ces textes emploient plus que le reste de la plateforme (TF-IDF), tenus par au moins deux textes.",
                rows: rows(view.keyWords), weeksNote: weeksNote
            ),
            TrendsTable(
                id: "expressions-cles", title: "Expressions clés",
                explanation: "Les groupes de deux ou trois mots qui reviennent, sous leur forme la plus fréquente.",
                rows: rows(view.keyPhrases), weeksNote: weeksNote
            ),
            TrendsTable(
                id: "en-hausse", title: "En hausse",
                explanation: "La dernière semaine compte au moins deux fois plus de textes qui les emploient que la moyenne des trois semaines d'avant, et au moins deux de plus.",
                rows: rows(view.rising), weeksNote: weeksNote
            ),
            TrendsTable(
                id: "en-baisse", title: "En baisse",
                explanation: "La dernière semaine compte au plus moitié moins de textes qui les emploient que la moyenne des trois semaines d'avant, et au moins deux de moins.",
                rows: rows(view.falling), weeksNote: weeksNote
            ),
        ]
    }
}

struct TrendsTable {
    let id: String
    let title: String
    let explanation: String
    let rows: [TrendsRow]
    let weeksNote: String
    /// Stored, not computed: templates read a model's stored properties only.
    let hasRows: Bool

    init(id: String, title: String, explanation: String, rows: [TrendsRow], weeksNote: String) {
        self.id = id
        self.title = title
        self.explanation = explanation
        self.rows = rows
        self.weeksNote = weeksNote
        hasRows = !rows.isEmpty
    }
}

/// One trend: its words, how many texts hold it, its score and movement, and a link to each text.
struct TrendsRow {
    let label: String
    let kind: String
    let documentCount: String
    let score: String
    let movement: String
    let weekly: String
    let documents: [TrendsDocumentLink]

    init(_ trend: TextTrend, source: TextSource, titles: [UUID: String], weeks: [Date], recentWeeks: [Date]) {
        label = trend.label
        kind = trend.kind == .word ? "mot" : "expression"
        documentCount = String(trend.documentIDs.count)
        score = trend.score.formatted(.number.precision(.fractionLength(2)).locale(Locale(identifier: "fr_FR")))
        movement = trend.movement.frenchLabel
        let counts = Dictionary(zip(weeks, trend.weeklyCounts), uniquingKeysWith: { first, _ in first })
        weekly = recentWeeks.map { "\(FrenchDate.day($0)) : \(counts[$0] ?? 0)" }.joined(separator: " ; ")
        documents = trend.documentIDs.map { id in
            TrendsDocumentLink(href: Self.path(of: id, in: source), title: titles[id] ?? "Texte sans titre")
        }
    }

    /// Where a text of the source is read on the site.
    static func path(of id: UUID, in source: TextSource) -> String {
        switch source {
        case .petitions: SitePath.petition(id).path
        }
    }
}

struct TrendsDocumentLink {
    let href: String
    let title: String
}
