import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import Wording

/// Contributions gathered in person, for staff (`/admin/consultations/{id}/recueil`): one at a
/// time from a form, or a CSV file pasted or uploaded, previewed with every problem named by line and
/// column, and stored only whole; and supports of a proposal counted on paper.
struct OfflineContributionPages: Sendable {
    let web: WebDependencies

    /// - Parameter adminUploads: the back-office routes whose forms take a file (the CSV import).
    func register(on admin: SecuredRoutes, adminUploads: SecuredRoutes) {
        let access = StaffConsultationPages.consultationStaff
        admin.get("consultations/{id}/recueil", access) { request, context in
            try await page(request, context, id: try context.requiredID(), form: FormFields(), errors: FormErrors())
        }
        admin.post("consultations/{id}/recueil", access) { request, context in try await recordOne(request, context) }
        adminUploads.post("consultations/{id}/recueil/import", access) { request, context in try await importFile(request, context) }
        admin.post("consultations/{id}/recueil/soutiens-papier", access) { request, context in try await recordPaperSupports(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    static func path(_ id: UUID) -> String { "/admin/consultations/\(id.uuidString.lowercased())/recueil" }

    /// The form's field for each field the contracts name.
    static let entryFields = FormFieldNames(
        [
            "kind": "type", "theme": "thematique", "title": "titre", "text": "texte", "reasons": "pourquoi", "commune": "commune",
            "author_name": "auteur", "place": "lieu", "collected_on": "date", "session": "rencontre", "channel": "canal",
        ],
        otherwise: "titre"
    )
    static let paperFields = FormFieldNames(
        ["count": "soutiens-nombre", "place": "soutiens-lieu", "collected_on": "soutiens-date", "contribution": "soutiens-proposition"],
        otherwise: "soutiens-proposition"
    )

    private func page(
        _ request: Request, _ context: WebContext, id: UUID, form: FormFields, errors: FormErrors, file: OfflineFileSection? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let view = try await call.ask(GetConsultation(consultationID: id))
        let proposals = view.definition.accepted.accepts(.proposal)
            ? try await call.ask(ListContributions(consultationID: id, kind: .proposal, limit: ListContributions.maximumLimit)).items : []
        let model = OfflineContributionPage(
            view: view, form: form, errors: errors, file: file ?? OfflineFileSection(csv: nil, problems: [], rows: []), proposals: proposals
        )
        let title = Page.title("Contributions recueillies – \(view.definition.title)", hasErrors: !errors.isEmpty || !(file?.problems.isEmpty ?? true))
        return web.render(Page("admin-contributions-offline", title: title, status: status, model: model), request, context)
    }

    private func recordOne(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        let form = context.form
        let view = try await call.ask(GetConsultation(consultationID: id))
        var errors = FormErrors()
        let kind = form["type"].flatMap(ContributionKind.init(rawValue:))
        if kind == nil { errors.add("type", "Choisissez « témoignage » ou « proposition ».") }
        let channel = form["canal"].flatMap(OfflineChannel.init(rawValue:))
        if channel == nil { errors.add("canal", "Choisissez comment la contribution a été recueillie.") }
        let entry = OfflineContributionEntry(
            draft: ContributionDraft(
                kind: kind ?? .testimony, theme: form["thematique"] ?? "", title: form["titre"] ?? "", text: form["texte"] ?? "",
                reasons: form["pourquoi"], commune: form["commune"]
            ),
            authorName: form["auteur"],
            origin: OfflineOrigin(place: form["lieu"] ?? "", collectedOn: form["date"] ?? "", session: form["rencontre"] ?? "", channel: channel ?? .inSitu)
        )
        for problem in entry.problems() where !(problem.field == "reasons" && kind == nil) {
            errors.add(Self.entryFields.formField(for: problem.field), problem.message)
        }
        if let kind, !view.definition.accepted.accepts(kind) {
            errors.add("type", kind == .testimony ? "Cette consultation reçoit seulement des propositions." : "Cette consultation reçoit seulement des témoignages.")
        }
        if !entry.draft.theme.isEmpty, view.definition.theme(entry.draft.theme) == nil {
            errors.add("thematique", "Choisissez une des thématiques de la consultation.")
        }
        guard errors.isEmpty else { return try await page(request, context, id: id, form: form, errors: errors, status: .unprocessableContent) }
        do {
            _ = try await call.ask(RecordOfflineContributions(consultationID: id, entries: [entry], staffID: account.id, staffName: account.shownName))
        } catch let error as APIError where [.unprocessableContent, .badRequest, .conflict].contains(error.status) {
            errors.add(Self.entryFields.formField(for: Self.entryField(error.field)), error.message)
            return try await page(request, context, id: id, form: form, errors: errors, status: error.status == .conflict ? .conflict : .unprocessableContent)
        }
        return PageRenderer.redirect(to: Self.path(id), notice: OfflineContributionNotice.recorded)
    }

    /// `entries[0].title` → `title`.
    static func entryField(_ field: String?) -> String? {
        guard let field, let dot = field.firstIndex(of: ".") else { return field }
        return String(field[field.index(after: dot)...])
    }

    /// « Prévisualiser » shows what would be stored and every problem; « Enregistrer » reads the
    /// file again and stores it only when it has none, all in one request (one transaction).
    private func importFile(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        let view = try await call.ask(GetConsultation(consultationID: id))
        let csv: String
        switch Self.uploadedCSV(in: context.form) {
        case .text(let text): csv = text
        case .refused(let message):
            let refused = OfflineFileSection(
                csv: context.form.raw("csv"), problems: [OfflineContributionImport.Problem(line: nil, column: nil, message: message)], rows: [],
                themes: view.definition.themes
            )
            return try await page(request, context, id: id, form: FormFields(), errors: FormErrors(), file: refused, status: .unprocessableContent)
        case nil: csv = context.form.raw("csv") ?? ""
        }
        let reading = OfflineContributionImport(csv: csv, consultation: view.definition)
        let file = OfflineFileSection(csv: csv, problems: reading.problems, rows: reading.rows, themes: view.definition.themes)
        guard reading.isValid else {
            return try await page(request, context, id: id, form: FormFields(), errors: FormErrors(), file: file, status: .unprocessableContent)
        }
        guard context.form["action"] == "enregistrer" else {
            return try await page(request, context, id: id, form: FormFields(), errors: FormErrors(), file: file)
        }
        do {
            _ = try await call.ask(RecordOfflineContributions(
                consultationID: id, entries: reading.entries, staffID: account.id, staffName: account.shownName
            ))
        } catch let error as APIError where [.unprocessableContent, .badRequest, .conflict].contains(error.status) {
            let refused = OfflineFileSection(
                csv: csv, problems: [OfflineContributionImport.Problem(line: nil, column: nil, message: error.message)], rows: reading.rows,
                themes: view.definition.themes
            )
            return try await page(request, context, id: id, form: FormFields(), errors: FormErrors(), file: refused, status: .unprocessableContent)
        }
        return PageRenderer.redirect(to: Self.path(id), notice: OfflineContributionNotice.fileRecorded)
    }

    enum UploadedCSV: Equatable {
        case text(String)
        case refused(String)
    }

    /// The text of the CSV file chosen in the form (`fichier`), which wins over the pasted text;
    /// nil when none was chosen. The text then fills the form's box, so « Enregistrer » sends
    /// exactly what was previewed.
    static func uploadedCSV(in form: FormFields) -> UploadedCSV? {
        if form.fileIsTooLarge("fichier") { return .refused("Le fichier est trop lourd : découpez-le en plusieurs fichiers.") }
        guard let file = form.file("fichier") else { return nil }
        var bytes = file.content[...]
        // A spreadsheet often writes UTF-8 with a byte order mark first.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .refused("Le fichier n'est pas encodé en UTF-8 : dans le tableur, enregistrez-le au format « CSV UTF-8 ».")
        }
        guard !text.contains("\0") else { return .refused(NullCharacters.message) }
        return .text(text)
    }

    private func recordPaperSupports(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        let form = context.form
        var errors = FormErrors()
        let contribution = form["soutiens-proposition"].flatMap(UUID.init(uuidString:))
        if contribution == nil { errors.add("soutiens-proposition", "Choisissez la proposition soutenue.") }
        let count = form["soutiens-nombre"].flatMap { Int($0) }
        if count == nil { errors.add("soutiens-nombre", "Indiquez le nombre de soutiens, de 1 à 100 000.") }
        let day = form["soutiens-date"].flatMap { OfflineOrigin.day($0) }
        if day == nil { errors.add("soutiens-date", "Indiquez la date de la collecte (jj/mm/aaaa).") }
        let place = form["soutiens-lieu"] ?? ""
        if let count, let day {
            for problem in PaperCollection.problems(count: count, counted: "soutiens", place: place, collectedOn: day) {
                errors.add(Self.paperFields.formField(for: problem.field), problem.message)
            }
        }
        guard errors.isEmpty, let contribution, let count, let day else {
            return try await page(request, context, id: id, form: form, errors: errors, status: .unprocessableContent)
        }
        do {
            _ = try await call.ask(RecordPaperSupports(
                contributionID: contribution, count: count, collectedOn: day, place: place, staffID: account.id, staffName: account.shownName
            ))
        } catch let error as APIError where [.unprocessableContent, .badRequest, .conflict, .notFound].contains(error.status) {
            errors.add(error, in: Self.paperFields)
            return try await page(request, context, id: id, form: form, errors: errors, status: error.status == .conflict ? .conflict : .unprocessableContent)
        }
        return PageRenderer.redirect(to: Self.path(id), notice: OfflineContributionNotice.paperSupportsRecorded)
    }
}

/// The notices of the page of contributions gathered in person.
enum OfflineContributionNotice: String, PageNotice {
    case recorded = "contribution-recueillie-enregistree"
    case fileRecorded = "fichier-enregistre"
    case paperSupportsRecorded = "soutiens-papier-enregistres"

    var message: String {
        switch self {
        case .recorded: "La contribution recueillie est enregistrée et publiée."
        case .fileRecorded: "Toutes les contributions du fichier sont enregistrées et publiées."
        case .paperSupportsRecorded: "Les soutiens sur papier sont enregistrés : ils sont comptés à part des soutiens en ligne."
        }
    }
}
