import DialogueContracts
import DialogueCtl
import Foundation
import Messaging
@testable import ModerationWorker
import PetitionsService
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Testing
import TestSupport

/// A running moderation worker on a fresh database and an isolated topology, with what a
/// test needs to feed it events, call it over RPC and look at its effects.
struct ModerationHarness: Sendable {
    let topology: MessagingTopology
    let database: TestDatabase
    let platform: ServicePlatform
    /// The worker's RPC queue, with a deadline fit for a machine running every test at once.
    let rpc: PatientRPC
    /// Publishes events as their producers would (declaring the worker's queues first, so
    /// nothing published is lost).
    let events: AMQPPublisher
    let probe: Probe

    /// A moderator of the tests.
    static let moderator = (id: UUID(uuidString: "5e1f6c1a-7d0e-4a8c-9a55-0c2a1c0f0001")!, name: "Claire Moreau")
    static let otherModerator = (id: UUID(uuidString: "5e1f6c1a-7d0e-4a8c-9a55-0c2a1c0f0002")!, name: "Hugo Lefèvre")

    /// Publishes a submission of `Submission`'s kind and returns the content's id.
    @discardableResult
    func submit<Submission: ContentSubmission>(
        _: Submission.Type, title: String? = nil, text: String, author: UUID? = nil, authorName: String? = "Camille Martin",
        consultationID: UUID? = nil, submittedAt: Date = Date(), contentID: UUID = UUID(),
        messageID: String = UUID().uuidString.lowercased(), moderationMode: String? = nil
    ) async throws -> UUID {
        let owner: ServiceName = Submission.contentType == .petition ? .petitions : .consultations
        let submission = Submission(content: SubmittedContent(
            contentID: contentID, ownerService: owner, title: title, text: text, authorAccountID: author, authorName: authorName,
            consultationID: consultationID, publicPath: "/contenus/\(contentID.uuidString.lowercased())", submittedAt: submittedAt,
            moderationMode: moderationMode
        ))
        try await publish(type: Submission.messageType, body: try MessageCoding.encode(submission), messageID: messageID)
        return contentID
    }

    /// Publishes a raw event on the events exchange, routed by its type.
    func publish(type: String, body: [UInt8], messageID: String = UUID().uuidString.lowercased()) async throws {
        try await events.publish(OutgoingMessage(
            exchange: topology.eventsExchange, routingKey: type, body: body, messageID: messageID, type: type,
            headers: [EnvelopeHeader.schemaVersion: .int(1)]
        ))
    }

    /// The id of the item made of a content, once the worker has made it.
    func itemID(of contentID: UUID) async throws -> UUID {
        try await eventually("the item of \(contentID)") {
            try await probe.int("SELECT count(*)::int8 FROM moderation.items WHERE content_id = \(contentID)") == 1
        }
        let ids = try await probe.texts("SELECT id::text FROM moderation.items WHERE content_id = \(contentID)")
        return try #require(ids.first.flatMap { $0.flatMap(UUID.init(uuidString:)) })
    }

    /// The item made of a content, as the back-office reads it (over RPC).
    func item(of contentID: UUID) async throws -> ModerationItemDetail {
        try await rpc.request(GetModerationItem(itemID: try await itemID(of: contentID)))
    }

    /// Submits a content and returns its item as the back-office reads it.
    func submitAndRead<Submission: ContentSubmission>(
        _ kind: Submission.Type, title: String? = nil, text: String, author: UUID? = nil, submittedAt: Date = Date()
    ) async throws -> ModerationItemDetail {
        try await item(of: try await submit(kind, title: title, text: text, author: author, submittedAt: submittedAt))
    }

    /// The `moderation.decision_made` events the worker wrote about a content, oldest first.
    func decisionEvents(of contentID: UUID) async throws -> [ModerationDecisionMade] {
        let bodies = try await probe.texts(
            """
            SELECT convert_from(body, 'UTF8') FROM moderation.outbox
            WHERE message_type = \(ModerationDecisionMade.messageType)
              AND (convert_from(body, 'UTF8')::jsonb ->> 'contentID')::uuid = \(contentID)
            ORDER BY id
            """
        )
        return try bodies.map { try MessageCoding.decode(ModerationDecisionMade.self, from: Array(($0 ?? "").utf8)) }
    }

    /// A moderator's decision on items at the revision the moderator saw.
    func decide(
        _ items: [ModerationItemSummary], _ status: ModerationStatus, reason: String? = nil, comment: String? = nil,
        by moderator: (id: UUID, name: String) = ModerationHarness.moderator
    ) async throws -> ModerationDecisionOutcome {
        try await rpc.request(DecideModeration(
            items: items.map { ModerationItemRevision(itemID: $0.id, revision: $0.revision) }, status: status, reasonCode: reason,
            comment: comment, moderatorID: moderator.id, moderatorName: moderator.name
        ))
    }

    /// Changes one content type's policy.
    @discardableResult
    func setPolicy(
        _ type: ContentType, mode: String, holdScore: Int = 60, flagsToHold: Int = 3, flagAccountMinimumDays: Int = 7,
        audiencePerExtraFlag: Int = 100
    ) async throws -> ModerationSettingsView {
        try await rpc.request(UpdateModerationPolicy(
            policy: ModerationPolicy(
                contentType: type, mode: mode, holdScore: holdScore, flagsToHold: flagsToHold, flagAccountMinimumDays: flagAccountMinimumDays,
                audiencePerExtraFlag: audiencePerExtraFlag
            ),
            moderatorName: ModerationHarness.moderator.name
        ))
    }

    /// A citizen's flag on a content; returns whether it was recorded.
    @discardableResult
    func flag(
        _ content: UUID, type: ContentType = .forumPost, by reporter: Reporter, reason: String = "injure", audience: Int? = nil
    ) async throws -> Bool {
        try await rpc.request(FlagContent(
            contentType: type, contentID: content, reporterKey: reporter.key, reasonCode: reason, comment: "Ce contenu me choque.",
            reporter: reporter.reporter, audience: audience
        )).recorded
    }

    /// The audit rows of an item: "before>after|visible|by|rule|reason", oldest first.
    func auditRows(of itemID: UUID) async throws -> [String] {
        try await probe.texts(
            """
            SELECT coalesce(before_status, '-') || '>' || after_status || '|' || visible_after::text || '|' || decided_by_name
                   || '|' || coalesce(rule, '-') || '|' || coalesce(reason_code, '-')
            FROM moderation.decisions WHERE item_id = \(itemID) ORDER BY sequence
            """
        ).map { $0 ?? "" }
    }
}

/// Who flags in a test, with the key the gateway would send.
struct Reporter: Sendable {
    let key: String
    let reporter: FlagReporter

    /// A visitor without an account, known by a keyed hash of the address.
    static func visitor(_ name: String = UUID().uuidString) -> Reporter {
        Reporter(key: "address:" + name, reporter: .visitor)
    }

    /// An account created `daysAgo` days ago, its address confirmed or not.
    static func account(confirmed: Bool, createdDaysAgo daysAgo: Double, id: UUID = UUID()) -> Reporter {
        Reporter(
            key: "account:" + id.uuidString.lowercased(),
            reporter: FlagReporter(accountID: id, confirmed: confirmed, accountCreatedAt: Date().addingTimeInterval(-daysAgo * 86_400))
        )
    }

    /// A confirmed account well past any minimum age: its flag counts.
    static func trusted() -> Reporter { account(confirmed: true, createdDaysAgo: 400) }

    var accountID: UUID? { reporter.accountID }
}

/// Runs the petitions service and the moderation worker, each on its own platform, one
/// database and one topology, with an RPC client (the gateway's part) and a command publisher.
func withPetitionsAndModeration(
    topology: MessagingTopology, _ body: @Sendable (RPCClient, AMQPPublisher, Probe) async throws -> Void
) async throws {
    let database = try await TestDatabase.make()
    try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
    try await migrate(.moderation, directory: ModerationWorker.migrationsDirectory, on: database)
    let petitions = ServicePlatform.forTest(.petitions, database: database, topology: topology)
    let moderation = ServicePlatform.forTest(.moderation, database: database, topology: topology)
    let rpc = RPCClient(settings: TestEnvironment.amqp, topology: topology, logger: TestEnvironment.logger)
    let commands = AMQPPublisher(
        settings: TestEnvironment.amqp, name: "test-commands",
        declarations: topology.declarations(for: ServiceCatalog.endpoints(of: .petitions)), logger: TestEnvironment.logger
    )
    try await withRunningServices(petitionsProcess(petitions) + moderationProcess(moderation) + [rpc, commands]) {
        try await waitUntilReady([petitions, moderation], [{ rpc.isConnected }, { commands.isConnected }])
        try await Probe.on(database) { probe in try await body(rpc, commands, probe) }
    }
    await deleteQueues(of: topology, services: [.petitions, .moderation])
}

/// Queue alerts that never fire on their own in tests: a test that looks at alerts runs
/// its own `QueueAlertJob`.
let quietAlerts = QueueAlertSettings(count: 100_000, ageMinutes: 43_200, reminderMinutes: 43_200)

/// What one moderation-worker process runs.
func moderationProcess(_ platform: ServicePlatform, alerts: QueueAlertSettings = quietAlerts) -> [any Service] {
    [platform.database, platform.publisher, platform.outboxRelay()]
        + ModerationWorker.parts(on: platform, alerts: alerts, alertInterval: .seconds(3600))
}

/// What one petitions-service process runs.
func petitionsProcess(_ platform: ServicePlatform, threshold: Int = 1_000) -> [any Service] {
    [platform.database, platform.publisher, platform.outboxRelay()]
        + PetitionsService.parts(on: platform, rules: PetitionRules(threshold: threshold))
}

/// Waits until every platform reports ready and the extra clients are connected.
func waitUntilReady(_ platforms: [ServicePlatform], _ clients: [@Sendable () -> Bool] = []) async throws {
    try await eventually(timeout: .seconds(20), "services ready") {
        for platform in platforms where !(await platform.readiness.failing().isEmpty) { return false }
        return clients.allSatisfy { $0() }
    }
}


/// Runs the moderation worker on a fresh database and topology until `body` returns.
func withModerationWorker(
    alerts: QueueAlertSettings = quietAlerts, _ body: @Sendable (ModerationHarness) async throws -> Void
) async throws {
    let topology = TestEnvironment.isolatedTopology()
    let database = try await TestDatabase.make()
    try await migrate(.moderation, directory: ModerationWorker.migrationsDirectory, on: database)
    let platform = ServicePlatform.forTest(.moderation, database: database, topology: topology)
    let rpc = RPCClient(settings: TestEnvironment.amqp, topology: topology, logger: TestEnvironment.logger)
    let events = AMQPPublisher(
        settings: TestEnvironment.amqp, name: "test-events",
        declarations: topology.declarations(for: ServiceCatalog.endpoints(of: .moderation)), logger: TestEnvironment.logger
    )
    try await withRunningServices(moderationProcess(platform, alerts: alerts) + [rpc, events]) {
        try await waitUntilReady([platform], [{ rpc.isConnected }, { events.isConnected }])
        try await Probe.on(database) { probe in
            try await body(ModerationHarness(topology: topology, database: database, platform: platform, rpc: PatientRPC(client: rpc), events: events, probe: probe))
        }
    }
    await deleteQueues(of: topology, services: [.moderation])
}

// MARK: - French samples

/// Texts a citizen could write, one per pre-check.
enum Samples {
    static let clean = """
        Nous demandons à la Région de renforcer la desserte TER entre Amiens et Abbeville en soirée : \
        le dernier train part à 19 h 12 et les salariés en horaires décalés n'ont aucune solution pour rentrer.
        """
    /// Another clean text, on another subject.
    static let cleanOther = """
        Le CESER pourrait organiser des ateliers dans les lycées agricoles de l'Avesnois pour recueillir l'avis des jeunes \
        sur l'avenir de l'élevage laitier et des circuits courts.
        """
    static let personalData = """
        Le car scolaire de la ligne 12 passe avec vingt minutes de retard chaque matin à Noyon. \
        Pour en parler, appelez-moi au 06 12 34 56 78 ou écrivez à jeanne.dubois@orange.fr.
        """
    static let insult = """
        Le nouveau rond-point de Béthune est une catastrophe et l'adjoint qui l'a dessiné est un vrai connard \
        qui ne prend jamais le vélo.
        """
    /// Another insult of the same gravity, in a text of its own (not a near-duplicate).
    static let otherInsult = """
        Quarante minutes pour traverser Compiègne le matin, et le conseiller chargé des transports, ce connard, \
        nous explique que tout va bien.
        """
    static let linkSpam = """
        Meilleurs prix garantis sur les panneaux solaires ! https://bit.ly/3xPromo https://bit.ly/3xPromo \
        https://tinyurl.com/solaire-pas-cher https://promo-solaire.example.com/offre https://promo-solaire.example.com/devis
        """
    static let shouting = """
        LA FERMETURE DE LA MATERNITÉ DE CREIL EST UN SCANDALE ABSOLU, NOS FEMMES DOIVENT FAIRE UNE HEURE DE ROUTE \
        POUR ACCOUCHER ET PERSONNE NE NOUS ÉCOUTE
        """
    static let original = """
        Les habitants du bassin minier demandent la réouverture de la ligne de bus entre Lens et Hénin-Beaumont le dimanche, \
        supprimée en septembre sans concertation. Les personnes âgées et les jeunes sans voiture ne peuvent plus se rendre \
        au marché ni rendre visite à leur famille le week-end.
        """
    /// `original` copied with a few words changed, as petitions are often re-posted.
    static let nearCopy = """
        Les habitants du bassin minier demandent la réouverture de la ligne de bus entre Lens et Hénin-Beaumont le dimanche, \
        supprimée en septembre sans aucune concertation. Les personnes âgées et les jeunes sans voiture ne peuvent plus aller \
        au marché ni rendre visite à leur famille le week-end !
        """
}

/// Requests with a long deadline: the suites run in parallel on two cores, where a request
/// may wait its turn for seconds. The deadline itself is tested in ServiceKit's tests.
struct PatientRPC: Sendable {
    let client: RPCClient

    func request<Request: DialogueRequest>(_ request: Request) async throws -> Request.Response {
        try await client.request(request, timeout: .seconds(30))
    }
}
