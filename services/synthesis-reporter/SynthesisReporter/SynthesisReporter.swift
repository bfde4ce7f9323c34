public import DialogueContracts
public import Foundation
import Logging
public import ServiceKit
public import ServiceLifecycle

/// Reports, figures, trends and exports (schema `synthesis`).
///
/// Keeps its own read model of the public texts, fed by events (petitions as submitted,
/// moderation's decisions on them), and answers the back-office's questions on it: the text
/// trends of a source over a period. It never reads another service's schema.
public enum SynthesisReporter: DialogueService {
    public static let name = ServiceName.synthesis
    public static let defaultPort = 8186
    public static var migrationsDirectory: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public static func services(on platform: ServicePlatform, settings: NoSettings, operations: OperationsEndpoints) -> [any Service] {
        parts(on: platform)
    }

    /// The consumers of the service, for the runner and for tests.
    public static func parts(on platform: ServicePlatform) -> [any Service] {
        platform.consumers(serving: routes, with: Parts(platform: platform))
    }

    public static var routes: ServiceRoutes<Parts> {
        var routes = ServiceRoutes<Parts>()
        routes.requests.on(GetTextTrends.self) { parts, request in try await parts.trends.trends(request) }
        routes.events.on(PetitionSubmitted.self) { parts, event, connection in
            try await TextDocumentStore.keep(event, on: connection, logger: parts.logger)
        }
        routes.events.on(ModerationDecisionMade.self) { parts, event, connection in
            try await TextDocumentStore.apply(event, on: connection, logger: parts.logger)
        }
        return routes
    }

    /// What the handlers of the service work with.
    public struct Parts: Sendable {
        let logger: Logger
        let trends: TextTrendsReader

        init(platform: ServicePlatform) {
            logger = platform.logger
            trends = TextTrendsReader(client: platform.database, logger: platform.logger)
        }
    }
}
