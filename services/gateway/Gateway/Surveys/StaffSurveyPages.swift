import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import SurveyRules

/// The survey builder (staff): the list of surveys, one form for a whole survey whose buttons
/// add, move and remove sections and questions without any script, the plain-language hint,
/// a preview as citizens see it, publication, duplication, and the definition as JSON both ways.
struct StaffSurveyPages: Sendable {
    let web: WebDependencies

    static let surveyStaff = Access.staff([.administrator, .staff])

    func register(on admin: SecuredRoutes) {
        admin.get("enquetes", Self.surveyStaff) { request, context in try await list(request, context) }
        admin.get("enquetes/nouvelle", Self.surveyStaff) { request, context in
            var draft = SurveyDraft()
            draft.addSection()
            draft.sections[0].title = ""
            draft.addQuestion(to: 0, type: SurveyQuestionType.singleChoice.rawValue)
            return editor(request, context, draft: draft, errors: FormErrors(), view: nil, revision: nil)
        }
        admin.post("enquetes/nouvelle", Self.surveyStaff) { request, context in try await submit(request, context, id: nil) }
        admin.get("enquetes/importer", Self.surveyStaff) { request, context in importPage(request, context, json: "", problems: [], errors: FormErrors()) }
        admin.post("enquetes/importer", Self.surveyStaff) { request, context in try await importDefinition(request, context) }
        admin.get("enquetes/{id}", Self.surveyStaff) { request, context in
            let view = try await call.ask(GetSurvey(surveyID: try context.requiredID()))
            return editor(request, context, draft: SurveyDraft(view.definition), errors: FormErrors(), view: view, revision: view.revision)
        }
        admin.post("enquetes/{id}", Self.surveyStaff) { request, context in try await submit(request, context, id: try context.requiredID()) }
        admin.post("enquetes/{id}/publier", Self.surveyStaff) { request, context in try await publish(request, context) }
        admin.post("enquetes/{id}/dupliquer", Self.surveyStaff) { request, context in try await duplicate(context) }
        admin.get("enquetes/{id}/apercu", Self.surveyStaff) { request, context in
            let view = try await call.ask(GetSurvey(surveyID: try context.requiredID()))
            return preview(request, context, definition: view.definition, id: view.id)
        }
        admin.get("enquetes/{id}/definition.json", Self.surveyStaff) { _, context in try await export(context) }
        let trial = SurveyAnsweringFlow(web: web, isPreview: true)
        admin.get("enquetes/{id}/essai", Self.surveyStaff) { request, context in try await trial.start(request, context) }
        admin.post("enquetes/{id}/essai", Self.surveyStaff) { request, context in try await trial.step(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    private static func editorPath(_ id: UUID?) -> String {
        id.map { "/admin/enquetes/\($0.uuidString.lowercased())" } ?? "/admin/enquetes/nouvelle"
    }

    // MARK: List

    private func list(_ request: Request, _ context: WebContext) async throws -> Response {
        let surveys = try await call.ask(ListSurveys(limit: 100))
        let rows = surveys.items.map { survey in
            StaffSurveyListPage.Row(
                id: survey.id.uuidString.lowercased(), title: survey.title, status: survey.status.label,
                dates: [survey.opensAt.map { "du \(FrenchDate.day($0))" }, survey.closesAt.map { "au \(FrenchDate.day($0))" }].compactMap { $0 }
                    .joined(separator: " ").nilIfEmpty ?? "Dates à fixer",
                questions: survey.questionCount, updated: FrenchDate.dateTime(survey.updatedAt)
            )
        }
        return web.render(Page("admin-surveys", title: "Enquêtes", model: StaffSurveyListPage(rows: rows, hasRows: !rows.isEmpty)), request, context)
    }

    // MARK: Editor

    func editor(
        _ request: Request, _ context: WebContext, draft: SurveyDraft, errors: FormErrors, view: SurveyView?, revision: Int?,
        conflict: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let model = SurveyEditorPage(draft: draft, errors: errors, action: Self.editorPath(view?.id), view: view, revision: revision, conflict: conflict)
        let title = Page.title(view == nil ? "Nouvelle enquête" : "Modifier « \(view?.definition.title ?? "") »", hasErrors: !errors.isEmpty || conflict != nil)
        return web.render(Page("admin-survey-edit", title: title, status: status, model: model), request, context)
    }

    /// Every button of the editor posts the whole form: `action` says what to do with it.
    private func submit(_ request: Request, _ context: WebContext, id: UUID?) async throws -> Response {
        let account = try context.requireAccount()
        let form = context.form
        var draft = SurveyDraft(form: form)
        var view: SurveyView?
        if let id { view = try await call.ask(GetSurvey(surveyID: id)) }
        let revision = form["revision"].flatMap(Int.init) ?? view?.revision
        let action = (form["action"] ?? "enregistrer").split(separator: ":").map(String.init)
        let numbers = action.dropFirst().compactMap { Int($0) }
        func at(_ index: Int) -> Int { numbers.count > index ? numbers[index] : -1 }
        switch action.first ?? "" {
        case "ajouter-section": draft.addSection()
        case "ajouter-question": draft.addQuestion(to: at(0), type: form[SurveyDraft.sectionField(at(0), "nouveau-type")] ?? "")
        case "supprimer-question": draft.removeQuestion(section: at(0), question: at(1))
        case "monter-question": draft.moveQuestion(section: at(0), question: at(1), by: -1)
        case "descendre-question": draft.moveQuestion(section: at(0), question: at(1), by: 1)
        case "supprimer-section": draft.removeSection(at(0))
        case "monter-section": draft.moveSection(at(0), by: -1)
        case "descendre-section": draft.moveSection(at(0), by: 1)
        case "actualiser": break
        case "apercu":
            let (definition, errors) = draft.definition()
            guard let definition else {
                return editor(request, context, draft: draft, errors: errors, view: view, revision: revision, status: .unprocessableContent)
            }
            return preview(request, context, definition: definition, id: nil)
        default:
            return try await save(request, context, account: account, draft: draft, view: view, revision: revision)
        }
        return editor(request, context, draft: draft, errors: FormErrors(), view: view, revision: revision)
    }

    private func save(
        _ request: Request, _ context: WebContext, account: Account, draft: SurveyDraft, view: SurveyView?, revision: Int?
    ) async throws -> Response {
        let (definition, draftErrors) = draft.definition()
        var errors = draftErrors
        guard let definition else {
            return editor(request, context, draft: draft, errors: errors, view: view, revision: revision, status: .unprocessableContent)
        }
        let saved: SurveyView
        do {
            if let view {
                saved = try await call.ask(UpdateSurvey(
                    surveyID: view.id, revision: revision ?? view.revision, definition: definition, staffID: account.id, staffName: account.shownName
                ))
            } else {
                saved = try await call.ask(CreateSurvey(definition: definition, staffID: account.id, staffName: account.shownName))
            }
        } catch let error as APIError where [.unprocessableContent, .badRequest, .conflict].contains(error.status) {
            if error.field == "revision" {
                let conflict = "Quelqu'un a enregistré cette enquête pendant que vous la modifiiez. Vos changements ne sont pas enregistrés, mais ils restent dans ce formulaire : ouvrez la version enregistrée dans un autre onglet, reportez-y ce qui manque, puis enregistrez-la."
                return editor(request, context, draft: draft, errors: errors, view: view, revision: revision, conflict: conflict, status: .conflict)
            }
            errors.add(draft.formField(for: error.field), error.message)
            return editor(
                request, context, draft: draft, errors: errors, view: view, revision: revision,
                status: error.status == .conflict ? .conflict : .unprocessableContent
            )
        }
        return PageRenderer.redirect(to: Self.editorPath(saved.id), notice: SurveyNotice.saved)
    }

    // MARK: Publish, duplicate

    private func publish(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        do {
            _ = try await call.ask(PublishSurvey(surveyID: id, staffID: account.id, staffName: account.shownName))
        } catch let error as APIError where [.unprocessableContent, .badRequest, .conflict].contains(error.status) {
            let view = try await call.ask(GetSurvey(surveyID: id))
            let draft = SurveyDraft(view.definition)
            var errors = FormErrors()
            errors.add(draft.formField(for: error.field), error.message)
            return editor(request, context, draft: draft, errors: errors, view: view, revision: view.revision, status: error.status == .conflict ? .conflict : .unprocessableContent)
        }
        // survey-service audits the publication in its own transaction.
        return PageRenderer.redirect(to: Self.editorPath(id), notice: SurveyNotice.published)
    }

    private func duplicate(_ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let original = try await call.ask(GetSurvey(surveyID: try context.requiredID()))
        var definition = original.definition
        definition.title = String("Copie de \(definition.title)".prefix(SurveyLimits.titleLength.upperBound))
        let copy = try await call.ask(CreateSurvey(definition: definition, staffID: account.id, staffName: account.shownName))
        return PageRenderer.redirect(to: Self.editorPath(copy.id), notice: SurveyNotice.duplicated)
    }

    // MARK: Preview

    func preview(_ request: Request, _ context: WebContext, definition: SurveyDefinition, id: UUID?) -> Response {
        let sections = definition.sections.map { section in
            AnswerSection(
                title: section.title.nilIfEmpty,
                questions: section.questions.map { AnswerQuestion($0, answer: nil, error: nil) }
            )
        }
        let model = SurveyPreviewPage(
            id: id?.uuidString.lowercased(), survey: SurveyIntroduction(definition), sections: sections, backLink: Self.editorPath(id)
        )
        return web.render(Page("admin-survey-preview", title: "Aperçu – \(definition.title)", model: model), request, context)
    }

    // MARK: JSON

    static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    private func export(_ context: WebContext) async throws -> Response {
        let view = try await call.ask(GetSurvey(surveyID: try context.requiredID()))
        let body = try Self.jsonEncoder().encode(view.definition)
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"enquete-\(view.id.uuidString.lowercased()).json\"",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    private func importPage(_ request: Request, _ context: WebContext, json: String, problems: [String], errors: FormErrors, status: HTTPResponse.Status = .ok) -> Response {
        let model = SurveyImportPage(
            errors: errors.summary,
            jsonField: FormField(
                name: "definition", label: "Définition de l'enquête (JSON)", value: json,
                hint: "Collez le contenu d'un fichier exporté depuis une autre enquête. L'enquête importée est créée en brouillon.",
                error: errors["definition"], required: true, rows: 16
            ),
            problems: problems, hasProblems: !problems.isEmpty
        )
        return web.render(Page("admin-survey-import", title: Page.title("Importer une enquête", hasErrors: !errors.isEmpty), status: status, model: model), request, context)
    }

    private func importDefinition(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let json = context.form.raw("definition") ?? ""
        var errors = FormErrors()
        let definition: SurveyDefinition
        switch Self.importedDefinition(json) {
        case .failure(let problems):
            for problem in problems.messages { errors.add("definition", problem) }
            return importPage(request, context, json: json, problems: problems.messages, errors: errors, status: .unprocessableContent)
        case .success(let imported):
            definition = imported
        }
        do {
            let created = try await call.ask(CreateSurvey(definition: definition, staffID: account.id, staffName: account.shownName))
            return PageRenderer.redirect(to: Self.editorPath(created.id), notice: SurveyNotice.imported)
        } catch let error as APIError where [.unprocessableContent, .badRequest, .conflict].contains(error.status) {
            let problem = "\(error.field.map { "« \($0) » : " } ?? "")\(error.message)"
            errors.add("definition", problem)
            return importPage(request, context, json: json, problems: [problem], errors: errors, status: .unprocessableContent)
        }
    }

    struct ImportProblems: Error {
        let messages: [String]
    }

    /// The definition in `json`, or every problem in it, each naming the field at fault
    /// (`sections[0].questions[2].type`) in French.
    static func importedDefinition(_ json: String) -> Result<SurveyDefinition, ImportProblems> {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let definition: SurveyDefinition
        do {
            definition = try decoder.decode(SurveyDefinition.self, from: Data(json.utf8))
        } catch let error as DecodingError {
            return .failure(ImportProblems(messages: [importMessage(error)]))
        } catch {
            return .failure(ImportProblems(messages: ["Ce texte n'est pas une définition d'enquête lisible."]))
        }
        let problems = SurveyDefinitionCheck.problems(in: definition)
        guard problems.isEmpty else {
            return .failure(ImportProblems(messages: problems.map { "« \($0.field) » : \($0.message)" }))
        }
        return .success(definition)
    }

    private static func path(_ codingPath: [any CodingKey], then key: (any CodingKey)? = nil) -> String {
        var text = ""
        for component in codingPath + (key.map { [$0] } ?? []) {
            if let index = component.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + component.stringValue }
        }
        return text.isEmpty ? "la définition" : text
    }

    static func importMessage(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "« \(path(context.codingPath, then: key)) » : ce champ manque."
        case .typeMismatch(_, let context):
            return "« \(path(context.codingPath)) » : cette valeur n'a pas le type attendu (texte, nombre, liste…)."
        case .valueNotFound(_, let context):
            return "« \(path(context.codingPath)) » : une valeur est attendue ici."
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "Ce texte n'est pas du JSON valide : vérifiez les guillemets, virgules et accolades." }
            return "« \(path(context.codingPath)) » : cette valeur n'est pas reconnue (type de question, opérateur, date ISO 8601…)."
        @unknown default:
            return "Ce texte n'est pas une définition d'enquête lisible."
        }
    }
}
