import DialogueContracts
import Foundation
import Hummingbird
import Identity
import ServiceKit

/// The orientation report on the public site: a process's recommendations with their fates and
/// milestones (`/processus/{id}/recommandations`), and each recommendation with the contributions
/// it draws on (`/recommandations/{id}`), whose pages link back to it.
struct RecommendationPages: Sendable {
    let web: WebDependencies

    func register(on pages: SecuredRoutes) {
        pages.get("processus/{id}/recommandations", .everyone) { request, context in
            let list = try await call.ask(ListRecommendations(processID: try context.requiredID()))
            let model = ProcessRecommendationsPage(list)
            return web.render(Page("process-recommendations", title: "Rapport d'orientation – \(list.processTitle)", model: model), request, context)
        }
        pages.get("recommandations/{id}", .everyone) { request, context in
            let recommendation = try await call.ask(GetRecommendation(recommendationID: try context.requiredID()))
            let model = RecommendationPage(recommendation)
            return web.render(Page("recommendation", title: "\(model.heading) – \(recommendation.processTitle)", model: model), request, context)
        }
    }

    private var call: ServiceCall { ServiceCall(web: web) }
}
