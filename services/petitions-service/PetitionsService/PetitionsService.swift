public import DialogueContracts
public import Foundation
import Messaging
public import ServiceKit
public import ServiceLifecycle

/// Petitions, signatures, thresholds (schema `petitions`).
public enum PetitionsService: DialogueService {
    public static let name = ServiceName.petitions
    public static let defaultPort = 8181
    public static var migrationsDirectory: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public static func services(on platform: ServicePlatform, operations: OperationsEndpoints) throws -> [any Service] {
        let environment = ProcessInfo.processInfo.environment
        var reader = SettingsReader(environment: environment)
        let threshold = reader.integer("PETITION_THRESHOLD", default: PetitionRules.defaultThreshold, in: 1...10_000_000)
        try reader.validate()
        return parts(on: platform, rules: PetitionRules(threshold: threshold))
    }

    /// The consumers of the service, for the runner and for tests.
    public static func parts(on platform: ServicePlatform, rules: PetitionRules) -> [any Service] {
        let store = PetitionStore(client: platform.database, logger: platform.logger)
        var router = RequestRouter(logger: platform.logger)
        router.on(CreatePetition.self) { request in try await store.create(request, rules: rules) }
        router.on(GetPetition.self) { request in try await store.petition(request.petitionID) }
        let pages = PetitionPages(client: platform.database, logger: platform.logger)
        router.on(GetPetitionDetail.self) { request in try await pages.detail(request.petitionID) }
        router.on(ListPetitions.self) { request in try await pages.list(request) }
        let deposits = PetitionDeposits(client: platform.database, logger: platform.logger)
        router.on(FindSimilarPetitions.self) { request in try await deposits.similar(request) }
        router.on(ListAuthorPetitions.self) { request in try await deposits.byAuthor(request) }
        let paper = PaperSignatures(client: platform.database, logger: platform.logger)
        router.on(AddPaperSignatures.self) { request in try await paper.add(request) }
        router.on(GetPetitionForStaff.self) { request in try await paper.petition(request.petitionID) }
        router.on(ListSignaturesForExport.self) { request in try await paper.exportPage(request) }
        let lifecycle = PetitionLifecycleStore(client: platform.database, logger: platform.logger)
        router.on(ReferPetition.self) { request in try await lifecycle.refer(request) }
        router.on(AnswerPetition.self) { request in try await lifecycle.answer(request) }
        router.on(ClosePetition.self) { request in try await lifecycle.close(request) }
        router.on(GetPetitionLifecycle.self) { request in try await lifecycle.view(request.petitionID) }
        let settings = PetitionSettingsStore(client: platform.database, rules: rules, logger: platform.logger)
        router.on(GetPetitionSettings.self) { _ in try await settings.current() }
        router.on(SavePetitionSettings.self) { request in try await settings.save(request) }
        let confirmations = SignatureConfirmations(client: platform.database, logger: platform.logger)
        router.on(InspectSignatureToken.self) { request in try await confirmations.inspect(request.token) }
        router.on(FindSignature.self) { request in try await confirmations.find(request) }
        let fraud = FraudControls(client: platform.database, logger: platform.logger)
        router.on(GetFraudOverview.self) { request in try await fraud.overview(request.petitionID) }
        router.on(PreviewInvalidation.self) { request in try await fraud.preview(request) }
        router.on(InvalidateSignatures.self) { request in try await fraud.invalidate(request) }
        router.on(AddToBlockList.self) { request in try await fraud.block(request) }
        router.on(RemoveFromBlockList.self) { request in try await fraud.unblock(request) }
        var events = EventRouter(client: platform.database, logger: platform.logger)
        events.on(AccountErased.self) { event, connection in
            try await PetitionStore.anonymiseSignatures(of: event, on: connection, logger: platform.logger)
        }
        events.on(ModerationDecisionMade.self) { event, connection in
            try await PetitionStore.apply(event, on: connection, logger: platform.logger)
        }
        return [
            platform.consumer(of: .events, handler: events),
            platform.consumer(of: .commands, handler: SignatureBatchHandler(store: store, logger: platform.logger)),
            platform.consumer(of: .rpc, handler: RPCServer(handler: router, logger: platform.logger)),
            PeriodicJob(name: "petition closing", interval: .seconds(60), logger: platform.logger) { try await settings.closeEnded() },
            PeriodicJob(name: "expired signature removal", interval: .seconds(600), logger: platform.logger) {
                try await confirmations.removeExpired()
            },
            PeriodicJob(name: "answer notices to signatories", interval: .seconds(60), logger: platform.logger) {
                try await SignatoryAnswerNotices(client: platform.database, logger: platform.logger).run()
            },
        ]
    }
}

/// The rules a petition is created under.
public struct PetitionRules: Sendable {
    /// Signatures needed for a referral when nothing else is configured.
    public static let defaultThreshold = 1_000

    public var threshold: Int
    /// How long a petition collects when nothing else is configured.
    public static let defaultCollectionDays = 365

    public init(threshold: Int = PetitionRules.defaultThreshold) {
        self.threshold = threshold
    }
}
