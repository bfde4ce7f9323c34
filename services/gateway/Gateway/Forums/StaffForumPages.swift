import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// The forums in the back-office: the list (those still to open included) and the form that
/// opens a forum on a theme, with its question, dates and moderation policy.
struct StaffForumPages: Sendable {
    let web: WebDependencies

    static let forumStaff = Access.staff([.administrator, .staff])

    /// Where the service's refusals are shown on the form.
    static let fields = FormFieldNames(
        ["title": "titre", "theme": "theme", "question": "question", "description": "presentation", "opens_at": "ouverture", "closes_at": "cloture"],
        otherwise: "titre"
    )

    func register(on admin: SecuredRoutes) {
        admin.get("forums", Self.forumStaff) { request, context in try await list(request, context) }
        admin.get("forums/nouveau", Self.forumStaff) { request, context in
            form(request, context, values: ForumForm.Values(), errors: FormErrors())
        }
        admin.post("forums/nouveau", Self.forumStaff) { request, context in try await open(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    private func list(_ request: Request, _ context: WebContext) async throws -> Response {
        let forums = try await call.ask(ListForums(includeUpcoming: true))
        let model = StaffForumListPage(rows: forums.items.map(StaffForumListPage.Row.init), hasRows: !forums.items.isEmpty)
        return web.render(Page("admin-forums", title: "Forums", model: model), request, context)
    }

    private func form(
        _ request: Request, _ context: WebContext, values: ForumForm.Values, errors: FormErrors, status: HTTPResponse.Status = .ok
    ) -> Response {
        let title = Page.title("Ouvrir un forum", hasErrors: !errors.isEmpty)
        return web.render(Page("admin-forum-new", title: title, status: status, model: ForumForm(values: values, errors: errors)), request, context)
    }

    private func open(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let values = ForumForm.Values(context.form)
        var errors = FormErrors()
        let draft = values.draft(errors: &errors)
        if let draft { for problem in draft.problems { errors.add(Self.fields.formField(for: problem.field), problem.message) } }
        guard let draft, errors.isEmpty else { return form(request, context, values: values, errors: errors, status: .unprocessableContent) }
        do {
            _ = try await call.ask(OpenForum(draft: draft, staffID: account.id, staffName: account.shownName))
        } catch let refusal as APIError where refusal.code == "invalid_request" {
            errors.add(refusal, in: Self.fields)
            return form(request, context, values: values, errors: errors, status: .unprocessableContent)
        }
        return PageRenderer.redirect(to: "/admin/forums", notice: ForumNotice.opened)
    }
}
