import DialogueContracts
import DialogueCtl
import Foundation
import Messaging
import NotificationWorker
import PetitionsService
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import TestSupport


/// What one petitions-service process runs: its platform parts and its consumers.
func petitionsProcess(_ platform: ServicePlatform, threshold: Int) -> [any Service] {
    [platform.database, platform.publisher, platform.outboxRelay()]
        + PetitionsService.parts(on: platform, rules: PetitionRules(threshold: threshold))
}

/// What one notification-worker process runs.
func notificationsProcess(_ platform: ServicePlatform) throws -> [any Service] {
    [platform.database, platform.publisher, platform.outboxRelay()]
        + notificationWorkerParts(on: platform)
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

/// A signature command from a fictitious citizen: by default signed in with a confirmed
/// address (counted at once); `confirmed: false` for a visitor, who confirms by mail.
func signature(
    _ petition: UUID, name: String = "Camille Martin", email: String, postcode: String = "59000",
    topology: MessagingTopology, messageID: UUID = UUID(), confirmed: Bool = true, clientAddress: String? = nil, wantsAnswer: Bool = false
) throws -> OutgoingMessage {
    try OutgoingMessage(
        command: SignPetition(
            petitionID: petition, name: name, email: email, postcode: postcode, signedAt: Date(), wantsAnswer: wantsAnswer,
            clientAddress: clientAddress, confirmedAccountID: confirmed ? UUID() : nil
        ),
        topology: topology, messageID: messageID
    )
}

/// The press of a mailed link's button.
func confirmation(_ token: String, topology: MessagingTopology) throws -> OutgoingMessage {
    try OutgoingMessage(command: ConfirmSignature(token: token), topology: topology, messageID: UUID())
}

/// Runs the petitions service on a fresh database with a connected command publisher and a
/// probe, then removes the test's queues.
func withPetitionsService(
    topology: MessagingTopology, threshold: Int, _ body: @Sendable (AMQPPublisher, Probe) async throws -> Void
) async throws {
    let database = try await TestDatabase.make()
    try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
    let platform = ServicePlatform.forTest(.petitions, database: database, topology: topology)
    let publisher = commandPublisher(topology)
    try await withRunningServices(petitionsProcess(platform, threshold: threshold) + [publisher]) {
        try await waitUntilReady([platform], [{ publisher.isConnected }])
        try await Probe.on(database) { probe in try await body(publisher, probe) }
    }
    await deleteQueues(of: topology, services: [.petitions])
}
