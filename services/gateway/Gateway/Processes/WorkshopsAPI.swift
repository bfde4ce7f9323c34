import DialogueContracts
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import ServiceKit

/// The workshops' JSON API: a process's workshops and one workshop (anyone), scheduling one
/// (staff, `/api/v1/processes/{id}/workshops`), changing one (staff, `PUT /api/v1/workshops/{id}`), registering (anyone,
/// `/api/v1/workshops/{id}/registrations`). Refusals name their field and store nothing.
struct WorkshopsAPI: Sendable {
    let web: WebDependencies

    private var call: ServiceCall { ServiceCall(web: web) }

    struct WorkshopBody: Decodable {
        // Read as text so that a malformed id or date is refused by its name. Required to
        // schedule; ignored when changing (a workshop stays in its phase).
        let phaseID: String?
        let themes: [String]
        let arrondissement: String
        let place: String?
        let onlineLink: String?
        let startsAt: String
        let endsAt: String
        let capacity: Int
        let accessibility: String?
    }

    struct RegistrationBody: Decodable {
        let name: String
        let email: String
        let accessibilityNeeds: String?
        let childcare: Bool?
    }

    func register(processes: SecuredRoutes, workshops: SecuredRoutes) {
        processes.get("{id}/workshops", .everyone) { _, context in
            try JSONResponse.make(try await call.ask(ListProcessWorkshops(processID: try Self.id(context))))
        }
        processes.post("{id}/workshops", StaffWorkshopPages.workshopStaff) { request, context in
            let account = try context.requireAccount()
            let processID = try Self.id(context)
            let body = try await JSONBody.decode(WorkshopBody.self, from: request, limit: web.settings.bodyLimit)
            guard let phaseID = UUID(uuidString: body.phaseID ?? "") else {
                throw APIError.invalid("phase_id", "« \(body.phaseID ?? "") » n'est pas un identifiant (UUID).")
            }
            let draft = try Self.draft(body)
            let workshop = try await call.ask(ScheduleWorkshop(processID: processID, phaseID: phaseID, draft: draft, staffID: account.id, staffName: account.shownName))
            return try JSONResponse.make(workshop, status: .created, location: "/api/v1/workshops/\(workshop.id.uuidString.lowercased())")
        }
        workshops.get("{id}", .everyone) { _, context in try JSONResponse.make(try await call.ask(GetWorkshop(workshopID: try Self.id(context)))) }
        workshops.on(.put, "{id}", StaffWorkshopPages.workshopStaff) { request, context in
            let account = try context.requireAccount()
            let id = try Self.id(context)
            let body = try await JSONBody.decode(WorkshopBody.self, from: request, limit: web.settings.bodyLimit)
            let draft = try Self.draft(body)
            return try JSONResponse.make(try await call.ask(UpdateWorkshop(workshopID: id, draft: draft, staffID: account.id, staffName: account.shownName)))
        }
        workshops.post("{id}/registrations", .everyone) { request, context in
            try await web.limiter.check(web.settings.rateLimits.workshopRegistration, client: context.clientAddress)
            let body = try await JSONBody.decode(RegistrationBody.self, from: request, limit: web.settings.bodyLimit)
            let draft = WorkshopRegistrationDraft(name: body.name, email: body.email, accessibilityNeeds: body.accessibilityNeeds ?? "", childcare: body.childcare ?? false)
            if let problem = draft.problems.first { throw APIError(problem) }
            let receipt = try await call.ask(RegisterForWorkshop(workshopID: try Self.id(context), draft: draft, accountID: context.account?.id))
            return try JSONResponse.make(receipt, status: .created)
        }
    }

    /// The workshop a body describes, refused by field when a date cannot be read or a rule is broken.
    static func draft(_ body: WorkshopBody) throws -> WorkshopDraft {
        guard let startsAt = date(body.startsAt) else {
            throw APIError.invalid("starts_at", "Le début est une date et heure ISO 8601 (2027-03-04T18:00:00+01:00) ou locale de Paris (2027-03-04T18:00).")
        }
        guard let endsAt = date(body.endsAt) else {
            throw APIError.invalid("ends_at", "La fin est une date et heure ISO 8601 (2027-03-04T20:00:00+01:00) ou locale de Paris (2027-03-04T20:00).")
        }
        let draft = WorkshopDraft(
            themes: body.themes, arrondissement: body.arrondissement, place: body.place ?? "", onlineLink: body.onlineLink ?? "", startsAt: startsAt,
            endsAt: endsAt, capacity: body.capacity, accessibility: body.accessibility ?? ""
        )
        if let problem = draft.problems().first { throw APIError(problem) }
        return draft
    }

    static func id(_ context: WebContext) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound }
        return id
    }

    /// ISO 8601 with its offset, or a local date and time in Paris.
    static func date(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return WorkshopTime.date(fromLocal: text)
    }
}
