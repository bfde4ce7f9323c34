public import DialogueContracts
public import Foundation
import Logging
import PostgresNIO
public import ServiceKit
public import ServiceLifecycle

/// Consultations, forums, contributions and workshops (schema `consultations`).
///
/// Consultations written by staff (audited), contributions submitted by citizens and sent to
/// moderation with their consultation's policy, moderation's decisions applied, and the
/// opening of each consultation announced once (`consultation.opened`).
/// Forums: staff open them (`ForumStore`); citizens open threads and reply, each post sent to
/// moderation with its forum's policy and shown once moderation lets it through (`ForumThreadStore`).
/// Participatory processes: staff write them in ordered phases, each phase announced once it
/// begins (`ProcessStore`); their orientation reports' recommendations, fates and milestones
/// (`RecommendationStore`).
public enum ConsultationService: DialogueService {
    public static let name = ServiceName.consultations
    public static let defaultPort = 8183
    public static var migrationsDirectory: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public static func services(on platform: ServicePlatform, settings: NoSettings, operations: OperationsEndpoints) -> [any Service] {
        parts(on: platform)
    }

    /// The largest request its RPC queue takes: a contribution's attachment (5 MiB, base64 in
    /// its JSON request) is over the consumers' usual 1 MiB.
    public static let largestRequestBytes = 8 << 20

    /// The consumers and jobs of the service, for the runner and for tests.
    public static func parts(on platform: ServicePlatform, openingInterval: Duration = .seconds(60)) -> [any Service] {
        let parts = Parts(platform: platform)
        return platform.consumers(serving: routes, with: parts, largestRequestBytes: largestRequestBytes) + [
            PeriodicJob(name: "consultation opening", interval: openingInterval, logger: platform.logger) {
                try await parts.consultations.announceOpened()
            },
            PeriodicJob(name: "forum closing", interval: .seconds(60), logger: platform.logger) { try await parts.forums.closeEnded() },
            PeriodicJob(name: "process phase start", interval: openingInterval, logger: platform.logger) {
                try await parts.processes.announceStartedPhases()
            },
            PeriodicJob(name: "workshop promotion expiry", interval: openingInterval, logger: platform.logger) {
                _ = try await parts.workshops.expireUnconfirmedPromotions()
            },
            PeriodicJob(name: "workshop reminders", interval: openingInterval, logger: platform.logger) {
                _ = try await parts.workshops.remindTomorrows()
            },
        ]
    }

    public static var routes: ServiceRoutes<Parts> {
        var routes = ServiceRoutes<Parts>()
        routes.requests.on(CreateConsultation.self) { parts, request in try await parts.consultations.create(request) }
        routes.requests.on(UpdateConsultation.self) { parts, request in try await parts.consultations.update(request) }
        routes.requests.on(GetConsultation.self) { parts, request in try await parts.consultations.consultation(request.consultationID) }
        routes.requests.on(ListConsultations.self) { parts, request in try await parts.consultations.list(request) }
        routes.requests.on(SubmitContribution.self) { parts, request in try await parts.contributions.submit(request) }
        routes.requests.on(ListContributions.self) { parts, request in try await parts.contributions.list(request) }
        routes.requests.on(SupportContribution.self) { parts, request in try await parts.supports.support(request) }
        routes.requests.on(WithdrawSupport.self) { parts, request in try await parts.supports.withdraw(request) }
        routes.requests.on(EditContribution.self) { parts, request in try await parts.authoring.edit(request) }
        routes.requests.on(WithdrawContribution.self) { parts, request in try await parts.authoring.withdraw(request) }
        routes.requests.on(GetOwnContribution.self) { parts, request in try await parts.authoring.own(request) }
        routes.requests.on(AnswerContributions.self) { parts, request in try await parts.accountability.answer(request) }
        routes.requests.on(GetContribution.self) { parts, request in try await parts.accountability.contribution(request) }
        routes.requests.on(GetBalanceSheet.self) { parts, request in try await parts.accountability.balanceSheet(request) }
        routes.requests.on(GetContributionAttachment.self) { parts, request in
            try await ContributionAttachments(client: parts.client, logger: parts.logger).file(request)
        }
        routes.requests.on(FindSimilarContributions.self) { parts, request in try await parts.contributions.similar(request) }
        routes.requests.on(CommentOnContribution.self) { parts, request in try await ContributionComments(client: parts.client, logger: parts.logger).comment(request) }
        routes.requests.on(ListContributionComments.self) { parts, request in try await ContributionComments(client: parts.client, logger: parts.logger).list(request) }
        routes.requests.on(RecordOfflineContributions.self) { parts, request in
            try await OfflineContributions(client: parts.client, logger: parts.logger).record(request)
        }
        routes.requests.on(RecordPaperSupports.self) { parts, request in
            try await OfflineContributions(client: parts.client, logger: parts.logger).recordPaperSupports(request)
        }
        addForumRoutes(to: &routes)
        addProcessRoutes(to: &routes)
        addRecommendationRoutes(to: &routes)
        routes.events.on(AccountErased.self) { parts, event, connection in
            try await ProcessStore.apply(event, on: connection, logger: parts.logger)
            try await ForumErasure.apply(event, on: connection, logger: parts.logger)
            try await WorkshopStore.apply(event, on: connection, logger: parts.logger)
            try await ContributionAttachments.apply(event, on: connection, logger: parts.logger)
        }
        // Each feature applies the decisions on its own content type.
        routes.events.on(ModerationDecisionMade.self) { parts, decision, connection in
            switch decision.contentType {
            case .testimony, .proposal: try await ContributionStore.apply(decision, on: connection, logger: parts.logger)
            case .forumPost: try await ForumThreadStore.apply(decision, on: connection, logger: parts.logger)
            case .statement: try await StatementStore.apply(decision, on: connection, logger: parts.logger)
            case .contributionComment: try await ContributionComments.apply(decision, on: connection, logger: parts.logger)
            default: return
            }
        }
        return routes
    }

    /// What the handlers of the service work with: its database and logger, from which the
    /// forums make their stores (`ForumRoutes.swift`), and the consultations' stores.
    public struct Parts: Sendable {
        let logger: Logger
        let client: PostgresClient
        let consultations: ConsultationStore
        let contributions: ContributionStore
        let supports: ContributionSupports
        let authoring: ContributionAuthoring
        let accountability: ContributionAccountability

        init(platform: ServicePlatform) {
            let (client, logger) = (platform.database, platform.logger)
            self.logger = logger
            self.client = client
            consultations = ConsultationStore(client: client, logger: logger)
            contributions = ContributionStore(client: client, logger: logger)
            supports = ContributionSupports(client: client, logger: logger)
            authoring = ContributionAuthoring(client: client, logger: logger)
            accountability = ContributionAccountability(client: client, logger: logger)
        }
    }
}
