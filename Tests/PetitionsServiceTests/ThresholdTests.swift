import DialogueContracts
import Foundation
import Messaging
import NotificationWorker
import PetitionsService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// "Thresholds fire once", with replicas racing, and the staff notification it leads to.
@Suite struct ThresholdTests {
    let topology = TestEnvironment.isolatedTopology()

    @Test func concurrentSignaturesOnTwoReplicasCrossTheThresholdOnce() async throws {
        // setup: two replicas of the petitions service (small batches, so that both take
        // part) and the notification worker, on one database and one topology
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        try await migrate(.notifications, directory: NotificationWorker.migrationsDirectory, on: database)
        let replicas = (0..<2).map { _ in
            ServicePlatform.forTest(.petitions, database: database, topology: topology, batchSize: 25, prefetch: 50)
        }
        let notifications = ServicePlatform.forTest(.notifications, database: database, topology: topology)
        let rpc = RPCClient(settings: TestEnvironment.amqp, topology: topology, logger: TestEnvironment.logger)
        let publisher = commandPublisher(topology)
        let services = try replicas.flatMap { petitionsProcess($0, threshold: 300) } + notificationsProcess(notifications) + [rpc, publisher]
        let total = 500

        try await withRunningServices(services) {
            try await waitUntilReady(replicas + [notifications], [{ rpc.isConnected }, { publisher.isConnected }])
            let petition = try await rpc.request(CreatePetition(title: "Sauvons la ligne Abbeville-Le Tréport", text: "Pour le maintien de la ligne ferroviaire.", reasons: "Les habitants attendent une réponse depuis des années."))
            #expect(petition.threshold == 300)
            try await Probe.on(database) { probe in try await probe.openThroughModeration(petition.id, topology: topology) }

            // act: 500 people sign at once
            try await withThrowingTaskGroup(of: Void.self) { group in
                for person in 0..<total {
                    group.addTask {
                        try await publisher.publish(try signature(
                            petition.id, name: "Citoyen \(person)", email: "citoyen\(person)@example.fr",
                            postcode: ["59000", "62000", "80000", "60000", "02000"][person % 5], topology: topology
                        ))
                    }
                }
                try await group.waitForAll()
            }

            try await Probe.on(database) { probe in
                try await eventually(timeout: .seconds(60), "all signatures counted") {
                    try await probe.signatureCount(petition.id) == total
                }
                try await eventually(timeout: .seconds(30), "the staff notified") { try await probe.staffNotifications() >= 1 }
                try await eventually(timeout: .seconds(30), "the notification worker idle") {
                    try await BrokerAdmin.messageCount(queue: topology.eventsQueue("notifications"), settings: TestEnvironment.amqp) == 0
                }

                // check
                #expect(try await probe.signatureRows(petition.id) == total)
                #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.threshold_crossings WHERE petition_id = \(petition.id)") == 1)
                let crossedAt = try await probe.int(
                    "SELECT signature_count::int8 FROM petitions.threshold_crossings WHERE petition_id = \(petition.id) AND threshold = 300"
                )
                #expect((300...total).contains(crossedAt))
                #expect(try await probe.outboxRows(PetitionThresholdReached.messageType, petition: petition.id) == 1)
                #expect(try await probe.outboxRows(PetitionSignatureRecorded.messageType, petition: petition.id) == total)
                #expect(try await probe.texts("SELECT status FROM petitions.petitions WHERE id = \(petition.id)") == ["threshold_reached"])
                #expect(try await probe.staffNotifications() == 1)
                let link = try await probe.texts("SELECT link FROM notifications.staff_notifications")
                #expect(link == ["/admin/petitions/\(petition.id.uuidString.lowercased())"])
                #expect(try await rpc.request(GetPetition(petitionID: petition.id)).signatureCount == total)
                let dead = try await BrokerAdmin.messageCount(
                    queue: topology.deadLetterQueue(of: topology.commandsQueue("petitions")), settings: TestEnvironment.amqp
                )
                #expect(dead == 0)
            }
        }
        await deleteQueues(of: topology, services: [.petitions, .notifications])
    }

    /// A count that keeps rising past the threshold never fires it again.
    @Test func signaturesAfterTheCrossingDoNotFireAgain() async throws {
        // setup
        try await withPetitionsService(topology: topology, threshold: 2) { publisher, probe in
            let petition = try await probe.insertPetition(threshold: 2)
            for person in 0..<2 {
                try await publisher.publish(try signature(petition, email: "premier\(person)@example.fr", topology: topology))
            }
            try await eventually("threshold reached") { try await probe.signatureCount(petition) == 2 }

            // act: more signatures, one by one (each its own batch)
            for person in 0..<3 {
                try await publisher.publish(try signature(petition, email: "suivant\(person)@example.fr", topology: topology))
                try await eventually("signature counted") { try await probe.signatureCount(petition) == 3 + person }
            }

            // check
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.threshold_crossings") == 1)
            #expect(try await probe.outboxRows(PetitionThresholdReached.messageType, petition: petition) == 1)
            #expect(try await probe.texts("SELECT status FROM petitions.petitions WHERE id = \(petition)") == ["threshold_reached"])
        }
    }

    /// `petition.signature_recorded` has no subscriber yet, so every such event comes back
    /// unroutable to the outbox relay. Those rows must not hold back the events behind them:
    /// a petition crossing its threshold after a busy day must still reach the staff.
    @Test func eventsWithoutSubscribersDoNotHoldBackTheThresholdEvent() async throws {
        // setup: a busy petition with more signatures than one relay batch (500)
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        try await migrate(.notifications, directory: NotificationWorker.migrationsDirectory, on: database)
        let petitions = ServicePlatform.forTest(.petitions, database: database, topology: topology)
        let notifications = ServicePlatform.forTest(.notifications, database: database, topology: topology)
        let publisher = commandPublisher(topology)
        let services = try petitionsProcess(petitions, threshold: 10_000) + notificationsProcess(notifications) + [publisher]
        try await withRunningServices(services) {
            try await waitUntilReady([petitions, notifications], [{ publisher.isConnected }])
            try await Probe.on(database) { probe in
                let busy = try await probe.insertPetition(threshold: 10_000)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for person in 0..<520 {
                        group.addTask {
                            try await publisher.publish(try signature(busy, email: "citoyen\(person)@example.fr", topology: topology))
                        }
                    }
                    try await group.waitForAll()
                }
                try await eventually(timeout: .seconds(60), "the busy petition counted") { try await probe.signatureCount(busy) == 520 }

                // act: another petition reaches its threshold of 1
                let small = try await probe.insertPetition(threshold: 1, title: "Un passage piéton devant l'école")
                try await publisher.publish(try signature(small, email: "parent@example.fr", topology: topology))
                try await eventually("threshold reached") { try await probe.signatureCount(small) == 1 }
                #expect(try await probe.outboxRows(PetitionThresholdReached.messageType, petition: small) == 1)

                // check: the staff hear of it
                try await eventually(timeout: .seconds(20), "the staff notified") { try await probe.staffNotifications() == 1 }
            }
        }
        await deleteQueues(of: topology, services: [.petitions, .notifications])
    }
}
