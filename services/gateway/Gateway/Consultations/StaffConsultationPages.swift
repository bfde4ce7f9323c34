import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import Wording

/// Consultations for staff: the list, and one form to create or change a consultation (its
/// texts with the plain-language hint, themes, dates and extension, kinds, moderation policy,
/// results published). consultation-service audits each change.
struct StaffConsultationPages: Sendable {
    let web: WebDependencies

    static let consultationStaff = Access.staff([.administrator, .staff])

    func register(on admin: SecuredRoutes) {
        admin.get("consultations", Self.consultationStaff) { request, context in try await list(request, context) }
        admin.get("consultations/nouvelle", Self.consultationStaff) { request, context in
            editor(request, context, form: ConsultationForm(), errors: FormErrors(), view: nil, revision: nil)
        }
        admin.post("consultations/nouvelle", Self.consultationStaff) { request, context in try await submit(request, context, id: nil) }
        admin.get("consultations/{id}", Self.consultationStaff) { request, context in
            let view = try await call.ask(GetConsultation(consultationID: try context.requiredID()))
            return editor(request, context, form: ConsultationForm(view.definition), errors: FormErrors(), view: view, revision: view.revision)
        }
        admin.post("consultations/{id}", Self.consultationStaff) { request, context in try await submit(request, context, id: try context.requiredID()) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    static func editorPath(_ id: UUID?) -> String {
        id.map { "/admin/consultations/\($0.uuidString.lowercased())" } ?? "/admin/consultations/nouvelle"
    }

    private func list(_ request: Request, _ context: WebContext) async throws -> Response {
        let consultations = try await call.ask(ListConsultations(limit: 100))
        let rows = consultations.items.map { view in
            StaffConsultationListPage.Row(
                id: view.id.uuidString.lowercased(), title: view.definition.title, status: view.status.label,
                dates: ConsultationDates(view.definition).summary, contributions: view.testimonyCount + view.proposalCount
            )
        }
        let model = StaffConsultationListPage(rows: rows, hasRows: !rows.isEmpty)
        return web.render(Page("admin-consultations", title: "Consultations", model: model), request, context)
    }

    private func editor(
        _ request: Request, _ context: WebContext, form: ConsultationForm, errors: FormErrors, view: ConsultationView?, revision: Int?,
        conflict: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let model = ConsultationEditorPage(form: form, errors: errors, action: Self.editorPath(view?.id), view: view, revision: revision, conflict: conflict)
        let title = Page.title(
            view.map { "Modifier « \($0.definition.title) »" } ?? "Nouvelle consultation", hasErrors: !errors.isEmpty || conflict != nil
        )
        return web.render(Page("admin-consultation-edit", title: title, status: status, model: model), request, context)
    }

    private func submit(_ request: Request, _ context: WebContext, id: UUID?) async throws -> Response {
        let account = try context.requireAccount()
        let form = ConsultationForm(form: context.form)
        var view: ConsultationView?
        if let id { view = try await call.ask(GetConsultation(consultationID: id)) }
        let revision = context.form["revision"].flatMap(Int.init) ?? view?.revision
        let (definition, draftErrors) = form.definition(existing: view?.definition.themes ?? [])
        var errors = draftErrors
        // « Actualiser » only refreshes the readability hints.
        guard context.form["action"] != "actualiser" else {
            return editor(request, context, form: form, errors: FormErrors(), view: view, revision: revision)
        }
        guard let valid = definition else {
            return editor(request, context, form: form, errors: errors, view: view, revision: revision, status: .unprocessableContent)
        }
        let saved: ConsultationView
        do {
            if let view {
                saved = try await call.ask(UpdateConsultation(
                    consultationID: view.id, revision: revision ?? view.revision, definition: valid, staffID: account.id, staffName: account.shownName
                ))
            } else {
                saved = try await call.ask(CreateConsultation(definition: valid, staffID: account.id, staffName: account.shownName))
            }
        } catch let error as APIError where [.unprocessableContent, .badRequest, .conflict].contains(error.status) {
            if error.field == "revision" {
                let conflict = "Quelqu'un a enregistré cette consultation pendant que vous la modifiiez. Vos changements ne sont pas enregistrés, mais ils restent dans ce formulaire : ouvrez la version enregistrée dans un autre onglet, reportez-y ce qui manque, puis enregistrez-la."
                return editor(request, context, form: form, errors: errors, view: view, revision: revision, conflict: conflict, status: .conflict)
            }
            errors.add(error, in: ConsultationForm.fieldNames)
            return editor(request, context, form: form, errors: errors, view: view, revision: revision, status: .unprocessableContent)
        }
        return PageRenderer.redirect(to: Self.editorPath(saved.id), notice: ConsultationNotice.saved)
    }
}

/// A consultation's dates as pages say them.
struct ConsultationDates {
    let opens: String
    let closes: String
    /// « Prolongée jusqu'au … », when it is.
    let extension_: String?

    init(_ definition: ConsultationDefinition) {
        opens = FrenchDate.dateTime(definition.opensAt)
        closes = FrenchDate.dateTime(definition.closesAt)
        extension_ = definition.extendedUntil.map { "Prolongée jusqu'au \(FrenchDate.dateTime($0))" }
    }

    var summary: String {
        "du \(opens) au \(closes)" + (extension_.map { " (\($0.lowercased()))" } ?? "")
    }
}
