public import DialogueContracts
public import Foundation
import Logging
public import ServiceKit
public import ServiceLifecycle

/// Questionnaires, questions, responses and results (schema `surveys`).
///
/// Today: survey definitions, built by staff as drafts, checked by `SurveyRules` as they are
/// saved, published (`survey.published`) and closed at their closing date (`survey.closed`).
/// Responses and results arrive with their slices.
public enum SurveyService: DialogueService {
    public static let name = ServiceName.surveys
    public static let defaultPort = 8182
    public static var migrationsDirectory: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public static func services(on platform: ServicePlatform, settings: NoSettings, operations: OperationsEndpoints) -> [any Service] {
        parts(on: platform)
    }

    /// The consumers and jobs of the service, for the runner and for tests.
    public static func parts(on platform: ServicePlatform) -> [any Service] {
        let parts = Parts(platform: platform)
        return platform.consumers(serving: routes, with: parts) + [
            PeriodicJob(name: "survey closing", interval: .seconds(60), logger: platform.logger) { try await parts.store.closeEnded() },
        ]
    }

    public static var routes: ServiceRoutes<Parts> {
        var routes = ServiceRoutes<Parts>()
        routes.requests.on(CreateSurvey.self) { parts, request in try await parts.store.create(request) }
        routes.requests.on(UpdateSurvey.self) { parts, request in try await parts.store.update(request) }
        routes.requests.on(PublishSurvey.self) { parts, request in try await parts.store.publish(request) }
        routes.requests.on(GetSurvey.self) { parts, request in try await parts.store.survey(request.surveyID) }
        routes.requests.on(ListSurveys.self) { parts, request in try await parts.store.list(request) }
        return routes
    }

    /// What the handlers of the service work with.
    public struct Parts: Sendable {
        let store: SurveyStore

        init(platform: ServicePlatform) {
            store = SurveyStore(client: platform.database, logger: platform.logger)
        }
    }
}
