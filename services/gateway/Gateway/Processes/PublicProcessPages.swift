import DialogueContracts
import Foundation
import Hummingbird
import ServiceKit

/// The public process pages: the list (`/processus`) and one process with its timeline
/// (`/processus/{id}`).
struct PublicProcessPages: Sendable {
    let web: WebDependencies

    func register(on pages: SecuredRoutes) {
        pages.get("processus", .everyone) { request, context in
            let model = ProcessListPage(try await call.ask(ListProcesses()))
            return web.render(Page("processes", title: "Démarches participatives", model: model), request, context)
        }
        pages.get("processus/{id}", .everyone) { request, context in
            let process = try await call.ask(GetProcess(processID: try context.requiredID()))
            return web.render(Page("process", title: process.title, model: ProcessPageModel(process)), request, context)
        }
    }

    private var call: ServiceCall { ServiceCall(web: web) }
}
