import DialogueContracts
import Foundation
import ServiceKit
import Wording

/// A CSV file of contributions gathered in person, read for staff: what would be stored, and
/// every problem naming its line and column, checked against the consultation (kinds, themes)
/// before anything is sent. Shared by the admin page and the API.
struct OfflineContributionImport {
    /// Kept under the form's body limit (64 KiB by default) once the browser has encoded it.
    static let maximumCharacters = 30_000
    static let maximumLines = RecordOfflineContributions.maximumEntries

    /// The columns, as the header names them (case, accents and spaces do not matter).
    enum Column: String, CaseIterable {
        case kind = "type"
        case theme = "thématique"
        case title = "titre"
        case text = "texte"
        case reasons = "pourquoi"
        case commune
        case author = "auteur"
        case place = "lieu"
        case day = "date"
        case session = "rencontre"
        case channel = "canal"

        var required: Bool { ![.reasons, .commune, .author].contains(self) }

        /// The column of a field the contracts name.
        init?(field: String?) {
            switch field {
            case "kind": self = .kind
            case "theme": self = .theme
            case "title": self = .title
            case "text": self = .text
            case "reasons": self = .reasons
            case "commune": self = .commune
            case "author_name": self = .author
            case "place": self = .place
            case "collected_on": self = .day
            case "session": self = .session
            case "channel": self = .channel
            default: return nil
            }
        }
    }

    /// One problem of the file: the line (the header is 1) and the column at fault when one
    /// is; a problem of the whole file (too long, empty) names no line.
    struct Problem: Equatable, Encodable {
        let line: Int?
        let column: String?
        let message: String

        /// « Ligne 3, colonne « titre » : … », as the page and the API say it.
        var text: String {
            guard let line else { return message }
            return "Ligne \(line)" + (column.map { ", colonne « \($0) »" } ?? "") + " : " + message
        }
    }

    /// One line as it would be stored.
    struct Row {
        let line: Int
        let entry: OfflineContributionEntry
    }

    let rows: [Row]
    let problems: [Problem]

    var entries: [OfflineContributionEntry] { rows.map(\.entry) }
    var isValid: Bool { problems.isEmpty && !rows.isEmpty }

    init(csv: String, consultation: ConsultationDefinition, now: Date = Date()) {
        let records: [CSVReader.Record]
        switch Result(catching: { () throws(CSVReader.Failure) in
            try CSVReader.read(csv, maximumCharacters: Self.maximumCharacters, maximumRecords: Self.maximumLines)
        }) {
        case .success(let read): records = read
        case .failure(let failure):
            self.rows = []
            if case .unclosedQuote(let line) = failure {
                self.problems = [Problem(line: line, column: nil, message: Self.strippingLinePrefix(failure.message))]
            } else {
                self.problems = [Problem(line: nil, column: nil, message: failure.message)]
            }
            return
        }
        var problems: [Problem] = []
        var rows: [Row] = []
        // The header: each column known, each required one present.
        let header = records[0]
        var positions: [Column: Int] = [:]
        for (position, name) in header.fields.enumerated() {
            guard let column = Column.allCases.first(where: { Self.folded($0.rawValue) == Self.folded(name) }) else {
                if !name.trimmingCharacters(in: .whitespaces).isEmpty {
                    problems.append(Problem(line: header.line, column: name, message: "colonne inconnue. Les colonnes sont : \(Self.columnList)."))
                }
                continue
            }
            if positions[column] != nil {
                problems.append(Problem(line: header.line, column: name, message: "cette colonne figure deux fois."))
            }
            positions[column] = position
        }
        for column in Column.allCases where column.required && positions[column] == nil {
            problems.append(Problem(line: header.line, column: column.rawValue, message: "cette colonne obligatoire manque."))
        }
        if records.count == 1 {
            problems.append(Problem(line: header.line, column: nil, message: "le fichier ne contient aucune contribution après la ligne des colonnes."))
        }
        guard problems.isEmpty else {
            self.rows = []
            self.problems = problems
            return
        }
        for record in records.dropFirst() {
            if record.fields.count > header.fields.count {
                problems.append(Problem(
                    line: record.line, column: nil,
                    message: "\(record.fields.count) champs pour \(header.fields.count) colonnes. Vérifiez le séparateur et les guillemets de cette ligne."
                ))
                continue
            }
            func value(_ column: Column) -> String {
                guard let position = positions[column], position < record.fields.count else { return "" }
                return record.fields[position].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            var lineProblems: [Problem] = []
            func problem(_ column: Column, _ message: String) {
                lineProblems.append(Problem(line: record.line, column: column.rawValue, message: message))
            }
            let kind = Self.kind(value(.kind))
            if kind == nil { problem(.kind, value(.kind).isEmpty ? "indiquez « témoignage » ou « proposition »." : "le type vaut « témoignage » ou « proposition ».") }
            if let kind, !consultation.accepted.accepts(kind) {
                problem(.kind, kind == .testimony ? "cette consultation reçoit seulement des propositions." : "cette consultation reçoit seulement des témoignages.")
            }
            let theme = Self.theme(value(.theme), in: consultation.themes)
            if theme == nil && !value(.theme).isEmpty {
                problem(.theme, "thématique inconnue. Les thématiques sont : \(consultation.themes.map { "« \($0.shownLabel) »" }.joined(separator: ", ")).")
            }
            let channel = Self.channel(value(.channel))
            if channel == nil {
                problem(.channel, "le canal vaut « animation in situ », « atelier », « formulaire papier » ou « courrier ».")
            }
            let day = Self.day(value(.day))
            if day == nil { problem(.day, value(.day).isEmpty ? "indiquez la date de la rencontre." : "la date s'écrit JJ/MM/AAAA ou AAAA-MM-JJ.") }
            let entry = OfflineContributionEntry(
                draft: ContributionDraft(
                    kind: kind ?? .testimony, theme: theme?.code ?? value(.theme), title: value(.title), text: value(.text), reasons: value(.reasons),
                    commune: value(.commune)
                ),
                authorName: value(.author),
                origin: OfflineOrigin(place: value(.place), collectedOn: day ?? "", session: value(.session), channel: channel ?? .inSitu)
            )
            for failure in entry.problems(now: now) {
                guard let column = Column(field: failure.field) else { continue }
                // Kinds, days and themes are said above, in the file's own words.
                if column == .kind || column == .day || (column == .theme && !value(.theme).isEmpty) { continue }
                if column == .reasons && kind == nil { continue }
                problem(column, Self.lowercasingFirst(failure.message))
            }
            problems += lineProblems
            if lineProblems.isEmpty { rows.append(Row(line: record.line, entry: entry)) }
        }
        self.rows = problems.isEmpty ? rows : []
        self.problems = problems
    }

    static var columnList: String { Column.allCases.map(\.rawValue).joined(separator: ", ") }

    /// Lowercase, without accents nor spaces: « Thématique » and « thematique » are one column.
    static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
            .filter { !$0.isWhitespace && $0 != "_" && $0 != "-" }
    }

    static func kind(_ text: String) -> ContributionKind? {
        switch folded(text) {
        case "temoignage", "testimony": .testimony
        case "proposition", "proposal": .proposal
        default: nil
        }
    }

    /// By its code or its label (or « thématique libre » for the free one).
    static func theme(_ text: String, in themes: [ConsultationTheme]) -> ConsultationTheme? {
        let wanted = folded(text)
        guard !wanted.isEmpty else { return nil }
        return themes.first { folded($0.code) == wanted || folded($0.shownLabel) == wanted || (!$0.label.isEmpty && folded($0.label) == wanted) }
    }

    static func channel(_ text: String) -> OfflineChannel? {
        let wanted = folded(text)
        if wanted == "insitu" { return .inSitu }
        return OfflineChannel.allCases.first { folded($0.label) == wanted || folded($0.rawValue) == wanted }
    }

    /// `JJ/MM/AAAA` (French spreadsheets) or `AAAA-MM-JJ`, as `yyyy-MM-dd`; nil when not a real day.
    static func day(_ text: String) -> String? {
        var iso = text
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 3, let dayOfMonth = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]), parts[2].count == 4 {
            iso = String(format: "%04d-%02d-%02d", year, month, dayOfMonth)
        }
        return OfflineOrigin.day(iso) == nil ? nil : iso
    }

    private static func lowercasingFirst(_ message: String) -> String {
        message.prefix(1).lowercased() + message.dropFirst()
    }

    /// The reader says « Ligne 3 : … » itself; a problem says its line apart.
    private static func strippingLinePrefix(_ message: String) -> String {
        guard message.hasPrefix("Ligne "), let colon = message.range(of: " : ") else { return message }
        return String(message[colon.upperBound...])
    }
}

extension OfflineOrigin {
    /// « Recueillie lors de « Forum des associations » (atelier), Lille, le 14 mars 2026 ».
    var publicLabel: String {
        "Recueillie lors de « \(session) » (\(channel.label.lowercased())), \(place), le \(day.map(FrenchDate.day) ?? collectedOn)"
    }
}
