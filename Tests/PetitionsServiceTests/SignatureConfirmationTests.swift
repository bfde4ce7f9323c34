import DialogueContracts
import Foundation
import Messaging
import NotificationWorker
import PetitionsService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Signatures without an account: stored pending, counted once the mailed link's button is
/// pressed; links that are reused, expired or made up confirm nothing; a link already mailed stays
/// valid when the person signs again.
@Suite struct SignatureConfirmationTests {
    let topology = TestEnvironment.isolatedTopology()

    /// The running service with a publisher, a probe and its confirmation reads.
    private func withService(
        threshold: Int = 1_000, _ body: @Sendable (AMQPPublisher, Probe, SignatureConfirmations) async throws -> Void
    ) async throws {
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        try await migrate(.notifications, directory: NotificationWorker.migrationsDirectory, on: database)
        let platform = ServicePlatform.forTest(.petitions, database: database, topology: topology)
        // The worker mails the links: the tests read them where a person would.
        let notifications = ServicePlatform.forTest(.notifications, database: database, topology: topology)
        let publisher = commandPublisher(topology)
        try await withRunningServices(petitionsProcess(platform, threshold: threshold) + (try notificationsProcess(notifications)) + [publisher]) {
            try await waitUntilReady([platform, notifications], [{ publisher.isConnected }])
            try await Probe.on(database) { probe in
                try await body(publisher, probe, SignatureConfirmations(client: platform.database, logger: TestEnvironment.logger))
            }
        }
        await deleteQueues(of: topology, services: [.petitions, .notifications])
    }

    @Test func aVisitorsSignatureCountsOnlyOnceConfirmedAndTheLinkWorksOnce() async throws {
        try await withService { publisher, probe, confirmations in
            let petition = try await probe.insertPetition(threshold: 2)
            try await publisher.publish(try signature(petition, name: "Léa Fontaine", email: "Lea.Fontaine@gmail.com", topology: topology, confirmed: false))
            let token = try await probe.signatureToken(to: "Lea.Fontaine@gmail.com")

            // stored, not counted, the link's secret kept only as a hash
            #expect(try await probe.signatureRows(petition) == 1)
            #expect(try await probe.signatureCount(petition) == 0)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.signatures WHERE confirmation_hash = sha256(convert_to(\(token), 'UTF8'))") == 1)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.signatures WHERE position(\(token) in name || email || postcode) > 0") == 0)
            #expect(try await probe.outboxRows(PetitionSignatureRecorded.messageType, petition: petition) == 0)
            #expect(try await confirmations.inspect(token) == SignatureTokenStatus(state: .pending, petitionID: petition, title: "Plus de TER entre Lille et Amiens"))

            // act: the button, pressed twice
            try await publisher.publish(try confirmation(token, topology: topology))
            try await eventually("the signature counted") { try await probe.signatureCount(petition) == 1 }
            try await publisher.publish(try confirmation(token, topology: topology))
            try await eventually("the second press handled") {
                try await probe.int("SELECT count(*)::int8 FROM petitions.inbox WHERE message_type = 'petition.signature.confirm'") == 2
            }

            // check
            #expect(try await probe.signatureCount(petition) == 1)
            #expect(try await probe.outboxRows(PetitionSignatureRecorded.messageType, petition: petition) == 1)
            #expect(try await confirmations.inspect(token).state == .confirmed)
            #expect(try await confirmations.inspect(String(token.reversed())).state == .unknown)
            #expect(try await confirmations.inspect("").state == .unknown)
        }
    }

    @Test func anExpiredLinkConfirmsNothingAndItsSignatureIsRemovedLater() async throws {
        try await withService { publisher, probe, confirmations in
            let petition = try await probe.insertPetition(threshold: 10)
            try await publisher.publish(try signature(petition, email: "hugo@exemple.fr", topology: topology, confirmed: false))
            let token = try await probe.signatureToken(to: "hugo@exemple.fr")
            try await probe.execute("UPDATE petitions.signatures SET confirmation_expires_at = now() - interval '1 hour'")
            #expect(try await confirmations.inspect(token).state == .expired)

            try await publisher.publish(try confirmation(token, topology: topology))
            try await eventually("the press handled") {
                try await probe.int("SELECT count(*)::int8 FROM petitions.inbox WHERE message_type = 'petition.signature.confirm'") == 1
            }
            #expect(try await probe.signatureCount(petition) == 0)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.signatures WHERE confirmed_at IS NOT NULL") == 0)

            // a day after expiry, the pending row goes, so the person may sign again
            #expect(try await confirmations.removeExpired() == 0)
            try await probe.execute("UPDATE petitions.signatures SET confirmation_expires_at = now() - interval '25 hours'")
            #expect(try await confirmations.removeExpired() == 1)
            #expect(try await probe.signatureRows(petition) == 0)
            #expect(try await confirmations.inspect(token).state == .unknown)
        }
    }

    @Test func signingAgainKeepsTheMailedLinkValidAndKindlyAnswersAConfirmedOne() async throws {
        try await withService { publisher, probe, confirmations in
            let petition = try await probe.insertPetition(threshold: 10)
            try await publisher.publish(try signature(petition, email: "marie.dupont@gmail.com", topology: topology, confirmed: false))
            let first = try await probe.signatureToken(to: "marie.dupont@gmail.com")

            // pending, signed again with another spelling: a new link is issued, but its mail is
            // held back (one per petition and hour), so the link already mailed keeps working
            try await publisher.publish(try signature(petition, email: "Marie.Dupont+encore@gmail.com", topology: topology, confirmed: false))
            try await eventually("the second link issued") {
                try await probe.int(
                    "SELECT count(*)::int8 FROM petitions.outbox WHERE message_type = \(PetitionSignatureConfirmationRequested.messageType)"
                ) == 2
            }
            try await eventually("the second mail held back") {
                try await probe.int(
                    "SELECT count(*)::int8 FROM notifications.email_deliveries WHERE template = 'petition.signature_confirmation' AND status = 'suppressed'"
                ) == 1
            }
            #expect(try TestEnvironment.mailTexts(to: "Marie.Dupont+encore@gmail.com").isEmpty)
            #expect(try await confirmations.inspect(first).state == .pending)
            #expect(try await probe.signatureRows(petition) == 1)

            try await publisher.publish(try confirmation(first, topology: topology))
            try await eventually("the signature counted") { try await probe.signatureCount(petition) == 1 }
            #expect(try await confirmations.inspect(first).state == .confirmed)

            // confirmed, signed again: told by mail, nothing counted twice
            try await publisher.publish(try signature(petition, name: "Marie D.", email: "MARIE.DUPONT@gmail.com", topology: topology, confirmed: false))
            try await eventually("the kind answer queued") { try await probe.outboxRows(PetitionSignedAgain.messageType, petition: petition) == 1 }
            #expect(try await probe.signatureCount(petition) == 1)
            #expect(try await probe.signatureRows(petition) == 1)
            #expect(try await probe.int(
                "SELECT count(*)::int8 FROM petitions.outbox WHERE message_type = \(PetitionSignatureConfirmationRequested.messageType)"
            ) == 2)
        }
    }

    @Test func noLinkTokenStaysInTheOutboxOnceItIsPublished() async throws {
        try await withService { publisher, probe, _ in
            // setup
            let petition = try await probe.insertPetition(threshold: 10)

            // act: a visitor signs; the relay publishes the mail's event
            try await publisher.publish(try signature(petition, email: "secret@exemple.fr", topology: topology, confirmed: false))
            let token = try await probe.signatureToken(to: "secret@exemple.fr")
            try await eventually("the event published") {
                try await probe.int("SELECT count(*)::int8 FROM petitions.outbox WHERE published_at IS NULL") == 0
            }

            // check: the mail had the link; no row of the outbox holds its secret
            #expect(token.count >= 20)
            #expect(try await probe.int(
                "SELECT count(*)::int8 FROM petitions.outbox WHERE position(convert_to(\(token), 'UTF8') in body) > 0"
            ) == 0)
            #expect(try await probe.int(
                "SELECT count(*)::int8 FROM petitions.outbox WHERE message_type = \(PetitionSignatureConfirmationRequested.messageType)"
            ) == 1)
        }
    }

    @Test func aSignedInCitizenConfirmsTheirOwnPendingSignatureBySigning() async throws {
        try await withService { publisher, probe, confirmations in
            let petition = try await probe.insertPetition(threshold: 10)
            try await publisher.publish(try signature(petition, email: "sacha@exemple.fr", topology: topology, confirmed: false))
            let token = try await probe.signatureToken(to: "sacha@exemple.fr")
            try await publisher.publish(try signature(petition, email: "sacha@exemple.fr", topology: topology, confirmed: true))
            try await eventually("the signature counted") { try await probe.signatureCount(petition) == 1 }
            #expect(try await confirmations.inspect(token).state == .confirmed)
            #expect(try await probe.signatureRows(petition) == 1)
            let lookup = try await confirmations.find(FindSignature(petitionID: petition, email: "Sacha@Exemple.fr"))
            #expect(lookup.confirmed)
            #expect(lookup.signedAt != nil)
            #expect(try await confirmations.find(FindSignature(petitionID: petition, email: "personne@exemple.fr")).signedAt == nil)
        }
    }

    @Test func aLinkOfAClosedPetitionConfirmsNothing() async throws {
        try await withService { publisher, probe, confirmations in
            let petition = try await probe.insertPetition(threshold: 10)
            try await publisher.publish(try signature(petition, email: "lucie@exemple.fr", topology: topology, confirmed: false))
            let token = try await probe.signatureToken(to: "lucie@exemple.fr")
            try await probe.execute("UPDATE petitions.petitions SET status = 'closed' WHERE id = \(petition)")
            #expect(try await confirmations.inspect(token).state == .closed)
            try await publisher.publish(try confirmation(token, topology: topology))
            try await eventually("the press handled") {
                try await probe.int("SELECT count(*)::int8 FROM petitions.inbox WHERE message_type = 'petition.signature.confirm'") == 1
            }
            #expect(try await probe.signatureCount(petition) == 0)
            #expect(try await confirmations.inspect(token).state == .closed)
        }
    }

    @Test func manyPressesAndSigningsOfOnePersonAtOnceCountOnce() async throws {
        try await withService { publisher, probe, _ in
            let petition = try await probe.insertPetition(threshold: 1_000)
            try await publisher.publish(try signature(petition, email: "double@exemple.fr", topology: topology, confirmed: false))
            let token = try await probe.signatureToken(to: "double@exemple.fr")
            // The same person, from two tabs and two devices, at once.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for round in 0..<20 {
                    group.addTask {
                        try await publisher.publish(try confirmation(token, topology: topology))
                        try await publisher.publish(try signature(petition, email: round.isMultiple(of: 2) ? "double@exemple.fr" : "Double@Exemple.fr", topology: topology))
                    }
                }
                try await group.waitForAll()
            }
            try await eventually("every message handled") {
                try await probe.int("SELECT count(*)::int8 FROM petitions.inbox") == 41
            }
            #expect(try await probe.signatureCount(petition) == 1)
            #expect(try await probe.signatureRows(petition) == 1)
            #expect(try await probe.outboxRows(PetitionSignatureRecorded.messageType, petition: petition) == 1)
        }
    }
}
