import DialogueContracts
import Foundation
import Messaging
import NotificationWorker
import PetitionsService
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import TestSupport

/// Applies a service's migrations on a short-lived client of the service's own role,
/// before any of its consumers starts.
func migrate(_ service: ServiceName, directory: URL?, on database: TestDatabase) async throws {
    let platform = ServicePlatform.forTest(service, database: database, topology: TestEnvironment.isolatedTopology())
    try await withRunningServices([platform.database]) {
        try await platform.migrate(directory: directory)
    }
}

/// What one petitions-service process runs: its platform parts and its consumers.
func petitionsProcess(_ platform: ServicePlatform, threshold: Int) -> [any Service] {
    [platform.database, platform.publisher, platform.outboxRelay()]
        + PetitionsService.parts(on: platform, rules: PetitionRules(threshold: threshold))
}

/// What one notification-worker process runs.
func notificationsProcess(_ platform: ServicePlatform) throws -> [any Service] {
    [platform.database, platform.publisher, platform.outboxRelay()]
        + (try NotificationWorker.services(on: platform, operations: OperationsEndpoints(readiness: platform.readiness, registry: nil)))
}

/// Waits until every platform reports ready (database, broker, consumers) and the extra
/// clients are connected, so no test message meets a queue not yet declared.
func waitUntilReady(_ platforms: [ServicePlatform], _ clients: [@Sendable () -> Bool] = []) async throws {
    try await eventually(timeout: .seconds(20), "services ready") {
        for platform in platforms where !(await platform.readiness.failing().isEmpty) { return false }
        return clients.allSatisfy { $0() }
    }
}

/// A publisher of test messages that declares the petitions queues itself, so that what it
/// publishes waits in the queue even when no consumer runs yet.
func commandPublisher(_ topology: MessagingTopology) -> AMQPPublisher {
    AMQPPublisher(
        settings: TestEnvironment.amqp, name: "test-publisher",
        declarations: topology.declarations(for: ServiceCatalog.endpoints(of: .petitions)),
        logger: TestEnvironment.logger
    )
}

/// Publishes the messages one after the other (in queue order) with a connection of its own.
func publishInOrder(_ messages: [OutgoingMessage], topology: MessagingTopology) async throws {
    let publisher = commandPublisher(topology)
    await publisher.connect()
    do {
        for message in messages { try await publisher.publish(message) }
    } catch {
        await publisher.close()
        throw error
    }
    await publisher.close()
}

/// A signature command from a fictitious citizen.
func signature(
    _ petition: UUID, name: String = "Camille Martin", email: String, postcode: String = "59000",
    topology: MessagingTopology, messageID: UUID = UUID()
) throws -> OutgoingMessage {
    try OutgoingMessage(
        command: SignPetition(petitionID: petition, name: name, email: email, postcode: postcode, signedAt: Date()),
        topology: topology, messageID: messageID
    )
}

/// Removes the queues a test declared on the shared development broker (best effort).
func deleteQueues(of topology: MessagingTopology, services: [ServiceName]) async {
    var queues: [String] = []
    for service in services {
        let endpoints = ServiceCatalog.endpoints(of: service)
        var own: [String] = []
        if !endpoints.eventPatterns.isEmpty { own.append(topology.eventsQueue(endpoints.name)) }
        if endpoints.takesCommands { own.append(topology.commandsQueue(endpoints.name)) }
        if endpoints.answersRPC { own.append(topology.rpcQueue(endpoints.name)) }
        queues += own.flatMap { [$0, topology.deadLetterQueue(of: $0)] }
    }
    try? await BrokerAdmin.deleteQueues(
        queues, exchanges: [topology.eventsExchange, topology.commandsExchange, topology.rpcExchange, topology.deadLetterExchange],
        settings: TestEnvironment.amqp
    )
}

/// Reads the test database as the administrator (every schema, fully qualified names).
struct Probe: Sendable {
    let client: PostgresClient

    /// Runs `body` with a probe on `database`.
    static func on<Result: Sendable>(_ database: TestDatabase, _ body: @Sendable (Probe) async throws -> Result) async throws -> Result {
        try await TestDatabase.withClient(database.adminSettings) { client in try await body(Probe(client: client)) }
    }

    /// The single integer a query returns (a count).
    func int(_ query: PostgresQuery) async throws -> Int {
        var result = 0
        for try await value in try await client.query(query, logger: TestEnvironment.logger).decode(Int.self) { result = value }
        return result
    }

    /// The first column of every row, as text (NULL as nil).
    func texts(_ query: PostgresQuery) async throws -> [String?] {
        var result: [String?] = []
        for try await value in try await client.query(query, logger: TestEnvironment.logger).decode(String?.self) { result.append(value) }
        return result
    }

    func signatureCount(_ petition: UUID) async throws -> Int {
        try await int("SELECT signature_count FROM petitions.petitions WHERE id = \(petition)")
    }

    func signatureRows(_ petition: UUID) async throws -> Int {
        try await int("SELECT count(*)::int8 FROM petitions.signatures WHERE petition_id = \(petition)")
    }

    /// Outbox rows of a type about one petition (the event bodies name it).
    func outboxRows(_ type: String, petition: UUID) async throws -> Int {
        try await int(
            """
            SELECT count(*)::int8 FROM petitions.outbox
            WHERE message_type = \(type) AND (convert_from(body, 'UTF8')::jsonb ->> 'petitionID')::uuid = \(petition)
            """
        )
    }

    func inboxRows(_ messageID: UUID) async throws -> Int {
        try await int("SELECT count(*)::int8 FROM petitions.inbox WHERE message_id = \(messageID.uuidString.lowercased())")
    }

    func staffNotifications() async throws -> Int {
        try await int("SELECT count(*)::int8 FROM notifications.staff_notifications")
    }

    /// Inserts an open petition directly (for tests about signatures, not creation).
    func insertPetition(threshold: Int, title: String = "Plus de TER entre Lille et Amiens") async throws -> UUID {
        let id = UUID()
        try await client.query(
            """
            INSERT INTO petitions.petitions (id, title, body, threshold)
            VALUES (\(id), \(title), 'Nous demandons davantage de trains régionaux.', \(threshold))
            """,
            logger: TestEnvironment.logger
        )
        return id
    }
}
