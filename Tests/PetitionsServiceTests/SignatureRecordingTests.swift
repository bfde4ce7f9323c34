import DialogueContracts
import Foundation
import Messaging
import PetitionsService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// `petition.sign` commands through the real queue, consumer and database.
@Suite struct SignatureRecordingTests {
    let topology = TestEnvironment.isolatedTopology()

    @Test func batchIsStoredAndCountsEachPersonOnce() async throws {
        // setup: two petitions, and a queue holding their signatures before the service starts,
        // so that they are consumed as one batch
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        let (trains, bikes) = try await Probe.on(database) { probe in
            (try await probe.insertPetition(threshold: 1_000), try await probe.insertPetition(threshold: 1_000, title: "Des abris vélo"))
        }
        let people: [(name: String, email: String, postcode: String)] = [
            ("Marie Dupont", "Marie.Dupont@gmail.com", "59000"),
            ("Marie Dupont", "mariedupont+petition@gmail.com", "59000"),  // Marie again (gmail: suffix)
            ("Marie Dupont", "MARIE.DUPONT@googlemail.com", "59000"),  // Marie again (gmail: case, dots, alias)
            ("Jean Martin", "jean.martin@orange.fr", "62100"),
            ("Jean Martin", "jeanmartin@orange.fr", "62100"),  // another mailbox at Orange
            ("Paul Leroy", "paulo@example.org", "75001"),
            ("Paul Leroy", "Paul+petitions@Example.org", "75001"),  // another mailbox at an unknown provider (a `+suffix` is the same one)
            ("  Paul Leroy  ", "PAUL@example.ORG", "80000"),  // the previous one in capitals
        ]
        let messages = try people.map { try signature(trains, name: $0.name, email: $0.email, postcode: $0.postcode, topology: topology) } + [
            try signature(bikes, email: "Marie.Dupont@gmail.com", topology: topology),  // one person may sign two petitions
            try signature(bikes, email: "lucie@example.fr", postcode: "02100", topology: topology),
        ]
        try await publishInOrder(messages, topology: topology)

        let platform = ServicePlatform.forTest(.petitions, database: database, topology: topology)
        try await withRunningServices(petitionsProcess(platform, threshold: 1_000)) {
            try await Probe.on(database) { probe in
                // act
                try await eventually("the batch recorded") {
                    let counts = (try await probe.signatureCount(trains), try await probe.signatureCount(bikes))
                    return counts == (5, 2)
                }

                // check: one row and one event per person, every message claimed in the inbox
                #expect(try await probe.signatureRows(trains) == 5)
                #expect(try await probe.signatureRows(bikes) == 2)
                #expect(try await probe.outboxRows(PetitionSignatureRecorded.messageType, petition: trains) == 5)
                #expect(try await probe.outboxRows(PetitionSignatureRecorded.messageType, petition: bikes) == 2)
                #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.inbox") == Int(messages.count))
                let persons = try await probe.texts(
                    "SELECT email_normalized FROM petitions.signatures WHERE petition_id = \(trains) ORDER BY email_normalized"
                )
                #expect(persons == [
                    "jean.martin@orange.fr", "jeanmartin@orange.fr", "mariedupont@gmail.com", "paul@example.org", "paulo@example.org",
                ])
                let marie = try await probe.texts(
                    "SELECT name || '|' || email || '|' || departement FROM petitions.signatures WHERE email_normalized = 'mariedupont@gmail.com' AND petition_id = \(trains)"
                )
                #expect(marie == ["Marie Dupont|Marie.Dupont@gmail.com|59"])
                let departements = try await probe.texts(
                    "SELECT DISTINCT departement FROM petitions.signatures WHERE petition_id = \(trains) ORDER BY departement NULLS LAST"
                )
                #expect(departements == ["59", "62", nil])  // 75001 lies outside the region
                #expect(try await probe.texts("SELECT status FROM petitions.petitions WHERE id = \(trains)") == ["open"])
                #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.threshold_crossings") == 0)
            }
        }
        await deleteQueues(of: topology, services: [.petitions])
    }

    @Test func laterSignatureOfTheSamePersonIsNotCounted() async throws {
        // setup
        try await withPetitionsService(topology: topology, threshold: 1_000) { publisher, probe in
            let petition = try await probe.insertPetition(threshold: 1_000)
            try await publisher.publish(try signature(petition, email: "marie.dupont@gmail.com", topology: topology))
            try await eventually("first signature") { try await probe.signatureCount(petition) == 1 }

            // act: the same person in a later batch, then somebody else
            let again = UUID()
            try await publisher.publish(try signature(petition, email: "Marie.Dupont+encore@gmail.com", topology: topology, messageID: again))
            try await eventually("second message handled") { try await probe.inboxRows(again) == 1 }
            let countAfterRepeat = try await probe.signatureCount(petition)
            try await publisher.publish(try signature(petition, email: "jean.martin@orange.fr", topology: topology))
            try await eventually("third signature") { try await probe.signatureCount(petition) == 2 }

            // check
            #expect(countAfterRepeat == 1)
            #expect(try await probe.signatureRows(petition) == 2)
            #expect(try await probe.outboxRows(PetitionSignatureRecorded.messageType, petition: petition) == 2)
        }
    }

    @Test func duplicatedMessageHasOneEffect() async throws {
        // setup: the same message (same message_id) twice in the queue, then a marker for
        // another petition that is handled after both copies
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        let (petition, marker) = try await Probe.on(database) { probe in
            (try await probe.insertPetition(threshold: 1_000), try await probe.insertPetition(threshold: 1_000, title: "Marqueur"))
        }
        let copy = try signature(petition, email: "jean.martin@orange.fr", topology: topology)
        try await publishInOrder([copy, copy, try signature(marker, email: "lucie@example.fr", topology: topology)], topology: topology)
        #expect(try await BrokerAdmin.messageCount(queue: topology.commandsQueue("petitions"), settings: TestEnvironment.amqp) == 3)

        // act
        let platform = ServicePlatform.forTest(.petitions, database: database, topology: topology)
        try await withRunningServices(petitionsProcess(platform, threshold: 1_000)) {
            try await Probe.on(database) { probe in
                try await eventually("the marker recorded") { try await probe.signatureCount(marker) == 1 }

                // check
                #expect(try await probe.signatureCount(petition) == 1)
                #expect(try await probe.signatureRows(petition) == 1)
                #expect(try await probe.outboxRows(PetitionSignatureRecorded.messageType, petition: petition) == 1)
                #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.inbox WHERE message_id = \(copy.messageID)") == 1)
            }
        }
        await deleteQueues(of: topology, services: [.petitions])
    }

    @Test func redeliveryIsRecognisedByItsMessageIDNotItsContent() async throws {
        // setup: a message handled once
        try await withPetitionsService(topology: topology, threshold: 1_000) { publisher, probe in
            let petition = try await probe.insertPetition(threshold: 1_000)
            let id = UUID()
            try await publisher.publish(try signature(petition, email: "jean.martin@orange.fr", topology: topology, messageID: id))
            try await eventually("first delivery handled") { try await probe.signatureCount(petition) == 1 }

            // act: the same message id again, even with another address, then a marker
            try await publisher.publish(try signature(petition, email: "quelqu.un@example.fr", topology: topology, messageID: id))
            try await publisher.publish(try signature(petition, email: "lucie@example.fr", topology: topology))
            try await eventually("the marker recorded") { try await probe.signatureRows(petition) >= 2 }

            // check: only the first message and the marker count
            #expect(try await probe.signatureCount(petition) == 2)
            let persons = try await probe.texts("SELECT email_normalized FROM petitions.signatures WHERE petition_id = \(petition) ORDER BY 1")
            #expect(persons == ["jean.martin@orange.fr", "lucie@example.fr"])
        }
    }
}

@Suite struct SameBatchDuplicateTests {
    let topology = TestEnvironment.isolatedTopology()

    /// Two messages under one id reaching the same batch: only the first has an effect,
    /// even when their bodies differ (the inbox alone, not the e-mail rule, decides).
    @Test func copiesOfOneMessageInOneBatchHaveOneEffect() async throws {
        // setup: both copies queued before the service starts, so they arrive together
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        let petition = try await Probe.on(database) { try await $0.insertPetition(threshold: 1_000) }
        let first = try signature(petition, email: "anne@example.fr", topology: topology)
        var second = try signature(petition, email: "bruno@example.fr", topology: topology)
        second.messageID = first.messageID
        try await publishInOrder([first, second], topology: topology)
        let platform = ServicePlatform.forTest(.petitions, database: database, topology: topology)
        // act
        try await withRunningServices(petitionsProcess(platform, threshold: 1_000)) {
            try await Probe.on(database) { probe in
                try await eventually("the batch recorded") { try await probe.signatureRows(petition) >= 1 }
                // check
                #expect(try await probe.signatureRows(petition) == 1)
                #expect(try await probe.signatureCount(petition) == 1)
                #expect(try await probe.texts("SELECT email FROM petitions.signatures WHERE petition_id = \(petition)") == ["anne@example.fr"])
            }
        }
        await deleteQueues(of: topology, services: [.petitions])
    }
}
