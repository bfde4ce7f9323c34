import DialogueContracts
import DialogueCtl
import Foundation
import Messaging
import NotificationWorker
import PetitionsService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Messages that can never succeed are parked with their reason, and the rest flows.
@Suite struct DeadLetterTests {
    let topology = TestEnvironment.isolatedTopology()
    let reasonHeader = "dialogue-dead-letter-reason"

    @Test func poisonCommandsAreDeadLetteredWhileValidSignaturesAreRecorded() async throws {
        // setup
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        let platform = ServicePlatform.forTest(.petitions, database: database, topology: topology)
        let publisher = commandPublisher(topology)
        let deadQueue = topology.deadLetterQueue(of: topology.commandsQueue("petitions"))
        #expect(deadQueue == "\(topology.prefix)petitions.commands.dead")

        try await withRunningServices(petitionsProcess(platform, threshold: 1_000) + [publisher]) {
            try await waitUntilReady([platform], [{ publisher.isConnected }])
            try await Probe.on(database) { probe in
                let petition = try await probe.insertPetition(threshold: 1_000)
                let unknownPetition = UUID()
                let valid = try signature(petition, email: "marie@example.fr", topology: topology)
                var unreadable = valid
                unreadable.messageID = "unreadable-\(UUID().uuidString)"
                unreadable.body = Array(#"{"petitionID": "pas un identifiant", "name": 12"#.utf8)
                var wrongType = try signature(petition, email: "jean@example.fr", topology: topology)
                wrongType.messageID = "wrong-type-\(UUID().uuidString)"
                wrongType.type = "petition.unsign"
                var futureVersion = try signature(petition, email: "paul@example.fr", topology: topology)
                futureVersion.messageID = "future-\(UUID().uuidString)"
                futureVersion.headers[EnvelopeHeader.schemaVersion] = .int(99)

                // act: poison and valid messages interleaved
                try await publisher.publish(try signature(unknownPetition, email: "perdu@example.fr", topology: topology, messageID: unknownPetition))
                try await publisher.publish(valid)
                try await publisher.publish(unreadable)
                try await publisher.publish(try signature(petition, email: "lucie@example.fr", topology: topology))
                try await publisher.publish(wrongType)
                try await publisher.publish(futureVersion)
                try await publisher.publish(try signature(petition, email: "hugo@example.fr", topology: topology))
                try await eventually("valid signatures recorded") { try await probe.signatureCount(petition) == 3 }
                try await eventually("poison messages parked") {
                    try await BrokerAdmin.messageCount(queue: deadQueue, settings: TestEnvironment.amqp) == 4
                }

                // check: each parked message says why, and names its queue
                let dead = try await BrokerAdmin.peek(queue: deadQueue, limit: 10, settings: TestEnvironment.amqp)
                let reasons = Dictionary(uniqueKeysWithValues: dead.map { ($0.messageID ?? "-", $0.headers[reasonHeader]?.stringValue ?? "") })
                #expect(reasons.count == 4)
                #expect(reasons[unknownPetition.uuidString.lowercased()]?.contains("unknown petition") == true)
                #expect(reasons[unreadable.messageID]?.contains("unreadable petition.sign body") == true)
                #expect(reasons[wrongType.messageID]?.contains("petition.unsign") == true)
                #expect(reasons[futureVersion.messageID]?.contains("schema version 99") == true)
                #expect(dead.allSatisfy { $0.headers["dialogue-dead-letter-queue"]?.stringValue == topology.commandsQueue("petitions") })
                #expect(dead.first { $0.messageID == wrongType.messageID }?.type == "petition.unsign")
                #expect(try await probe.signatureRows(petition) == 3)
                #expect(try await BrokerAdmin.messageCount(queue: topology.commandsQueue("petitions"), settings: TestEnvironment.amqp) == 0)
            }
        }
        await deleteQueues(of: topology, services: [.petitions])
    }

    /// The command router takes only the types registered with it: another one is parked
    /// with the reason, never read as a signature, and the signatures beside it are recorded.
    @Test func commandOfAnUnknownTypeIsDeadLetteredWithItsReason() async throws {
        // setup
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        let platform = ServicePlatform.forTest(.petitions, database: database, topology: topology)
        let publisher = commandPublisher(topology)
        let deadQueue = topology.deadLetterQueue(of: topology.commandsQueue("petitions"))

        try await withRunningServices(petitionsProcess(platform, threshold: 1_000) + [publisher]) {
            try await waitUntilReady([platform], [{ publisher.isConnected }])
            try await Probe.on(database) { probe in
                let petition = try await probe.insertPetition(threshold: 1_000)
                // A body a signature would accept, under a type nobody registered.
                var withdrawal = try signature(petition, email: "jean@example.fr", topology: topology)
                withdrawal.type = "petition.signature.withdraw"

                // act
                try await publisher.publish(withdrawal)
                try await publisher.publish(try signature(petition, email: "marie@example.fr", topology: topology))
                try await eventually("the unknown command parked") {
                    try await BrokerAdmin.messageCount(queue: deadQueue, settings: TestEnvironment.amqp) == 1
                }
                try await eventually("the signature recorded") { try await probe.signatureCount(petition) == 1 }

                // check
                let dead = try await BrokerAdmin.peek(queue: deadQueue, limit: 10, settings: TestEnvironment.amqp)
                #expect(dead.map(\.messageID) == [withdrawal.messageID])
                #expect(dead.first?.headers[reasonHeader]?.stringValue == "no handler for command type petition.signature.withdraw")
                #expect(try await probe.signatureRows(petition) == 1)
            }
        }
        await deleteQueues(of: topology, services: [.petitions])
    }

    @Test func notificationWorkerParksEventsItHasNoNotificationFor() async throws {
        // setup
        let database = try await TestDatabase.make()
        try await migrate(.notifications, directory: NotificationWorker.migrationsDirectory, on: database)
        let platform = ServicePlatform.forTest(.notifications, database: database, topology: topology)
        let publisher = AMQPPublisher(
            settings: TestEnvironment.amqp, name: "test-events",
            declarations: topology.declarations(for: ServiceCatalog.endpoints(of: .notifications)), logger: TestEnvironment.logger
        )
        let eventsQueue = topology.eventsQueue("notifications")
        let deadQueue = topology.deadLetterQueue(of: eventsQueue)
        let reached = PetitionThresholdReached(
            petitionID: UUID(), title: "Des bus le dimanche", threshold: 2, signatureCount: 2, reachedAt: Date()
        )
        func event(type: String, body: [UInt8]) -> OutgoingMessage {
            // The routing key the queue is bound to, with whatever type the test needs.
            OutgoingMessage(
                exchange: topology.eventsExchange, routingKey: PetitionThresholdReached.messageType, body: body, type: type,
                headers: [EnvelopeHeader.schemaVersion: .int(1)]
            )
        }
        let unknown = event(type: "petition.threshold_lowered", body: Array("{}".utf8))
        let unreadable = event(type: PetitionThresholdReached.messageType, body: Array("pas du JSON".utf8))
        let valid = event(type: PetitionThresholdReached.messageType, body: try MessageCoding.encode(reached))

        try await withRunningServices(try notificationsProcess(platform) + [publisher]) {
            try await waitUntilReady([platform], [{ publisher.isConnected }])
            try await Probe.on(database) { probe in
                // act: the valid event is published twice (a redelivery), around the poison ones
                try await publisher.publish(unknown)
                try await publisher.publish(valid)
                try await publisher.publish(unreadable)
                try await publisher.publish(valid)
                try await eventually("poison events parked") {
                    try await BrokerAdmin.messageCount(queue: deadQueue, settings: TestEnvironment.amqp) == 2
                }
                try await eventually("queue drained") {
                    try await BrokerAdmin.messageCount(queue: eventsQueue, settings: TestEnvironment.amqp) == 0
                }
                try await eventually("the valid event notified") { try await probe.staffNotifications() == 1 }

                // check
                let dead = try await BrokerAdmin.peek(queue: deadQueue, limit: 10, settings: TestEnvironment.amqp)
                let reasons = Dictionary(uniqueKeysWithValues: dead.map { ($0.messageID ?? "-", $0.headers[reasonHeader]?.stringValue ?? "") })
                #expect(reasons[unknown.messageID]?.contains("no notification for message type petition.threshold_lowered") == true)
                #expect(reasons[unreadable.messageID]?.contains("unreadable") == true)
                #expect(dead.allSatisfy { $0.headers["dialogue-dead-letter-queue"]?.stringValue == eventsQueue })
                #expect(try await probe.staffNotifications() == 1)
                let titles = try await probe.texts("SELECT title FROM notifications.staff_notifications")
                #expect(titles == ["Seuil atteint : « Des bus le dimanche »"])
                let source = try await probe.texts("SELECT source_message_id FROM notifications.staff_notifications")
                #expect(source == [valid.messageID])
            }
        }
        await deleteQueues(of: topology, services: [.notifications])
    }
}
