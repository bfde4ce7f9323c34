import DialogueContracts
import ServiceKit

extension ConsultationService {
    /// The requests of workshops: staff schedule, change, cancel and check in; citizens register, confirm a seat given from the waitlist, and cancel.
    static func addWorkshopRoutes(to routes: inout ServiceRoutes<Parts>) {
        routes.requests.on(ScheduleWorkshop.self) { parts, request in try await parts.workshops.schedule(request) }
        routes.requests.on(UpdateWorkshop.self) { parts, request in try await parts.workshops.update(request) }
        routes.requests.on(CancelWorkshop.self) { parts, request in try await parts.workshops.cancelWorkshop(request) }
        routes.requests.on(ListProcessWorkshops.self) { parts, request in try await parts.workshops.list(request) }
        routes.requests.on(GetWorkshop.self) { parts, request in try await parts.workshops.workshop(request) }
        routes.requests.on(RegisterForWorkshop.self) { parts, request in try await parts.workshops.register(request) }
        routes.requests.on(GetWorkshopRegistration.self) { parts, request in try await parts.workshops.registration(request) }
        routes.requests.on(CancelWorkshopRegistration.self) { parts, request in try await parts.workshops.cancel(request) }
        routes.requests.on(ConfirmWorkshopPromotion.self) { parts, request in try await parts.workshops.confirmPromotion(request) }
        routes.requests.on(CheckInWorkshopRegistration.self) { parts, request in try await parts.workshops.checkIn(request) }
        routes.requests.on(ListWorkshopRegistrations.self) { parts, request in try await parts.workshops.registrations(request) }
    }
}

extension ConsultationService.Parts {
    var workshops: WorkshopStore { WorkshopStore(client: client, logger: logger) }
}
