public import DialogueContracts
public import Foundation
import Logging
import PostgresNIO
public import ServiceKit
public import ServiceLifecycle

/// Consultations, forums, contributions and workshops (schema `consultations`).
///
/// Forums: staff open them (`ForumStore`); citizens open threads and reply, each post sent to
/// moderation with its forum's policy and shown once moderation lets it through (`ForumThreadStore`).
public enum ConsultationService: DialogueService {
    public static let name = ServiceName.consultations
    public static let defaultPort = 8183
    public static var migrationsDirectory: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public static func services(on platform: ServicePlatform, settings: NoSettings, operations: OperationsEndpoints) -> [any Service] {
        parts(on: platform)
    }

    /// The consumers and jobs of the service, for the runner and for tests.
    public static func parts(on platform: ServicePlatform) -> [any Service] {
        let parts = Parts(platform: platform)
        return platform.consumers(serving: routes, with: parts) + [
            PeriodicJob(name: "forum closing", interval: .seconds(60), logger: platform.logger) { try await parts.forums.closeEnded() },
        ]
    }

    public static var routes: ServiceRoutes<Parts> {
        var routes = ServiceRoutes<Parts>()
        addForumRoutes(to: &routes)
        // Each feature applies the decisions on its own content type.
        routes.events.on(ModerationDecisionMade.self) { parts, decision, connection in
            switch decision.contentType {
            case .forumPost: try await ForumThreadStore.apply(decision, on: connection, logger: parts.logger)
            default: return
            }
        }
        return routes
    }

    /// What the handlers of the service work with: its database and logger, from which each
    /// feature makes its stores.
    public struct Parts: Sendable {
        let logger: Logger
        let client: PostgresClient

        init(platform: ServicePlatform) {
            logger = platform.logger
            client = platform.database
        }
    }
}
