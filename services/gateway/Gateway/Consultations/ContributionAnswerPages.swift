import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit
import Wording

/// Accountability (*redevabilité*) on the site (what became of a contribution shows on its own
/// page, `ContributionCommentPages`): a consultation's public balance sheet
/// (`/consultations/{id}/bilan`), and for staff, the published contributions of a consultation
/// to answer one or a selection at a time (`/admin/consultations/{id}/contributions`).
struct ContributionAnswerPages: Sendable {
    let web: WebDependencies

    func register(pages: SecuredRoutes, admin: SecuredRoutes) {
        pages.get("consultations/{id}/bilan", .everyone) { request, context in try await balanceSheet(request, context) }
        admin.get("consultations/{id}/contributions", StaffConsultationPages.consultationStaff) { request, context in
            let view = try await call.ask(GetConsultation(consultationID: try context.requiredID()))
            let selected = Set(request.uri.queryParameters.get("contribution").flatMap(UUID.init(uuidString:)).map { [$0] } ?? [])
            return try await answersPage(request, context, view: view, form: AnswerForm(selected: selected), errors: FormErrors())
        }
        admin.post("consultations/{id}/contributions", StaffConsultationPages.consultationStaff) { request, context in
            try await answer(request, context)
        }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    private func balanceSheet(_ request: Request, _ context: WebContext) async throws -> Response {
        let view = try await call.ask(GetConsultation(consultationID: try context.requiredID()))
        let sheet = try await call.ask(GetBalanceSheet(consultationID: view.id))
        return web.render(
            Page("consultation-balance-sheet", title: "Bilan – \(view.definition.title)", model: BalanceSheetPage(sheet, consultation: view)),
            request, context
        )
    }

    static let fieldNames = FormFieldNames(
        ["status": "status", "reason": "reason", "report_url": "report_url", "text": "text", "contributions": "contributions"], otherwise: "contributions"
    )

    private func answer(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let view = try await call.ask(GetConsultation(consultationID: try context.requiredID()))
        let form = AnswerForm(context.form)
        var errors = FormErrors()
        if form.selected.isEmpty { errors.add("contributions", "Cochez au moins une contribution.") }
        guard let status = form.status else {
            errors.add("status", "Choisissez la suite donnée.")
            return try await answersPage(request, context, view: view, form: form, errors: errors, status: .unprocessableContent)
        }
        let answer = ContributionAnswer(status: status, text: form.text, reason: form.reason, reportURL: form.reportURL)
        for problem in answer.problems { errors.add(Self.fieldNames.formField(for: problem.field), problem.message) }
        guard errors.isEmpty else { return try await answersPage(request, context, view: view, form: form, errors: errors, status: .unprocessableContent) }
        let outcome: AnswerOutcome
        do {
            outcome = try await call.ask(AnswerContributions(
                consultationID: view.id, contributionIDs: Array(form.selected), answer: answer, staffID: account.id, staffName: account.shownName
            ))
        } catch let error as APIError where [.unprocessableContent, .badRequest, .conflict, .notFound].contains(error.status) {
            errors.add(error, in: Self.fieldNames)
            return try await answersPage(request, context, view: view, form: form, errors: errors, status: .unprocessableContent)
        }
        let notice: ConsultationNotice = outcome.changed.isEmpty ? .answerUnchanged : .answered
        return PageRenderer.redirect(to: "/admin/consultations/\(view.id.uuidString.lowercased())/contributions", notice: notice)
    }

    private func answersPage(
        _ request: Request, _ context: WebContext, view: ConsultationView, form: AnswerForm, errors: FormErrors, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let parameters = request.uri.queryParameters
        let filter = parameters.get("suite").flatMap(ContributionAnswerStatus.init(rawValue:))
        let page = parameters.get("page").flatMap(Int.init).map { max(1, min($0, 10_000)) } ?? 1
        let listed = try await call.ask(ListContributions(
            consultationID: view.id, order: .newest, limit: StaffAnswersPage.pageSize, offset: (page - 1) * StaffAnswersPage.pageSize,
            answerStatus: filter
        ))
        let model = StaffAnswersPage(view: view, listed: listed, form: form, errors: errors, filter: filter, page: page)
        let title = Page.title("Suites données – \(view.definition.title)", hasErrors: !errors.isEmpty)
        return web.render(Page("admin-contribution-answers", title: title, status: status, model: model), request, context)
    }
}

/// The staff answer form as sent: the contributions ticked, the status, and its texts.
struct AnswerForm {
    var selected: Set<UUID>
    var status: ContributionAnswerStatus?
    var reason: String?
    var reportURL: String?
    var text: String?

    init(selected: Set<UUID> = []) {
        self.selected = selected
    }

    init(_ form: FormFields) {
        selected = Set(form.all("contributions").compactMap(UUID.init(uuidString:)))
        status = form["status"].flatMap(ContributionAnswerStatus.init(rawValue:))
        reason = form.raw("reason")
        reportURL = form["report_url"]
        text = form.raw("text")
    }
}
