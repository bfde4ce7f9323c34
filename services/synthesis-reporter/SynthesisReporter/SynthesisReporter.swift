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
/// similar texts of a consultation or forum; and the opinion maps of forums, from the votes
/// on their statements (`OpinionMapStore`). It never reads another service's schema.
public enum SynthesisReporter: DialogueService {
    public static let name = ServiceName.synthesis
    public static let defaultPort = 8186
    public static var migrationsDirectory: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public static func services(on platform: ServicePlatform, settings: OpinionMapSettings, operations: OperationsEndpoints) -> [any Service] {
        parts(on: platform, opinionMaps: settings)
    }

    /// The consumers of the service, for the runner and for tests.
    public static func parts(on platform: ServicePlatform, opinionMaps: OpinionMapSettings = OpinionMapSettings()) -> [any Service] {
        platform.consumers(serving: routes, with: Parts(platform: platform, opinionMaps: opinionMaps))
    }

    public static var routes: ServiceRoutes<Parts> {
        var routes = ServiceRoutes<Parts>()
        addTextRoutes(to: &routes)
        routes.requests.on(GetForumOpinionMap.self) { parts, request in try await parts.opinionMaps.map(request) }
        routes.events.on(StatementVoted.self) { parts, event, connection in try await parts.opinionMaps.keep(event, on: connection) }
        return routes
    }

    /// What the handlers of the service work with.
    public struct Parts: Sendable {
        let logger: Logger
        let trends: TextTrendsReader
        let groups: TextGroupsReader
        let reports: SynthesisReportBuilder
        let opinionMaps: OpinionMapStore

        init(platform: ServicePlatform, opinionMaps settings: OpinionMapSettings) {
            logger = platform.logger
            trends = TextTrendsReader(client: platform.database, logger: platform.logger)
            groups = TextGroupsReader(client: platform.database, logger: platform.logger)
            reports = SynthesisReportBuilder(client: platform.database, logger: platform.logger, groups: groups)
            opinionMaps = OpinionMapStore(client: platform.database, logger: platform.logger, recomputeEvery: settings.recomputeEveryVotes)
        }
    }
}

/// When forums' opinion maps are recomputed.
public struct OpinionMapSettings: ServiceSpecificSettings {
    /// Often enough that the map and the next-statement priority follow the votes, seldom
    /// enough that a busy forum does not recompute on every vote.
    public static let defaultRecomputeEveryVotes = 20

    /// A forum's map is recomputed once this many new votes came in since the last recompute.
    public var recomputeEveryVotes: Int

    public init(recomputeEveryVotes: Int = OpinionMapSettings.defaultRecomputeEveryVotes) {
        self.recomputeEveryVotes = recomputeEveryVotes
    }

    /// Reads `OPINION_MAP_RECOMPUTE_VOTES`.
    public init(reader: inout SettingsReader) {
        self.init(recomputeEveryVotes: reader.integer("OPINION_MAP_RECOMPUTE_VOTES", default: Self.defaultRecomputeEveryVotes, in: 1...1_000_000))
    }
}
