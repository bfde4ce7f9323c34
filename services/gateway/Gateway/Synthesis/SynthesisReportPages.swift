import DialogueContracts
import Foundation
import Hummingbird
import Identity
import NIOCore
import ServiceKit
import Wording

/// `/admin/synthese/rapport`: the report a staff member takes to a commission, for a
/// consultation, a forum or the petitions: a printable page (summary first, then each figure,
/// then the texts it rests on, numbered), and the same figures as CSV and JSON downloads
/// (`rapport.csv`, `rapport.json`). Every figure lists the texts it counts.
struct SynthesisReportPages: Sendable {
    let web: WebDependencies

    func register(on admin: SecuredRoutes) {
        admin.get("synthese/rapport", TextTrendsPages.readers) { request, context in try await page(request, context) }
        admin.get("synthese/rapport.csv", TextTrendsPages.readers) { request, context in try await download(request, context, as: .csv) }
        admin.get("synthese/rapport.json", TextTrendsPages.readers) { request, context in try await download(request, context, as: .json) }
    }

    static let scopeField = TextGroupsPages.scopeField

    enum Format: String {
        case csv, json
    }

    /// The selection asked, or the field's error; nil and no error when nothing is asked.
    private static func selection(_ request: Request, errors: inout FormErrors) -> TextSelection? {
        guard let asked = request.uri.queryParameters.get(scopeField), !asked.isEmpty else { return nil }
        guard let selection = TextSelection(value: asked), selection.theme == nil else {
            errors.add(scopeField, "Choisissez une consultation, un forum ou les pétitions dans la liste.")
            return nil
        }
        return selection
    }

    private func page(_ request: Request, _ context: WebContext) async throws -> Response {
        var errors = FormErrors()
        let scopes = try await ServiceCall(web: web).ask(ListTextScopes()).scopes
        var selection = Self.selection(request, errors: &errors)
        var report: SynthesisReport?
        if let chosen = selection {
            do {
                report = try await ServiceCall(web: web).ask(GetSynthesisReport(source: chosen.source, scopeID: chosen.scopeID))
            } catch let error as APIError where error.status == .unprocessableContent || error.status == .badRequest {
                errors.add(Self.scopeField, error.message)
                selection = nil
            }
        }
        var choices = [TrendsChoice(value: "", label: "— Choisir —", selected: selection == nil)]
        choices += TextSelection.choices(scopes: scopes, wholeSources: [.petitions], themes: false, selected: selection)
        let model = SynthesisReportPage(
            errors: errors.summary,
            scopeSelect: TrendsSelect(name: Self.scopeField, label: "Rapport sur", choices: choices, error: errors[Self.scopeField]),
            report: report.map { SynthesisReportModel(SynthesisReportLabels.labelled($0), name: selection?.frenchName(among: scopes) ?? "") }
        )
        let title = Page.title(report == nil ? "Rapport de synthèse" : "Rapport de synthèse : \(selection?.frenchName(among: scopes) ?? "")", hasErrors: !errors.isEmpty)
        return web.render(Page("admin-synthesis-report", title: title, status: errors.isEmpty ? .ok : .unprocessableContent, model: model), request, context)
    }

    private func download(_ request: Request, _ context: WebContext, as format: Format) async throws -> Response {
        var errors = FormErrors()
        guard let selection = Self.selection(request, errors: &errors) else {
            throw APIError.invalid(Self.scopeField, errors[Self.scopeField] ?? "Choisissez une consultation, un forum ou les pétitions.")
        }
        let report = SynthesisReportLabels.labelled(try await ServiceCall(web: web).ask(GetSynthesisReport(source: selection.source, scopeID: selection.scopeID)))
        let body: String
        switch format {
        case .csv: body = SynthesisReportCSV.text(report)
        case .json:
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            body = String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
        }
        let file = "synthese-\(selection.scopeID?.uuidString.lowercased() ?? selection.source.rawValue).\(format.rawValue)"
        let type = format == .csv ? "text/csv; charset=utf-8" : "application/json"
        return Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "no-store", .contentDisposition: "attachment; filename=\"\(file)\""],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body))
        )
    }
}

/// The reporter gives codes; the report reads them in French, the same in every format.
enum SynthesisReportLabels {
    static func labelled(_ report: SynthesisReport) -> SynthesisReport {
        var report = report
        report.received.label = "Textes reçus"
        report.published.label = "Textes publiés"
        report.byStatus = report.byStatus.map { figure in
            var figure = figure
            figure.label = ReportTextStatus(rawValue: figure.key)?.frenchLabel ?? figure.key
            return figure
        }
        report.byTheme = report.byTheme.map { figure in
            var figure = figure
            if figure.label.isEmpty { figure.label = "Thème libre" }
            return figure
        }
        report.byKind = report.byKind.map { figure in
            var figure = figure
            figure.label = ContributionKind(rawValue: figure.key)?.label ?? figure.key
            return figure
        }
        report.byOrigin = report.byOrigin.map { figure in
            var figure = figure
            figure.label = ContributionOrigin(rawValue: figure.key)?.frenchLabel ?? figure.key
            return figure
        }
        return report
    }
}

/// The report's figures as CSV: one line per figure, `section;cle;libelle;nombre;textes`,
/// the texts' ids separated by spaces.
enum SynthesisReportCSV {
    static func text(_ report: SynthesisReport) -> String {
        var text = CSV.byteOrderMark + CSV.line(["section", "cle", "libelle", "nombre", "textes"])
        func add(_ section: String, _ figure: ReportFigure) {
            text += CSV.line([section, figure.key, figure.label, String(figure.count), ids(figure.documentIDs)])
        }
        add("total", report.received)
        add("total", report.published)
        for figure in report.byStatus { add("statut", figure) }
        for figure in report.byTheme { add("theme", figure) }
        for figure in report.byKind { add("nature", figure) }
        for figure in report.byOrigin { add("origine", figure) }
        for figure in report.keyPhrases { add("expression", figure) }
        for (index, group) in report.groups.enumerated() {
            text += CSV.line(["groupe", String(index + 1), group.label, String(group.documentIDs.count), ids(group.documentIDs)])
            text += CSV.line(["groupe_representatifs", String(index + 1), group.label, String(group.representativeIDs.count), ids(group.representativeIDs)])
        }
        for pair in report.nearDuplicates {
            text += CSV.line(["quasi_doublon", String(format: "%.3f", pair.similarity), "", "2", ids([pair.first, pair.second])])
        }
        return text
    }

    static func ids(_ ids: [UUID]) -> String {
        ids.map { $0.uuidString.lowercased() }.joined(separator: " ")
    }
}

struct SynthesisReportPage {
    let errors: ErrorSummary?
    let scopeSelect: TrendsSelect
    let report: SynthesisReportModel?
}

/// The report as the page shows it: each text numbered (T1, T2…) in an annex, each figure
/// citing the numbers of the texts it counts.
struct SynthesisReportModel {
    let name: String
    let asOf: String
    let summary: [String]
    let isEmpty: Bool
    let tables: [ReportTable]
    let groups: [ReportGroup]
    let hasGroups: Bool
    let duplicates: [ReportDuplicate]
    let hasDuplicates: Bool
    let documents: [ReportDocument]
    let csvHref: String
    let jsonHref: String

    init(_ report: SynthesisReport, name: String) {
        self.name = name
        asOf = report.asOf.map { "Données au \(FrenchDate.dateTime($0))." } ?? "Aucune donnée."
        let numbers = Dictionary(report.documents.enumerated().map { ($0.element.id, $0.offset + 1) }, uniquingKeysWith: { first, _ in first })
        let references = Dictionary(report.documents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func refs(_ ids: [UUID]) -> [ReportReference] {
            ids.compactMap { id in numbers[id].map { ReportReference(number: "T\($0)", anchor: "t-\($0)") } }
                .sorted { Int($0.number.dropFirst()) ?? 0 < Int($1.number.dropFirst()) ?? 0 }
        }
        let published = report.published.count
        func share(_ count: Int) -> String {
            published == 0 ? "—" : (Double(count) / Double(published)).formatted(.percent.precision(.fractionLength(0)).locale(Locale(identifier: "fr_FR")))
        }
        summary = [
            "\(report.received.count) textes reçus, dont \(published) publiés.",
            report.groups.isEmpty ? "" : "\(report.groups.count) groupes de textes semblables ; le plus grand : « \(report.groups[0].label) » (\(report.groups[0].documentIDs.count) textes).",
            report.keyPhrases.isEmpty ? "" : "Expressions clés : " + report.keyPhrases.prefix(5).map { "« \($0.label) »" }.joined(separator: ", ") + ".",
            report.nearDuplicates.isEmpty ? "" : "\(report.nearDuplicates.count) paires de textes presque identiques à examiner.",
        ].filter { !$0.isEmpty }
        isEmpty = report.received.count == 0
        func table(_ id: String, _ title: String, _ figures: [ReportFigure], countsPublished: Bool = true) -> ReportTable {
            ReportTable(id: id, title: title, rows: figures.map {
                ReportRow(label: $0.label, count: String($0.count), share: countsPublished ? share($0.count) : "", references: refs($0.documentIDs))
            }, hasShare: countsPublished)
        }
        tables = [
            table("statuts", "Textes reçus par statut de modération", report.byStatus, countsPublished: false),
            table("themes", "Textes publiés par thème", report.byTheme),
            table("natures", "Textes publiés par nature", report.byKind),
            table("origines", "Textes publiés par origine", report.byOrigin),
            table("expressions", "Expressions clés des textes publiés", report.keyPhrases),
        ].filter { !$0.rows.isEmpty }
        groups = report.groups.enumerated().map { index, group in
            ReportGroup(
                id: "rapport-groupe-\(index + 1)", number: index + 1, label: group.label, count: String(group.documentIDs.count),
                phrases: group.keyPhrases.map { "\($0.label) (\($0.documentIDs.count))" }.joined(separator: " ; "),
                representatives: refs(group.representativeIDs), references: refs(group.documentIDs)
            )
        }
        hasGroups = !groups.isEmpty
        duplicates = report.nearDuplicates.map { pair in
            ReportDuplicate(
                references: refs([pair.first, pair.second]),
                similarity: pair.similarity.formatted(.percent.precision(.fractionLength(0)).locale(Locale(identifier: "fr_FR")))
            )
        }
        hasDuplicates = !duplicates.isEmpty
        documents = report.documents.enumerated().map { index, reference in
            ReportDocument(
                number: "T\(index + 1)", anchor: "t-\(index + 1)", title: reference.title.isEmpty ? "Texte sans titre" : reference.title,
                day: FrenchDate.day(reference.publishedAt),
                href: TrendsDocumentLink(reference.id, source: report.source, references: references).href, id: reference.id.uuidString.lowercased()
            )
        }
        let query = "?\(SynthesisReportPages.scopeField)=" + TextSelection(source: report.source, scopeID: report.scopeID).value
        csvHref = "/admin/synthese/rapport.csv" + query
        jsonHref = "/admin/synthese/rapport.json" + query
    }
}

struct ReportReference {
    let number: String
    let anchor: String
}

struct ReportTable {
    let id: String
    let title: String
    let rows: [ReportRow]
    let hasShare: Bool
}

struct ReportRow {
    let label: String
    let count: String
    let share: String
    let references: [ReportReference]
}

struct ReportGroup {
    let id: String
    let number: Int
    let label: String
    let count: String
    let phrases: String
    let representatives: [ReportReference]
    let references: [ReportReference]
}

struct ReportDuplicate {
    let references: [ReportReference]
    let similarity: String
}

struct ReportDocument {
    let number: String
    let anchor: String
    let title: String
    let day: String
    let href: String
    let id: String
}
