import DialogueContracts
import Foundation
import Messaging
import NotificationWorker
import PetitionsService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Signatures over a rate limit are held for review: stored, never counted nor crossing a
/// threshold while held, released (counted once, once their address is confirmed) or
/// invalidated in bulk by source; their signatories are told nothing.
@Suite struct HeldSignatureTests {
    let topology = TestEnvironment.isolatedTopology()

    private func withService(
        threshold: Int = 1_000, _ body: @Sendable (AMQPPublisher, Probe, FraudControls, SignatureConfirmations) async throws -> Void
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
                try await body(
                    publisher, probe, FraudControls(client: platform.database, logger: TestEnvironment.logger),
                    SignatureConfirmations(client: platform.database, logger: TestEnvironment.logger)
                )
            }
        }
        await deleteQueues(of: topology, services: [.petitions, .notifications])
    }

    /// A signature as the gateway sends it: held when `hold` is given; a visitor's (confirmed
    /// by mail) unless `account` is true.
    private func sign(
        _ petition: UUID, _ email: String, from address: String?, hold: SignatureHold? = nil, account: Bool = false
    ) throws -> OutgoingMessage {
        try OutgoingMessage(
            command: SignPetition(
                petitionID: petition, name: "Camille Martin", email: email, postcode: "80000", signedAt: Date(),
                clientAddress: address, confirmedAccountID: account ? UUID() : nil, hold: hold
            ),
            topology: topology, messageID: UUID()
        )
    }

    private static let burst = SignatureHold(rule: "signature-burst", agent: .browser)
    private static let campus = HeldSignatureSource(network: "198.51.100.0/24", agent: .browser)

    private func review(
        _ fraud: FraudControls, _ petition: UUID, _ source: HeldSignatureSource, _ decision: ReviewHeldSignatures.Decision, reason: String = ""
    ) async throws -> HeldSignatureReview {
        try await fraud.review(ReviewHeldSignatures(
            petitionID: petition, source: source, decision: decision, reason: reason, staffID: UUID(), staffName: "Claire Moreau"
        ))
    }

    @Test func signaturesBeyondTheLimitAreAllStoredTheHeldOnesUncountedEvenConfirmed() async throws {
        try await withService { publisher, probe, fraud, confirmations in
            // setup: a campus behind one address; the gateway held all but the first three
            let petition = try await probe.insertPetition(threshold: 100)
            let emails = (0..<8).map { "etudiant\($0)-\(UUID().uuidString.prefix(6))@univ.example" }
            for (index, email) in emails.enumerated() {
                try await publisher.publish(try sign(petition, email, from: "198.51.100.23", hold: index < 3 ? nil : Self.burst))
            }
            try await eventually("all stored") { try await probe.signatureRows(petition) == 8 }

            // act: every signatory confirms, as anyone would
            for email in emails {
                try await publisher.publish(try confirmation(try await probe.signatureToken(to: email), topology: topology))
            }
            try await eventually("the unheld counted") { try await probe.signatureCount(petition) == 3 }
            try await eventually("the held ones' addresses noted confirmed") {
                try await probe.int("SELECT count(held_confirmed_at)::int8 FROM petitions.signatures WHERE petition_id = \(petition)") == 5
            }

            // check: held, not counted, with their source; each was mailed a link as anyone
            #expect(try await probe.signatureCount(petition) == 3)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.signatures WHERE held_at IS NOT NULL AND confirmed_at IS NULL") == 5)
            #expect(try await probe.outboxRows(PetitionSignatureRecorded.messageType, petition: petition) == 3)
            for email in emails { #expect(try TestEnvironment.mails(to: email).count == 1, "\(email)") }
            #expect(try await probe.int("SELECT coalesce(sum(signatures), 0)::int8 FROM petitions.signature_counts WHERE petition_id = \(petition)") == 3)
            #expect(try await probe.texts(
                "SELECT DISTINCT held_network::text || ' ' || held_agent || ' ' || held_rule FROM petitions.signatures WHERE held_at IS NOT NULL"
            ) == ["198.51.100.0/24 browser signature-burst"])
            // the signatory's link reads as confirmed, like anyone's
            let held = try await confirmations.inspect(try await probe.signatureToken(to: emails[7]))
            #expect(held.state == .confirmed)
            #expect(try await confirmations.find(FindSignature(petitionID: petition, email: emails[7])).confirmed)
            // the expired-link clean-up keeps a held signature whose address is confirmed
            try await probe.execute("UPDATE petitions.signatures SET confirmation_expires_at = now() - interval '3 days' WHERE petition_id = \(petition)")
            try await confirmations.removeExpired()
            #expect(try await probe.signatureRows(petition) == 8)

            // the fraud page lists them by source
            let overview = try await fraud.overview(petition)
            #expect(overview.held.count == 1)
            #expect(overview.held.first?.source == Self.campus)
            #expect(overview.held.first?.signatures == 5)
            #expect(overview.held.first?.confirmed == 5)
            #expect(overview.held.first?.rules == ["signature-burst"])
            #expect(overview.pending == 0)
        }
    }

    @Test func aReleaseCountsEachHeldSignatureOnceAndLaterConfirmationsToo() async throws {
        try await withService { publisher, probe, fraud, _ in
            let petition = try await probe.insertPetition(threshold: 100)
            // two held signed-in citizens (address confirmed), one held visitor yet to confirm
            try await publisher.publish(try sign(petition, "a@univ.example", from: "198.51.100.1", hold: Self.burst, account: true))
            try await publisher.publish(try sign(petition, "b@univ.example", from: "198.51.100.2", hold: Self.burst, account: true))
            try await publisher.publish(try sign(petition, "c@univ.example", from: "198.51.100.3", hold: Self.burst))
            try await eventually("stored") { try await probe.signatureRows(petition) == 3 }
            #expect(try await probe.signatureCount(petition) == 0)

            // act
            let released = try await review(fraud, petition, Self.campus, .release)

            // check: the two confirmed count now, once; the third counts once confirmed
            #expect(released.signatures == 3)
            #expect(released.counted == 2)
            #expect(try await probe.signatureCount(petition) == 2)
            #expect(try await probe.outboxRows(PetitionSignatureRecorded.messageType, petition: petition) == 2)
            #expect(try await review(fraud, petition, Self.campus, .release).signatures == 0)
            #expect(try await probe.signatureCount(petition) == 2)
            let token = try await probe.signatureToken(to: "c@univ.example")
            try await publisher.publish(try confirmation(token, topology: topology))
            try await eventually("the third counted") { try await probe.signatureCount(petition) == 3 }
            try await publisher.publish(try confirmation(token, topology: topology))
            // a second press of the same link and a signature again change nothing
            try await publisher.publish(try sign(petition, "a@univ.example", from: "198.51.100.1", account: true))
            try await eventually("both handled") {
                try await probe.int("SELECT count(*)::int8 FROM petitions.inbox") == 6
            }
            #expect(try await probe.signatureCount(petition) == 3)
            #expect(try await probe.int("SELECT coalesce(sum(signatures), 0)::int8 FROM petitions.signature_counts WHERE petition_id = \(petition)") == 3)
            let overview = try await fraud.overview(petition)
            #expect(overview.held.isEmpty)
            // the second release found nothing: one decision recorded
            #expect(overview.heldReviews.map(\.decision) == [.release])
            #expect(overview.heldReviews.first?.signatures == 3)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.held_reviews WHERE petition_id = \(petition)") == 1)
        }
    }

    @Test func anInvalidationRemovesHeldSignaturesOfOneSourceOnlyForGood() async throws {
        try await withService { publisher, probe, fraud, _ in
            let petition = try await probe.insertPetition(threshold: 100)
            let script = SignatureHold(rule: "signature-sustained", agent: .script)
            for person in 0..<4 {
                try await publisher.publish(try sign(petition, "robot\(person)@jetable.example", from: "203.0.113.9", hold: script, account: true))
            }
            for person in 0..<2 {
                try await publisher.publish(try sign(petition, "etudiant\(person)@univ.example", from: "198.51.100.\(person)", hold: Self.burst, account: true))
            }
            try await publisher.publish(try sign(petition, "inconnu@univ.example", from: nil, hold: Self.burst, account: true))
            try await eventually("stored") { try await probe.signatureRows(petition) == 7 }
            let robots = HeldSignatureSource(network: "203.0.113.0/24", agent: .script)
            let before = try await fraud.overview(petition)
            #expect(Set(before.held.map(\.source)) == [robots, Self.campus, HeldSignatureSource(network: nil, agent: .browser)])
            #expect(before.held.first?.source == robots)  // most first

            // a reason is required to invalidate; a bad network is refused by name
            await #expect(throws: RequestFailure.self) { try await review(fraud, petition, robots, .invalidate, reason: " ") }
            let badNetwork = await #expect(throws: RequestFailure.self) {
                try await review(fraud, petition, HeldSignatureSource(network: "pas un réseau", agent: .script), .invalidate, reason: "Robot évident")
            }
            #expect(badNetwork?.field == "network")

            // act
            let invalidated = try await review(fraud, petition, robots, .invalidate, reason: "Robot : même logiciel, même réseau")

            // check: only that source, for good; the others stay held, then the unknown address's one is released alone
            #expect(invalidated.signatures == 4)
            #expect(invalidated.counted == 0)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.signatures WHERE invalidated_at IS NOT NULL") == 4)
            #expect(try await review(fraud, petition, robots, .release).signatures == 0)
            #expect(try await probe.signatureCount(petition) == 0)
            let after = try await fraud.overview(petition)
            #expect(Set(after.held.map(\.source)) == [Self.campus, HeldSignatureSource(network: nil, agent: .browser)])
            #expect(after.heldReviews.first?.reason == "Robot : même logiciel, même réseau")
            #expect(try await review(fraud, petition, HeldSignatureSource(network: nil, agent: .browser), .release).counted == 1)
            #expect(try await probe.signatureCount(petition) == 1)
            #expect(try await fraud.overview(petition).held.map(\.source) == [Self.campus])
        }
    }

    @Test func aHeldSignatureNeverCrossesTheThresholdItsReleaseDoesOnce() async throws {
        try await withService { publisher, probe, fraud, _ in
            let petition = try await probe.insertPetition(threshold: 3)
            try await publisher.publish(try sign(petition, "une@exemple.fr", from: "203.0.113.1", account: true))
            try await publisher.publish(try sign(petition, "deux@exemple.fr", from: "203.0.113.2", account: true))
            for person in 0..<5 {
                try await publisher.publish(try sign(petition, "campus\(person)@univ.example", from: "198.51.100.4", hold: Self.burst, account: true))
            }
            try await eventually("stored") { try await probe.signatureRows(petition) == 7 }
            #expect(try await probe.signatureCount(petition) == 2)
            #expect(try await probe.outboxRows(PetitionThresholdReached.messageType, petition: petition) == 0)
            #expect(try await probe.texts("SELECT status FROM petitions.petitions WHERE id = \(petition)") == ["open"])

            _ = try await review(fraud, petition, Self.campus, .release)

            #expect(try await probe.signatureCount(petition) == 7)
            #expect(try await probe.outboxRows(PetitionThresholdReached.messageType, petition: petition) == 1)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.threshold_crossings WHERE petition_id = \(petition)") == 1)
            #expect(try await probe.texts("SELECT status FROM petitions.petitions WHERE id = \(petition)") == ["threshold_reached"])
        }
    }
}
