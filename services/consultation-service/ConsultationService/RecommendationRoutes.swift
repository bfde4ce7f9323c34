import DialogueContracts
import ServiceKit

extension ConsultationService {
    /// The requests of processes' orientation reports: recommendations, their fates and milestones.
    static func addRecommendationRoutes(to routes: inout ServiceRoutes<Parts>) {
        routes.requests.on(WriteRecommendation.self) { parts, request in try await parts.recommendations.write(request) }
        routes.requests.on(PublishRecommendation.self) { parts, request in try await parts.recommendations.publish(request) }
        routes.requests.on(DecideRecommendation.self) { parts, request in try await parts.recommendations.decide(request) }
        routes.requests.on(SaveMilestone.self) { parts, request in try await parts.recommendations.saveMilestone(request) }
        routes.requests.on(ListRecommendations.self) { parts, request in try await parts.recommendations.list(request) }
        routes.requests.on(GetRecommendation.self) { parts, request in try await parts.recommendations.recommendation(request) }
        routes.requests.on(ListContributionRecommendations.self) { parts, request in try await parts.recommendations.citing(request) }
    }
}

extension ConsultationService.Parts {
    var recommendations: RecommendationStore { RecommendationStore(client: client, logger: logger) }
}
