import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import Wording

/// What an author does to their own contribution: change it while nobody supports it
/// (`/contributions/{id}/modifier`; the change goes back to moderation) and withdraw it with a
/// reason (`/contributions/{id}/retirer`). consultation-service answers « not found » to anyone
/// else, so nobody reaches another's.
struct ContributionAuthorPages: Sendable {
    let web: WebDependencies

    func register(on pages: SecuredRoutes) {
        pages.get("contributions/{id}/modifier", .signedIn) { request, context in
            let (own, view) = try await ownContribution(context)
            guard own.editable else { return refused(request, context, own: own, message: Self.lockedMessage(own)) }
            let draft = ContributionDraft(
                kind: own.kind, theme: own.theme, title: own.title, text: own.text, reasons: own.reasons, commune: own.commune
            )
            return editPage(request, context, view: view, own: own, draft: draft, errors: FormErrors())
        }
        pages.post("contributions/{id}/modifier", .signedIn) { request, context in try await edit(request, context) }
        pages.get("contributions/{id}/retirer", .signedIn) { request, context in
            let (own, view) = try await ownContribution(context)
            return withdrawPage(request, context, own: own, view: view, reason: "", errors: FormErrors())
        }
        pages.post("contributions/{id}/retirer", .signedIn) { request, context in try await withdraw(request, context) }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    private func ownContribution(_ context: WebContext) async throws -> (ContributionView, ConsultationView) {
        let account = try context.requireAccount()
        let own = try await call.ask(GetOwnContribution(contributionID: try context.requiredID(), accountID: account.id))
        return (own, try await call.ask(GetConsultation(consultationID: own.consultationID)))
    }

    static func lockedMessage(_ own: ContributionView) -> String {
        own.state == .withdrawn
            ? "Vous avez retiré cette contribution : elle ne peut plus être modifiée."
            : "Quelqu'un a déjà soutenu ou commenté cette contribution : elle ne peut plus être modifiée. Vous pouvez toujours la retirer."
    }

    private func edit(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let (own, view) = try await ownContribution(context)
        let form = context.form
        let draft = ContributionDraft(
            kind: own.kind, theme: form["theme"] ?? "", title: form.raw("title") ?? "", text: form.raw("text") ?? "", reasons: form.raw("reasons"),
            commune: form.raw("commune")
        )
        var errors = FormErrors()
        for problem in draft.problems { errors.add(ContributionPages.fieldNames.formField(for: problem.field), problem.message) }
        guard errors.isEmpty else { return editPage(request, context, view: view, own: own, draft: draft, errors: errors, status: .unprocessableContent) }
        do {
            _ = try await call.ask(EditContribution(contributionID: own.id, accountID: account.id, draft: draft))
        } catch let error as APIError where [.unprocessableContent, .badRequest, .conflict].contains(error.status) {
            errors.add(error, in: ContributionPages.fieldNames)
            return editPage(
                request, context, view: view, own: own, draft: draft, errors: errors, status: error.status == .conflict ? .conflict : .unprocessableContent
            )
        }
        return PageRenderer.redirect(to: "\(SitePath.consultation(view.id).path)?statut=\(ConsultationNotice.contributionEdited.rawValue)#mes-contributions")
    }

    private func withdraw(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let (own, view) = try await ownContribution(context)
        let reason = context.form.raw("reason") ?? ""
        do {
            _ = try await call.ask(WithdrawContribution(contributionID: own.id, accountID: account.id, reason: reason))
        } catch let error as APIError where [.unprocessableContent, .badRequest, .conflict].contains(error.status) {
            var errors = FormErrors()
            errors.add("reason", error.message)
            return withdrawPage(request, context, own: own, view: view, reason: reason, errors: errors, status: .unprocessableContent)
        }
        return PageRenderer.redirect(to: "\(SitePath.consultation(view.id).path)?statut=\(ConsultationNotice.contributionWithdrawn.rawValue)#mes-contributions")
    }

    private func editPage(
        _ request: Request, _ context: WebContext, view: ConsultationView, own: ContributionView, draft: ContributionDraft, errors: FormErrors,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let model = ContributionFormPage(view: view, draft: draft, errors: errors, editing: own.id)
        return web.render(
            Page("contribution-new", title: Page.title("Modifier ma contribution – \(view.definition.title)", hasErrors: !errors.isEmpty), status: status, model: model),
            request, context
        )
    }

    private func withdrawPage(
        _ request: Request, _ context: WebContext, own: ContributionView, view: ConsultationView, reason: String, errors: FormErrors,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let model = ContributionWithdrawPage(
            id: own.id.uuidString.lowercased(), title: own.title, consultationID: view.id.uuidString.lowercased(),
            alreadyWithdrawn: own.state == .withdrawn, errors: errors.summary,
            reasonField: FormField(
                name: "reason", label: "Pourquoi la retirez-vous ?", value: reason, hint: "Quelques mots (3 à 500 caractères), gardés avec la contribution.",
                error: errors["reason"], required: true, rows: 3
            )
        )
        return web.render(
            Page("contribution-withdraw", title: Page.title("Retirer ma contribution", hasErrors: !errors.isEmpty), status: status, model: model), request, context
        )
    }

    private func refused(_ request: Request, _ context: WebContext, own: ContributionView, message: String) -> Response {
        let model = SupportRefusedPage(message: message, back: SitePath.consultation(own.consultationID).path)
        return web.render(Page("contribution-support-refused", title: "Modification impossible", status: .conflict, model: model), request, context)
    }
}

struct ContributionWithdrawPage {
    let id: String
    let title: String
    let consultationID: String
    let alreadyWithdrawn: Bool
    let errors: ErrorSummary?
    let reasonField: FormField
}
