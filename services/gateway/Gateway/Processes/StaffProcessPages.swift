import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// The processes in the back-office: the list and the form that writes a process with its
/// phases, phase by phase or from seed 001's seven-step model.
struct StaffProcessPages: Sendable {
    let web: WebDependencies

    static let processStaff = Access.staff([.administrator, .staff])

    func register(on admin: SecuredRoutes) {
        admin.get("processus", Self.processStaff) { request, context in try await list(request, context) }
        admin.get("processus/nouveau", Self.processStaff) { request, context in
            form(request, context, values: ProcessForm.Values(), errors: FormErrors())
        }
        admin.post("processus/nouveau", Self.processStaff) { request, context in try await submit(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    private func list(_ request: Request, _ context: WebContext) async throws -> Response {
        let model = StaffProcessListPage(try await call.ask(ListProcesses()))
        return web.render(Page("admin-processes", title: "Démarches participatives", model: model), request, context)
    }

    private func form(
        _ request: Request, _ context: WebContext, values: ProcessForm.Values, errors: FormErrors, extraSlot: Bool = false,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let title = Page.title("Nouvelle démarche participative", hasErrors: !errors.isEmpty)
        let model = ProcessForm(values: values, errors: errors, extraSlot: extraSlot)
        return web.render(Page("admin-process-new", title: title, status: status, model: model), request, context)
    }

    /// Three buttons share the form: one adds a phase, one fills the phases from the model,
    /// the last saves the process.
    private func submit(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        var values = ProcessForm.Values(context.form)
        var errors = FormErrors()
        switch context.form["action"] {
        case "ajouter":
            return form(request, context, values: values, errors: errors, extraSlot: true)
        case "modele":
            let phases = ProcessTemplate.citizenWorkshops.phases(startingOn: values.templateStart)
            guard !phases.isEmpty else {
                errors.add("modele-debut", "Indiquez le premier jour de l'appel à contributions, par exemple 2027-03-01.")
                return form(request, context, values: values, errors: errors, status: .unprocessableContent)
            }
            values.phases = phases.map(ProcessForm.PhaseValues.init)
            return form(request, context, values: values, errors: errors)
        default:
            break
        }
        guard let draft = values.draft(errors: &errors) else {
            return form(request, context, values: values, errors: errors, status: .unprocessableContent)
        }
        do {
            _ = try await call.ask(CreateProcess(draft: draft, staffID: account.id, staffName: account.shownName))
        } catch let refusal as APIError where refusal.code == "invalid_request" {
            errors.add(ProcessForm.fieldName(for: refusal.field), refusal.message)
            return form(request, context, values: values, errors: errors, status: .unprocessableContent)
        }
        return PageRenderer.redirect(to: "/admin/processus", notice: ProcessNotice.created)
    }
}
