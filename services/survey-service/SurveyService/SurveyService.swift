public import DialogueContracts
public import Foundation
import Logging
public import ServiceKit
public import ServiceLifecycle

/// Questionnaires, questions, responses and results (schema `surveys`).
///
/// Survey definitions, built by staff as drafts, checked by `SurveyRules` as they are saved,
/// published (`survey.published`) and closed at their closing date (`survey.closed`);
/// responses taken from the command queue (`survey.response_submitted`), and results
/// computed in the database.
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
            PeriodicJob(name: "survey closing", interval: .seconds(60), logger: platform.logger) {
                _ = try await parts.store.closeEnded()
                try await parts.links.forgetExpired()
            },
        ]
    }

    public static var routes: ServiceRoutes<Parts> {
        var routes = ServiceRoutes<Parts>()
        routes.requests.on(CreateSurvey.self) { parts, request in try await parts.store.create(request) }
        routes.requests.on(UpdateSurvey.self) { parts, request in try await parts.store.update(request) }
        routes.requests.on(PublishSurvey.self) { parts, request in try await parts.store.publish(request) }
        routes.requests.on(GetSurvey.self) { parts, request in try await parts.store.survey(request.surveyID) }
        routes.requests.on(ListSurveys.self) { parts, request in try await parts.store.list(request) }
        routes.requests.on(GetMySurveyResponse.self) { parts, request in try await parts.responses.mine(request) }
        routes.requests.on(GetSurveyResults.self) { parts, request in try await parts.results.results(request) }
        routes.requests.on(GetSurveyCrossTab.self) { parts, request in try await parts.results.crossTab(request) }
        routes.requests.on(ListSurveyResponsesForExport.self) { parts, request in try await parts.responses.exportPage(request) }
        routes.requests.on(RequestSurveyAnswerLink.self) { parts, request in try await parts.links.request(request) }
        routes.requests.on(OpenSurveyAnswerLink.self) { parts, request in try await parts.links.open(request) }
        routes.requests.on(ListSurveyFreeTexts.self) { parts, request in try await parts.freeTexts.list(request) }
        routes.requests.on(GetSurveySettings.self) { parts, _ in try await parts.settings.current() }
        routes.requests.on(SaveSurveySettings.self) { parts, request in try await parts.settings.save(request) }
        // Responses arrive as commands, so a peak waits in the queue rather than in the gateway.
        routes.commands.on([SubmitSurveyResponse.self]) { parts in
            SurveyResponseBatchHandler(responses: parts.responses, logger: parts.logger)
        }
        routes.events.on(AccountErased.self) { parts, event, connection in
            try await SurveyResponseStore.unlinkResponses(of: event, on: connection, logger: parts.logger)
            try await SurveyAnswerLinkStore.forget(event, on: connection, logger: parts.logger)
        }
        routes.events.on(ModerationDecisionMade.self) { parts, event, connection in
            try await SurveyFreeTextStore.apply(event, on: connection, logger: parts.logger)
        }
        return routes
    }

    /// What the handlers of the service work with.
    public struct Parts: Sendable {
        let logger: Logger
        let store: SurveyStore
        let responses: SurveyResponseStore
        let results: SurveyResultsStore
        let links: SurveyAnswerLinkStore
        let freeTexts: SurveyFreeTextStore
        let settings: SurveySettingsStore

        init(platform: ServicePlatform) {
            let (client, logger) = (platform.database, platform.logger)
            self.logger = logger
            store = SurveyStore(client: client, logger: logger)
            responses = SurveyResponseStore(client: client, logger: logger)
            results = SurveyResultsStore(client: client, logger: logger)
            links = SurveyAnswerLinkStore(client: client, logger: logger)
            freeTexts = SurveyFreeTextStore(client: client, logger: logger)
            settings = SurveySettingsStore(client: client, logger: logger)
        }
    }
}
