import DialogueContracts
import ServiceKit

extension ConsultationService {
    /// The requests of participatory processes.
    static func addProcessRoutes(to routes: inout ServiceRoutes<Parts>) {
        routes.requests.on(CreateProcess.self) { parts, request in try await parts.processes.create(request) }
        routes.requests.on(ListProcesses.self) { parts, _ in try await parts.processes.list() }
        routes.requests.on(GetProcess.self) { parts, request in try await parts.processes.process(request) }
        routes.requests.on(FollowProcess.self) { parts, request in try await parts.processes.follow(request) }
        routes.requests.on(GetProcessIndicators.self) { parts, request in
            try await ProcessIndicatorsStore(client: parts.client, logger: parts.logger).indicators(request)
        }
        addWorkshopRoutes(to: &routes)
    }
}

extension ConsultationService.Parts {
    var processes: ProcessStore { ProcessStore(client: client, logger: logger) }
}
