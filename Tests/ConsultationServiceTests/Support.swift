import ConsultationService
import DialogueContracts
import Foundation
import Messaging
import ModerationWorker
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import TestSupport

/// A fresh database with the `consultations` schema migrated (and `moderation`'s, for the
/// tests that run the moderation worker too).
func consultationDatabase(withModeration: Bool = false) async throws -> TestDatabase {
    let database = try await TestDatabase.make()
    try await migrate(.consultations, directory: ConsultationService.migrationsDirectory, on: database)
    if withModeration { try await migrate(.moderation, directory: ModerationWorker.migrationsDirectory, on: database) }
    return database
}

let staff = (id: UUID(), name: "Agnès Lefebvre")

/// Seed 002's themes, and the free one.
let seedThemes: [ConsultationTheme] = [
    "Simplification administrative", "Engagement bénévole et volontaire", "Soutien aux dynamiques associatives", "Emploi associatif",
    "Participation des jeunes aux politiques publiques", "Insertion sociale et citoyenneté des jeunes",
].map { ConsultationTheme(code: ConsultationTheme.code(for: $0), label: $0) } + [ConsultationTheme(code: ConsultationTheme.freeCode, label: "")]

func sampleConsultation(
    title: String = "Assises de la vie associative", opensAt: Date = Date(timeIntervalSinceNow: -3_600),
    closesAt: Date = Date(timeIntervalSinceNow: 30 * 86_400), extendedUntil: Date? = nil, accepted: AcceptedContributions = .both,
    moderation: ConsultationModerationPolicy = .beforePublication
) -> ConsultationDefinition {
    ConsultationDefinition(
        title: title, question: "Qu'est-ce qui aiderait votre association au quotidien ?",
        context: "La Région prépare sa politique associative.", use: "Les propositions retenues nourriront l'avis du CESER sur la vie associative.",
        themes: seedThemes, opensAt: opensAt, closesAt: closesAt, extendedUntil: extendedUntil, accepted: accepted, moderation: moderation
    )
}

func proposal(theme: String = seedThemes[0].code, title: String = "Un guichet unique pour les subventions") -> ContributionDraft {
    ContributionDraft(
        kind: .proposal, theme: theme, title: title, text: "Un seul dossier pour toutes les aides régionales aux associations.",
        reasons: "Les bénévoles passent des soirées à remplir des formulaires différents."
    )
}

func testimony(theme: String = seedThemes[1].code) -> ContributionDraft {
    ContributionDraft(
        kind: .testimony, theme: theme, title: "Trésorière depuis dix ans", text: "Chaque année je remplis les mêmes pièces pour la même subvention.",
        commune: "Saint-Quentin"
    )
}

/// What one test works with: the service's RPC, the database, the topology.
struct ConsultationHarness: Sendable {
    let rpc: RPCClient
    let topology: MessagingTopology
    let database: TestDatabase

    func create(_ definition: ConsultationDefinition) async throws -> ConsultationView {
        try await rpc.request(CreateConsultation(definition: definition, staffID: staff.id, staffName: staff.name))
    }

    func submit(_ draft: ContributionDraft, to consultation: UUID, author: UUID = UUID(), name: String? = "Claire") async throws -> ContributionView {
        try await rpc.request(SubmitContribution(
            consultationID: consultation, draft: draft, authorAccountID: author, authorName: name, authorDepartement: "02", authorAgeBand: "25-34"
        ))
    }

    /// Publishes a contribution as a moderator would, and waits until it is shown.
    func publish(_ contribution: ContributionView, revision: Int = 5) async throws {
        let decision = ModerationDecisionMade(
            itemID: UUID(), contentType: contribution.kind.contentType, contentID: contribution.id, ownerService: .consultations,
            status: .published, visible: true, reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: UUID(), rule: nil, decidedAt: Date(),
            revision: revision
        )
        try await publishEvent(decision, topology: topology)
        try await eventually("the contribution shown") {
            try await int("SELECT count(*)::int8 FROM consultations.contributions WHERE id = \(contribution.id) AND visible") == 1
        }
    }

    func int(_ query: PostgresQuery) async throws -> Int {
        try await Probe.on(database) { probe in try await probe.int(query) }
    }

    func texts(_ query: PostgresQuery) async throws -> [String?] {
        try await Probe.on(database) { probe in try await probe.texts(query) }
    }

    /// The bodies of the outbox rows of one type, as JSON text.
    func outbox(_ type: String) async throws -> [String] {
        try await texts("SELECT convert_from(body, 'UTF8') FROM consultations.outbox WHERE message_type = \(type) ORDER BY id").compactMap { $0 }
    }
}

/// Runs consultation-service (and, with `withModeration`, the moderation worker) on
/// `database` with an RPC client until `body` returns, then removes the test's queues.
func withConsultationService<Result: Sendable>(
    _ database: TestDatabase, withModeration: Bool = false, _ body: @Sendable (ConsultationHarness) async throws -> Result
) async throws -> Result {
    let topology = TestEnvironment.isolatedTopology()
    let platform = ServicePlatform.forTest(.consultations, database: database, topology: topology)
    let moderation = withModeration ? ServicePlatform.forTest(.moderation, database: database, topology: topology) : nil
    let platforms = [platform] + (moderation.map { [$0] } ?? [])
    var services: [any Service] = [platform.database, platform.publisher, platform.outboxRelay()]
        + ConsultationService.parts(on: platform, openingInterval: .milliseconds(200))
    if let moderation {
        services += [moderation.database, moderation.publisher, moderation.outboxRelay()]
        services += ModerationWorker.parts(
            on: moderation, alerts: QueueAlertSettings(count: 100_000, ageMinutes: 43_200, reminderMinutes: 43_200), alertInterval: .seconds(3600)
        )
    }
    let rpc = RPCClient(settings: TestEnvironment.amqp, topology: topology, logger: TestEnvironment.logger)
    let result = try await withRunningServices(services + [rpc]) {
        try await eventually(timeout: .seconds(20), "consultation service ready") {
            for platform in platforms where !(await platform.readiness.failing().isEmpty) { return false }
            return rpc.isConnected
        }
        return try await body(ConsultationHarness(rpc: rpc, topology: topology, database: database))
    }
    await deleteQueues(of: topology, services: [.consultations] + (withModeration ? [.moderation] : []))
    return result
}

/// The refusal `body` ends with, or nil when it succeeds or fails otherwise.
func refusal<T>(_ body: () async throws -> T) async -> RequestFailure? {
    do {
        _ = try await body()
        return nil
    } catch let failure as RequestFailure {
        return failure
    } catch {
        return nil
    }
}
