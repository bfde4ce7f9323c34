public import DialogueContracts
public import Foundation
import Logging
public import ServiceKit
public import ServiceLifecycle

/// Reports, figures, trends and exports (schema `synthesis`).
///
/// Keeps its own read model of the public texts, fed by events (petitions, consultations'
/// contributions and forums' posts, moderation's decisions on them), and answers the
/// back-office's questions on it: the text trends of a source over a period, the groups of
/// similar texts of a consultation or forum. It never reads another service's schema.
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
        addTextRoutes(to: &routes)
        return routes
    }

    /// What the handlers of the service work with.
    public struct Parts: Sendable {
        let logger: Logger
        let trends: TextTrendsReader
        let groups: TextGroupsReader
        let reports: SynthesisReportBuilder

        init(platform: ServicePlatform) {
            logger = platform.logger
            trends = TextTrendsReader(client: platform.database, logger: platform.logger)
            groups = TextGroupsReader(client: platform.database, logger: platform.logger)
            reports = SynthesisReportBuilder(client: platform.database, logger: platform.logger, groups: groups)
        }
    }
}
