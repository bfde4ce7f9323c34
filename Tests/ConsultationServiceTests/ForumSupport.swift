import ConsultationService
import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import TestSupport

/// What one consultation-service process runs: its platform parts and its consumers.
func consultationProcess(_ platform: ServicePlatform) -> [any Service] {
    [platform.database, platform.publisher, platform.outboxRelay()] + ConsultationService.parts(on: platform)
}

/// A fresh database with the `consultations` schema migrated.
func consultationDatabase() async throws -> TestDatabase {
    let database = try await TestDatabase.make()
    try await migrate(.consultations, directory: ConsultationService.migrationsDirectory, on: database)
    return database
}

/// What a forum test works with: the service's RPC, its topology and database.
struct ForumHarness: Sendable {
    let rpc: RPCClient
    let topology: MessagingTopology
    let database: TestDatabase

    static let staff = (id: UUID(), name: "Agnès Lefebvre")
    static let citizen = ForumAuthor(accountID: UUID(), publicName: "Camille Martin")
    static let otherCitizen = ForumAuthor(accountID: UUID(), publicName: nil)

    static func draft(
        title: String = "Se déplacer demain", mode: ForumModerationMode = .afterPublication,
        opensAt: Date = Date(timeIntervalSinceNow: -60), closesAt: Date = Date(timeIntervalSinceNow: 30 * 86_400)
    ) -> ForumDraft {
        ForumDraft(
            title: title, theme: "Mobilités du quotidien", question: "Comment vous déplacerez-vous en 2035 ?",
            description: "Le CESER prépare un avis sur les mobilités.", opensAt: opensAt, closesAt: closesAt, moderationMode: mode
        )
    }

    func openForum(_ draft: ForumDraft = ForumHarness.draft()) async throws -> ForumView {
        try await rpc.request(OpenForum(draft: draft, staffID: Self.staff.id, staffName: Self.staff.name))
    }

    /// Publishes moderation's decision on a post, as the moderation worker's relay would.
    func decide(_ post: UUID, visible: Bool = true, status: ModerationStatus = .published, revision: Int = 1) async throws {
        try await publishEvent(
            ModerationDecisionMade(
                itemID: UUID(), contentType: .forumPost, contentID: post, ownerService: .consultations, status: status, visible: visible,
                reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: nil, rule: "post_moderation", decidedAt: Date(), revision: revision
            ),
            topology: topology
        )
    }

    /// Shows a post the way production does (moderation's decision applied by the service) and waits for it.
    func publish(_ post: UUID) async throws {
        try await decide(post)
        try await eventually("the post shown") { try await int("SELECT count(*)::integer FROM consultations.forum_posts WHERE id = \(post) AND visible") == 1 }
    }

    /// Opens a thread and has moderation show its first post.
    func openShownThread(in forum: UUID, title: String = "Le train avant tout", by author: ForumAuthor = ForumHarness.citizen) async throws -> ForumPostView {
        let post = try await rpc.request(OpenForumThread(forumID: forum, title: title, body: "Il faut plus de trains le soir.", author: author))
        try await publish(post.id)
        return post
    }

    func int(_ query: PostgresQuery) async throws -> Int {
        try await Probe.on(database) { probe in try await probe.int(query) }
    }

    func texts(_ query: PostgresQuery) async throws -> [String?] {
        try await Probe.on(database) { probe in try await probe.texts(query) }
    }

    /// The bodies of the outbox messages of `type`, decoded.
    func outbox<Event: DialogueEvent>(_: Event.Type) async throws -> [Event] {
        let bodies = try await texts("SELECT convert_from(body, 'UTF8') FROM consultations.outbox WHERE message_type = \(Event.messageType) ORDER BY id")
        return try bodies.map { try MessageCoding.decode(Event.self, from: Array(($0 ?? "").utf8)) }
    }
}

/// Runs the consultation service on a fresh database with an RPC client until `body` returns,
/// then removes the test's queues.
func withForums<Result: Sendable>(_ body: @Sendable (ForumHarness) async throws -> Result) async throws -> Result {
    let database = try await consultationDatabase()
    let topology = TestEnvironment.isolatedTopology()
    let platform = ServicePlatform.forTest(.consultations, database: database, topology: topology)
    let rpc = RPCClient(settings: TestEnvironment.amqp, topology: topology, logger: TestEnvironment.logger)
    let result = try await withRunningServices(consultationProcess(platform) + [rpc]) {
        try await eventually(timeout: .seconds(20), "consultation service ready") {
            await platform.readiness.failing().isEmpty && rpc.isConnected
        }
        return try await body(ForumHarness(rpc: rpc, topology: topology, database: database))
    }
    await deleteQueues(of: topology, services: [.consultations])
    return result
}
