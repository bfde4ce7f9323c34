import ContentChecks
public import DialogueContracts
public import Foundation
import Messaging
public import ServiceKit
public import ServiceLifecycle

/// The moderation queue, automatic pre-checks, decisions, flags and blocks (schema `moderation`).
public enum ModerationWorker: DialogueService {
    public static let name = ServiceName.moderation
    public static let defaultPort = 8184
    public static var migrationsDirectory: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public static func services(on platform: ServicePlatform, operations: OperationsEndpoints) throws -> [any Service] {
        var reader = SettingsReader(environment: ProcessInfo.processInfo.environment)
        let alerts = QueueAlertSettings(
            count: reader.integer("MODERATION_ALERT_COUNT", default: 20, in: 1...100_000),
            ageMinutes: reader.integer("MODERATION_ALERT_AGE_MINUTES", default: 24 * 60, in: 1...43_200),
            reminderMinutes: reader.integer("MODERATION_ALERT_REMINDER_MINUTES", default: 24 * 60, in: 5...43_200)
        )
        try reader.validate()
        return parts(on: platform, alerts: alerts)
    }

    /// The parts of the worker, for the runner and for tests.
    public static func parts(on platform: ServicePlatform, alerts: QueueAlertSettings, alertInterval: Duration = .seconds(30)) -> [any Service] {
        let logger = platform.logger
        let intake = ModerationIntake(checker: ContentChecker(), logger: logger)
        var events = EventRouter(client: platform.database, logger: logger, produces: "moderation")
        events.on(PetitionSubmitted.self) { event, connection in try await intake.receive(event, on: connection) }
        events.on(ForumPostSubmitted.self) { event, connection in try await intake.receive(event, on: connection) }
        events.on(TestimonySubmitted.self) { event, connection in try await intake.receive(event, on: connection) }
        events.on(ProposalSubmitted.self) { event, connection in try await intake.receive(event, on: connection) }
        events.on(SurveyAnswerSubmitted.self) { event, connection in try await intake.receive(event, on: connection) }

        let queue = ModerationQueue(client: platform.database, logger: logger)
        let decisions = ModerationDecisions(client: platform.database, logger: logger)
        let database = platform.database
        var requests = RequestRouter(logger: logger)
        requests.on(ListModerationItems.self) { request in try await queue.list(request) }
        requests.on(GetModerationItem.self) { request in try await queue.item(request.itemID) }
        requests.on(DecideModeration.self) { request in try await decisions.decide(request) }
        requests.on(FlagContent.self) { request in try await decisions.flag(request) }
        requests.on(BlockAccount.self) { request in try await decisions.block(request) }
        requests.on(GetModerationSettings.self) { _ in try await ModerationSettings.view(client: database, logger: logger) }
        requests.on(UpdateModerationPolicy.self) { request in try await ModerationSettings.update(request, client: database, logger: logger) }
        requests.on(SaveModerationReason.self) { request in try await ModerationSettings.save(request, client: database, logger: logger) }
        requests.on(ListModerationDecisions.self) { request in try await ModerationLog.page(request, client: database, logger: logger) }

        let alertJob = QueueAlertJob(
            client: platform.database,
            limits: QueueAlertJob.Limits(
                count: alerts.count, age: .seconds(alerts.ageMinutes * 60), reminder: .seconds(alerts.reminderMinutes * 60),
                interval: alertInterval
            ),
            logger: logger
        )
        return [
            platform.consumer(of: .events, handler: events),
            platform.consumer(of: .rpc, handler: RPCServer(handler: requests, logger: logger)),
            alertJob,
        ]
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
