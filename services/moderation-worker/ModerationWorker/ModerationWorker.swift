import ContentChecks
public import DialogueContracts
public import Foundation
import Logging
import Messaging
import PostgresNIO
public import ServiceKit
public import ServiceLifecycle

/// The moderation queue, automatic pre-checks, decisions, flags and blocks (schema `moderation`).
public enum ModerationWorker: DialogueService {
    public static let name = ServiceName.moderation
    public static let defaultPort = 8184
    public static var migrationsDirectory: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public static func services(on platform: ServicePlatform, settings alerts: QueueAlertSettings, operations: OperationsEndpoints) -> [any Service] {
        parts(on: platform, alerts: alerts)
    }

    /// The parts of the worker, for the runner and for tests.
    public static func parts(on platform: ServicePlatform, alerts: QueueAlertSettings, alertInterval: Duration = .seconds(30)) -> [any Service] {
        let alertJob = QueueAlertJob(
            client: platform.database,
            limits: QueueAlertJob.Limits(
                count: alerts.count, age: .seconds(alerts.ageMinutes * 60), reminder: .seconds(alerts.reminderMinutes * 60),
                interval: alertInterval
            ),
            logger: platform.logger
        )
        return platform.consumers(serving: routes, with: Parts(platform: platform), produces: "moderation") + [alertJob]
    }

    public static var routes: ServiceRoutes<Parts> {
        var routes = ServiceRoutes<Parts>()
        // Every kind of submission, present and future: a kind nobody handles yet is
        // dead-lettered with its type, not lost.
        routes.events.family("*.submitted")
        routes.events.on(PetitionSubmitted.self) { parts, event, connection in try await parts.intake.receive(event, on: connection) }
        routes.events.on(ForumPostSubmitted.self) { parts, event, connection in try await parts.intake.receive(event, on: connection) }
        routes.events.on(TestimonySubmitted.self) { parts, event, connection in try await parts.intake.receive(event, on: connection) }
        routes.events.on(ProposalSubmitted.self) { parts, event, connection in try await parts.intake.receive(event, on: connection) }
        routes.events.on(SurveyAnswerSubmitted.self) { parts, event, connection in try await parts.intake.receive(event, on: connection) }
        routes.events.on(StatementSubmitted.self) { parts, event, connection in try await parts.intake.receive(event, on: connection) }
        routes.events.on(ContributionCommentSubmitted.self) { parts, event, connection in try await parts.intake.receive(event, on: connection) }

        routes.requests.on(ListModerationItems.self) { parts, request in try await parts.queue.list(request) }
        routes.requests.on(GetModerationItem.self) { parts, request in try await parts.queue.item(request.itemID) }
        routes.requests.on(DecideModeration.self) { parts, request in try await parts.decisions.decide(request) }
        routes.requests.on(FlagContent.self) { parts, request in try await parts.decisions.flag(request) }
        routes.requests.on(SanctionFlagReporter.self) { parts, request in try await parts.decisions.sanction(request) }
        routes.requests.on(BlockAccount.self) { parts, request in try await parts.decisions.block(request) }
        routes.requests.on(GetModerationSettings.self) { parts, _ in
            try await ModerationSettings.view(client: parts.database, logger: parts.logger)
        }
        routes.requests.on(UpdateModerationPolicy.self) { parts, request in
            try await ModerationSettings.update(request, client: parts.database, logger: parts.logger)
        }
        routes.requests.on(SaveModerationReason.self) { parts, request in
            try await ModerationSettings.save(request, client: parts.database, logger: parts.logger)
        }
        routes.requests.on(ListModerationDecisions.self) { parts, request in
            try await ModerationLog.page(request, client: parts.database, logger: parts.logger)
        }
        return routes
    }

    /// What the handlers of the worker work with.
    public struct Parts: Sendable {
        let database: PostgresClient
        let logger: Logger
        let intake: ModerationIntake
        let queue: ModerationQueue
        let decisions: ModerationDecisions

        init(platform: ServicePlatform) {
            database = platform.database
            logger = platform.logger
            intake = ModerationIntake(checker: ContentChecker(), logger: platform.logger)
            queue = ModerationQueue(client: platform.database, logger: platform.logger)
            decisions = ModerationDecisions(client: platform.database, logger: platform.logger)
        }
    }
}

/// When staff are told the queue needs attention.
public struct QueueAlertSettings: Sendable {
    /// Items waiting that make an alert.
    public var count: Int
    /// How long an item may wait before an alert.
    public var ageMinutes: Int
    /// How often the alert is repeated while the queue stays over a limit.
    public var reminderMinutes: Int

    public init(count: Int = 20, ageMinutes: Int = 24 * 60, reminderMinutes: Int = 24 * 60) {
        self.count = count
        self.ageMinutes = ageMinutes
        self.reminderMinutes = reminderMinutes
    }
}

extension QueueAlertSettings: ServiceSpecificSettings {
    /// Reads `MODERATION_ALERT_COUNT`, `MODERATION_ALERT_AGE_MINUTES` and `MODERATION_ALERT_REMINDER_MINUTES`.
    public init(reader: inout SettingsReader) {
        self.init(
            count: reader.integer("MODERATION_ALERT_COUNT", default: 20, in: 1...100_000),
            ageMinutes: reader.integer("MODERATION_ALERT_AGE_MINUTES", default: 24 * 60, in: 1...43_200),
            reminderMinutes: reader.integer("MODERATION_ALERT_REMINDER_MINUTES", default: 24 * 60, in: 5...43_200)
        )
    }
}
