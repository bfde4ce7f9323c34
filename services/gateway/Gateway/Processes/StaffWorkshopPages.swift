import DialogueContracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import ServiceKit

/// Workshops in the back-office: a process's workshops, the scheduling and editing forms, and a workshop's
/// registrations with check-in by code, the CSV export and calling the workshop off.
struct StaffWorkshopPages: Sendable {
    let web: WebDependencies

    static let workshopStaff = StaffProcessPages.processStaff
    /// The roles that may read registrants' names and addresses (as for petition signatures):
    /// others see codes, needs and statuses only.
    static let personalDataRoles: Set<StaffRole> = [.administrator]

    func register(on admin: SecuredRoutes) {
        admin.get("processus/{id}/ateliers", Self.workshopStaff) { request, context in
            let id = try context.requiredID()
            let model = StaffProcessWorkshopsPage(try await call.ask(GetProcess(processID: id)), try await call.ask(ListProcessWorkshops(processID: id)))
            return web.render(Page("admin-process-workshops", title: "Ateliers – \(model.processTitle)", model: model), request, context)
        }
        admin.get("processus/{id}/ateliers/nouveau", Self.workshopStaff) { request, context in
            let process = try await call.ask(GetProcess(processID: try context.requiredID()))
            return form(request, context, process, values: WorkshopForm.Values(), errors: FormErrors())
        }
        admin.post("processus/{id}/ateliers/nouveau", Self.workshopStaff) { request, context in try await schedule(request, context) }
        admin.get("ateliers/{id}", Self.workshopStaff) { request, context in try await registrations(request, context) }
        admin.get("ateliers/{id}/modifier", Self.workshopStaff) { request, context in
            let workshop = try await call.ask(GetWorkshop(workshopID: try context.requiredID()))
            let process = try await call.ask(GetProcess(processID: workshop.processID))
            return form(request, context, process, values: WorkshopForm.Values(workshop), errors: FormErrors(), editing: workshop.id)
        }
        admin.post("ateliers/{id}/modifier", Self.workshopStaff) { request, context in try await change(request, context) }
        admin.get("ateliers/{id}/inscriptions.csv", Self.workshopStaff) { _, context in try await export(context) }
        admin.post("ateliers/{id}/pointage", Self.workshopStaff) { request, context in try await checkIn(request, context) }
        admin.post("ateliers/{id}/annuler", Self.workshopStaff) { _, context in
            let account = try context.requireAccount()
            let workshop = try await call.ask(CancelWorkshop(workshopID: try context.requiredID(), staffID: account.id, staffName: account.shownName))
            return PageRenderer.redirect(to: SitePath.staffWorkshop(workshop.id).path, notice: WorkshopNotice.workshopCancelled)
        }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    static func readsPersonalData(_ account: Account?) -> Bool {
        account.map { !$0.roles.isDisjoint(with: personalDataRoles) } ?? false
    }

    private func form(
        _ request: Request, _ context: WebContext, _ process: ProcessView, values: WorkshopForm.Values, errors: FormErrors,
        status: HTTPResponse.Status = .ok, editing workshopID: UUID? = nil
    ) -> Response {
        let model = WorkshopForm(process, values: values, errors: errors, editing: workshopID)
        let title = Page.title("\(model.heading) – \(process.title)", hasErrors: !errors.isEmpty)
        return web.render(Page("admin-workshop-new", title: title, status: status, model: model), request, context)
    }

    private func schedule(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let process = try await call.ask(GetProcess(processID: try context.requiredID()))
        let values = WorkshopForm.Values(context.form)
        var errors = FormErrors()
        guard let drafted = values.draft(in: process, errors: &errors) else {
            return form(request, context, process, values: values, errors: errors, status: .unprocessableContent)
        }
        do {
            let workshop = try await call.ask(ScheduleWorkshop(processID: process.id, phaseID: drafted.phase.id, draft: drafted.draft, staffID: account.id, staffName: account.shownName))
            return PageRenderer.redirect(to: SitePath.staffWorkshop(workshop.id).path, notice: WorkshopNotice.scheduled)
        } catch let refusal as APIError where refusal.code == "invalid_request" {
            errors.add(refusal, in: WorkshopForm.fieldNames)
            return form(request, context, process, values: values, errors: errors, status: .unprocessableContent)
        }
    }

    /// The form back with each error next to its field (a capacity below the seats taken
    /// included); else the workshop's page.
    private func change(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let workshop = try await call.ask(GetWorkshop(workshopID: try context.requiredID()))
        let process = try await call.ask(GetProcess(processID: workshop.processID))
        var values = WorkshopForm.Values(context.form)
        // A workshop stays in its phase.
        values.phase = workshop.phaseID.uuidString.lowercased()
        var errors = FormErrors()
        guard let drafted = values.draft(in: process, errors: &errors) else {
            return form(request, context, process, values: values, errors: errors, status: .unprocessableContent, editing: workshop.id)
        }
        do {
            _ = try await call.ask(UpdateWorkshop(workshopID: workshop.id, draft: drafted.draft, staffID: account.id, staffName: account.shownName))
            return PageRenderer.redirect(to: SitePath.staffWorkshop(workshop.id).path, notice: WorkshopNotice.changed)
        } catch let refusal as APIError where refusal.code == "invalid_request" {
            errors.add(refusal, in: WorkshopForm.fieldNames)
            return form(request, context, process, values: values, errors: errors, status: .unprocessableContent, editing: workshop.id)
        }
    }

    private func registrations(_ request: Request, _ context: WebContext, codeError: String? = nil) async throws -> Response {
        let personalData = Self.readsPersonalData(context.account)
        let list = try await call.ask(ListWorkshopRegistrations(workshopID: try context.requiredID(), withPersonalData: personalData))
        let model = StaffWorkshopPage(list, personalData: personalData, codeError: codeError)
        let title = Page.title("Inscriptions – \(model.workshop.title)", hasErrors: codeError != nil)
        return web.render(Page("admin-workshop", title: title, status: codeError == nil ? .ok : .unprocessableContent, model: model), request, context)
    }

    private func checkIn(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        let code = context.form["code"] ?? ""
        do {
            let checkIn = try await call.ask(CheckInWorkshopRegistration(workshopID: id, code: code, staffID: account.id, staffName: account.shownName))
            return PageRenderer.redirect(to: SitePath.staffWorkshop(id).path, notice: checkIn.alreadyCheckedIn ? WorkshopNotice.alreadyCheckedIn : WorkshopNotice.checkedIn)
        } catch let refusal as APIError where refusal.code == "invalid_request" {
            return try await registrations(request, context, codeError: refusal.message)
        }
    }

    /// The registrations as CSV, audited: names and addresses only for the roles allowed.
    private func export(_ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.requiredID()
        let personalData = Self.readsPersonalData(account)
        let list = try await call.ask(ListWorkshopRegistrations(workshopID: id, withPersonalData: personalData))
        try await AuditLog.record(
            actor: account, action: "workshop.registrations_exported", objectType: "workshop", objectID: id.uuidString.lowercased(),
            details: ["registrations": String(list.entries.count), "personal_data": personalData ? "yes" : "no"], client: web.database, logger: web.logger
        )
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"inscriptions-atelier-\(id.uuidString.lowercased()).csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: StaffWorkshopPage.csv(list, personalData: personalData)))
        )
    }
}
