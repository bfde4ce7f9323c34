public import DialogueContracts
public import Foundation
import Logging
import Messaging
public import ServiceKit
public import ServiceLifecycle

/// Petitions, signatures, thresholds (schema `petitions`).
public enum PetitionsService: DialogueService {
    public static let name = ServiceName.petitions
    public static let defaultPort = 8181
    public static var migrationsDirectory: URL? { Bundle.module.url(forResource: "Migrations", withExtension: nil) }

    public static func services(on platform: ServicePlatform, settings rules: PetitionRules, operations: OperationsEndpoints) -> [any Service] {
        parts(on: platform, rules: rules)
    }

    /// The consumers and jobs of the service, for the runner and for tests.
    public static func parts(on platform: ServicePlatform, rules: PetitionRules) -> [any Service] {
        let parts = Parts(platform: platform, rules: rules)
        return platform.consumers(serving: routes, with: parts) + [
            PeriodicJob(name: "petition closing", interval: .seconds(60), logger: platform.logger) { try await parts.settings.closeEnded() },
            PeriodicJob(name: "expired signature removal", interval: .seconds(600), logger: platform.logger) {
                try await parts.confirmations.removeExpired()
            },
            PeriodicJob(name: "answer notices to signatories", interval: .seconds(60), logger: platform.logger) {
                try await SignatoryAnswerNotices(client: platform.database, logger: platform.logger).run()
            },
        ]
    }

    public static var routes: ServiceRoutes<Parts> {
        var routes = ServiceRoutes<Parts>()
        routes.requests.on(CreatePetition.self) { parts, request in try await parts.store.create(request, rules: parts.rules) }
        routes.requests.on(GetPetition.self) { parts, request in try await parts.store.petition(request.petitionID) }
        routes.requests.on(GetPetitionDetail.self) { parts, request in try await parts.pages.detail(request.petitionID) }
        routes.requests.on(ListPetitions.self) { parts, request in try await parts.pages.list(request) }
        routes.requests.on(FindSimilarPetitions.self) { parts, request in try await parts.deposits.similar(request) }
        routes.requests.on(ListAuthorPetitions.self) { parts, request in try await parts.deposits.byAuthor(request) }
        routes.requests.on(AddPaperSignatures.self) { parts, request in try await parts.paper.add(request) }
        routes.requests.on(GetPetitionForStaff.self) { parts, request in try await parts.paper.petition(request.petitionID) }
        routes.requests.on(ListSignaturesForExport.self) { parts, request in try await parts.paper.exportPage(request) }
        routes.requests.on(ReferPetition.self) { parts, request in try await parts.lifecycle.refer(request) }
        routes.requests.on(AnswerPetition.self) { parts, request in try await parts.lifecycle.answer(request) }
        routes.requests.on(ClosePetition.self) { parts, request in try await parts.lifecycle.close(request) }
        routes.requests.on(GetPetitionLifecycle.self) { parts, request in try await parts.lifecycle.view(request.petitionID) }
        routes.requests.on(GetPetitionSettings.self) { parts, _ in try await parts.settings.current() }
        routes.requests.on(SavePetitionSettings.self) { parts, request in try await parts.settings.save(request) }
        routes.requests.on(InspectSignatureToken.self) { parts, request in try await parts.confirmations.inspect(request.token) }
        routes.requests.on(FindSignature.self) { parts, request in try await parts.confirmations.find(request) }
        routes.requests.on(GetFraudOverview.self) { parts, request in try await parts.fraud.overview(request.petitionID) }
        routes.requests.on(PreviewInvalidation.self) { parts, request in try await parts.fraud.preview(request) }
        routes.requests.on(InvalidateSignatures.self) { parts, request in try await parts.fraud.invalidate(request) }
        routes.requests.on(ReviewHeldSignatures.self) { parts, request in try await parts.fraud.review(request) }
        routes.requests.on(AddToBlockList.self) { parts, request in try await parts.fraud.block(request) }
        routes.requests.on(RemoveFromBlockList.self) { parts, request in try await parts.fraud.unblock(request) }
        // Signatures and their confirmations share one transaction per batch: the count of a
        // petition moves once per batch, not once per signature.
        routes.commands.on([SignPetition.self, ConfirmSignature.self]) { parts in
            SignatureBatchHandler(store: parts.store, logger: parts.logger)
        }
        routes.events.on(AccountErased.self) { parts, event, connection in
            try await PetitionStore.anonymiseSignatures(of: event, on: connection, logger: parts.logger)
        }
        routes.events.on(ModerationDecisionMade.self) { parts, event, connection in
            try await PetitionStore.apply(event, on: connection, logger: parts.logger)
        }
        return routes
    }

    /// What the handlers of the service work with.
    public struct Parts: Sendable {
        let logger: Logger
        let rules: PetitionRules
        let store: PetitionStore
        let pages: PetitionPages
        let deposits: PetitionDeposits
        let paper: PaperSignatures
        let lifecycle: PetitionLifecycleStore
        let settings: PetitionSettingsStore
        let confirmations: SignatureConfirmations
        let fraud: FraudControls

        init(platform: ServicePlatform, rules: PetitionRules) {
            let (client, logger) = (platform.database, platform.logger)
            self.logger = logger
            self.rules = rules
            store = PetitionStore(client: client, logger: logger)
            pages = PetitionPages(client: client, logger: logger)
            deposits = PetitionDeposits(client: client, logger: logger)
            paper = PaperSignatures(client: client, logger: logger)
            lifecycle = PetitionLifecycleStore(client: client, logger: logger)
            settings = PetitionSettingsStore(client: client, rules: rules, logger: logger)
            confirmations = SignatureConfirmations(client: client, logger: logger)
            fraud = FraudControls(client: client, logger: logger)
        }
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

extension PetitionRules: ServiceSpecificSettings {
    /// Reads `PETITION_THRESHOLD`.
    public init(reader: inout SettingsReader) {
        self.init(threshold: reader.integer("PETITION_THRESHOLD", default: PetitionRules.defaultThreshold, in: 1...10_000_000))
    }
}
