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
        let references = Dictionary(view.documents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let lastDay = view.until.addingTimeInterval(-1)
        summary = "\(sourceLabel) du \(FrenchDate.day(view.from)) au \(FrenchDate.day(lastDay)) : "
            + (view.documentCount == 1 ? "1 texte." : "\(view.documentCount) textes.")
        isEmpty = view.documentCount == 0
        let recentWeeks = Array(view.weeks.suffix(4))
        func rows(_ trends: [TextTrend]) -> [TrendsRow] {
            trends.map { TrendsRow($0, source: view.source, references: references, weeks: view.weeks, recentWeeks: recentWeeks) }
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

    init(_ trend: TextTrend, source: TextSource, references: [UUID: TrendDocumentReference], weeks: [Date], recentWeeks: [Date]) {
        label = trend.label
        kind = trend.kind == .word ? "mot" : "expression"
        documentCount = String(trend.documentIDs.count)
        score = trend.score.formatted(.number.precision(.fractionLength(2)).locale(Locale(identifier: "fr_FR")))
        movement = trend.movement.frenchLabel
        let counts = Dictionary(zip(weeks, trend.weeklyCounts), uniquingKeysWith: { first, _ in first })
        weekly = recentWeeks.map { "\(FrenchDate.day($0)) : \(counts[$0] ?? 0)" }.joined(separator: " ; ")
        documents = trend.documentIDs.map { TrendsDocumentLink($0, source: source, references: references) }
    }
}

struct TrendsDocumentLink {
    let href: String
    let title: String

    init(_ id: UUID, source: TextSource, references: [UUID: TrendDocumentReference]) {
        let reference = references[id]
        href = Self.path(of: id, in: source, scopeID: reference?.scopeID)
        let title = reference?.title ?? ""
        self.title = title.isEmpty ? "Texte sans titre" : title
    }

    /// Where a text of the source is read on the site: a contribution on its consultation's
    /// page (at its card), a forum post at its stable link.
    static func path(of id: UUID, in source: TextSource, scopeID: UUID?) -> String {
        switch source {
        case .petitions: SitePath.petition(id).path
        case .contributions:
            scopeID.map { SitePath.consultation($0).path + "#c-" + id.uuidString.lowercased() } ?? "/consultations"
        case .forumPosts: ForumWriter.permalink(id)
        }
    }
}

/// What the synthesis pages' « Textes analysés » select chooses: a whole source, one
/// consultation or forum of it, or one theme of a consultation. Its value in the query is
/// `source`, `source:id` or `source:id:theme`.
struct TextSelection: Equatable {
    var source: TextSource
    var scopeID: UUID?
    var theme: String?

    var value: String {
        [source.rawValue, scopeID?.uuidString.lowercased(), theme].compactMap { $0 }.joined(separator: ":")
    }

    init(source: TextSource, scopeID: UUID? = nil, theme: String? = nil) {
        self.source = source
        self.scopeID = scopeID
        self.theme = theme
    }

    /// Nil for anything but a known source, then an id, then a theme code.
    init?(value: String) {
        let parts = value.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard let source = TextSource(rawValue: parts[0]) else { return nil }
        self.source = source
        if parts.count > 1 {
            guard let id = UUID(uuidString: parts[1]) else { return nil }
            scopeID = id
        }
        if parts.count > 2 {
            guard !parts[2].isEmpty else { return nil }
            theme = parts[2]
        }
    }

    /// The choices: the `wholeSources`, then each consultation or forum, each consultation
    /// followed by its themes when `themes`.
    static func choices(scopes: [TextScope], wholeSources: [TextSource], themes: Bool, selected: TextSelection?) -> [TrendsChoice] {
        var selections = wholeSources.map { (TextSelection(source: $0), $0.frenchLabel) }
        for scope in scopes {
            selections.append((TextSelection(source: scope.source, scopeID: scope.id), "\(scope.frenchName) (\(Self.count(scope.documentCount)))"))
            guard themes else { continue }
            for theme in scope.themes {
                selections.append((
                    TextSelection(source: scope.source, scopeID: scope.id, theme: theme.code),
                    "— \(scope.frenchName), \(theme.frenchName) (\(Self.count(theme.documentCount)))"
                ))
            }
        }
        return selections.map { TrendsChoice(value: $0.0.value, label: $0.1, selected: $0.0 == selected) }
    }

    /// The texts chosen, as a summary names them.
    func frenchName(among scopes: [TextScope]) -> String {
        guard let scope = scopes.first(where: { $0.id == scopeID }) else { return source.frenchLabel }
        guard let code = theme else { return scope.frenchName }
        return "\(scope.frenchName), " + (scope.themes.first { $0.code == code }?.frenchName ?? "thème \(code)")
    }

    static func count(_ documents: Int) -> String {
        documents == 1 ? "1 texte" : "\(documents) textes"
    }
}

extension TextScope {
    /// « Consultation « Mobilités » », « Forum « Le vélo » ».
    var frenchName: String {
        "\(source == .forumPosts ? "Forum" : "Consultation") « \(title.isEmpty ? "sans titre" : title) »"
    }
}

extension TextScopeTheme {
    var frenchName: String { label.isEmpty ? "thème libre" : "thème « \(label) »" }
}
