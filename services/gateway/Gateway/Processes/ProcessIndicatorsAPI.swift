import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// `/api/v1/processes/{id}/indicators`: a process's follow-up indicators, with small numbers of
/// people hidden for anyone, exact (drafts counted) for process staff.
struct ProcessIndicatorsAPI: Sendable {
    let web: WebDependencies

    private var call: ServiceCall { ServiceCall(web: web) }

    func register(on processes: SecuredRoutes) {
        let staff = StaffProcessPages.processStaff
        processes.get("{id}/indicators", .everyone) { _, context in
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound }
            let audience: IndicatorAudience = staff.allows(context.account) ? .staff : .public
            return try JSONResponse.make(try await call.ask(GetProcessIndicators(processID: id, audience: audience)))
        }
    }
}
