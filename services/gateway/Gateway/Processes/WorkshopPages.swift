import DialogueContracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import ServiceKit

/// The public workshop pages: a workshop with its seats left and its registration form
/// (with or without an account), a registration opened with its token (status, check-in code,
/// invitation, the button confirming a seat given from the waitlist, cancel button), the invitation (.ics) and a process's calendar feed.
struct WorkshopPages: Sendable {
    let web: WebDependencies

    func register(on pages: SecuredRoutes) {
        pages.get("ateliers/{id}", .everyone) { request, context in
            let workshop = try await call.ask(GetWorkshop(workshopID: try context.requiredID()))
            return page(request, context, workshop, values: WorkshopPageModel.Values(signedIn: context.account))
        }
        pages.post("ateliers/{id}/inscription", .everyone) { request, context in try await registerVisitor(request, context) }
        pages.get("inscription-atelier", .everyone) { request, context in
            registrationPage(request, context, try await call.ask(GetWorkshopRegistration(token: token(request))))
        }
        // A POST, not the mail's link itself: a mail scanner opening links confirms nothing.
        pages.post("inscription-atelier/confirmer", .everyone) { request, context in
            let token = context.form[SitePath.tokenParameter] ?? ""
            do {
                let receipt = try await call.ask(ConfirmWorkshopPromotion(token: token))
                return PageRenderer.redirect(to: SitePath.workshopRegistration(token: receipt.cancelToken).path, notice: WorkshopNotice.promotionConfirmed)
            } catch let refusal as APIError where refusal.status == .conflict {
                let receipt = try await call.ask(GetWorkshopRegistration(token: token))
                return registrationPage(request, context, receipt, refusal: refusal.message, status: refusal.status)
            }
        }
        pages.post("inscription-atelier/annuler", .everyone) { _, context in
            let receipt = try await call.ask(CancelWorkshopRegistration(token: context.form[SitePath.tokenParameter] ?? ""))
            return PageRenderer.redirect(to: SitePath.workshopRegistration(token: receipt.cancelToken).path, notice: WorkshopNotice.registrationCancelled)
        }
        pages.get("inscription-atelier/invitation.ics", .everyone) { request, _ in
            let receipt = try await call.ask(GetWorkshopRegistration(token: token(request)))
            let calendar = ICalendar(
                name: WorkshopLabels.title(receipt.workshop),
                events: [WorkshopCalendar.event(receipt.workshop, links: web.links, checkInCode: receipt.status == .confirmed ? receipt.checkInCode : nil)]
            )
            return Self.calendarResponse(calendar, filename: "atelier.ics")
        }
        pages.get("processus/{id}/ateliers.ics", .everyone) { _, context in
            let id = try context.requiredID()
            let process = try await call.ask(GetProcess(processID: id))
            let list = try await call.ask(ListProcessWorkshops(processID: id))
            let calendar = ICalendar(name: "Ateliers — \(process.title)", events: list.items.map { WorkshopCalendar.event($0, links: web.links) })
            return Self.calendarResponse(calendar, filename: "ateliers.ics")
        }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    private func token(_ request: Request) -> String { request.uri.queryParameters.get(SitePath.tokenParameter) ?? "" }

    static func calendarResponse(_ calendar: ICalendar, filename: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/calendar; charset=utf-8", .cacheControl: "no-store", .contentDisposition: "attachment; filename=\"\(filename)\""],
            body: .init(byteBuffer: ByteBuffer(string: calendar.rendered()))
        )
    }

    private func registrationPage(
        _ request: Request, _ context: WebContext, _ receipt: WorkshopRegistrationReceipt, refusal: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let model = WorkshopRegistrationPageModel(receipt, refusal: refusal)
        let title = Page.title("Votre inscription – \(model.workshop.title)", hasErrors: refusal != nil)
        return web.render(Page("workshop-registration", title: title, status: status, model: model), request, context)
    }

    private func page(
        _ request: Request, _ context: WebContext, _ workshop: WorkshopView, values: WorkshopPageModel.Values, errors: FormErrors = FormErrors(),
        refusal: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let model = WorkshopPageModel(workshop, values: values, errors: errors, refusal: refusal)
        let title = Page.title(model.workshop.title, hasErrors: !errors.isEmpty || refusal != nil)
        return web.render(Page("workshop", title: title, status: status, model: model), request, context)
    }

    /// The form back with its errors next to their fields, or a refusal above it (full,
    /// cancelled, begun); else the registration's own page.
    private func registerVisitor(_ request: Request, _ context: WebContext) async throws -> Response {
        let id = try context.requiredID()
        try await web.limiter.check(web.settings.rateLimits.workshopRegistration, client: context.clientAddress)
        let values = WorkshopPageModel.Values(context.form)
        let draft = values.draft
        var errors = FormErrors()
        for problem in draft.problems { errors.add(WorkshopPageModel.fieldNames.formField(for: problem.field), problem.message) }
        if !errors.isEmpty {
            let workshop = try await call.ask(GetWorkshop(workshopID: id))
            return page(request, context, workshop, values: values, errors: errors, status: .unprocessableContent)
        }
        do {
            let receipt = try await call.ask(RegisterForWorkshop(workshopID: id, draft: draft, accountID: context.account?.id))
            let notice = receipt.status == .confirmed ? WorkshopNotice.registered : WorkshopNotice.waitlisted
            return PageRenderer.redirect(to: SitePath.workshopRegistration(token: receipt.cancelToken).path, notice: notice)
        } catch let refusal as APIError where refusal.status == .conflict || refusal.code == "invalid_request" {
            let workshop = try await call.ask(GetWorkshop(workshopID: id))
            if refusal.field != nil {
                errors.add(refusal, in: WorkshopPageModel.fieldNames)
                return page(request, context, workshop, values: values, errors: errors, status: refusal.status)
            }
            return page(request, context, workshop, values: values, refusal: refusal.message, status: refusal.status)
        }
    }
}

extension WorkshopPageModel.Values {
    /// A signed-in visitor's name and address, filled in for them.
    init(signedIn account: Account?) {
        self.init()
        if let account {
            name = account.displayName ?? ""
            email = account.email
        }
    }
}
