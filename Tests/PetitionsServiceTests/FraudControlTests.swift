import DialogueContracts
import Foundation
import Messaging
import PetitionsService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Staff's fraud controls: the fastest sources, the block list, and bulk invalidation whose
/// preview says exactly what it will do.
@Suite struct FraudControlTests {
    let topology = TestEnvironment.isolatedTopology()

    private func withService(
        threshold: Int = 1_000, _ body: @Sendable (AMQPPublisher, Probe, FraudControls, PetitionPages) async throws -> Void
    ) async throws {
        let database = try await TestDatabase.make()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        let platform = ServicePlatform.forTest(.petitions, database: database, topology: topology)
        let publisher = commandPublisher(topology)
        try await withRunningServices(petitionsProcess(platform, threshold: threshold) + [publisher]) {
            try await waitUntilReady([platform], [{ publisher.isConnected }])
            try await Probe.on(database) { probe in
                try await body(
                    publisher, probe, FraudControls(client: platform.database, logger: TestEnvironment.logger),
                    PetitionPages(client: platform.database, logger: TestEnvironment.logger)
                )
            }
        }
        await deleteQueues(of: topology, services: [.petitions])
    }

    /// Signs `count` people of `domain` from `address`, counted at once.
    private func sign(_ petition: UUID, _ count: Int, domain: String, from address: String, _ publisher: AMQPPublisher) async throws {
        for person in 0..<count {
            try await publisher.publish(try signature(
                petition, email: "personne\(person)-\(UUID().uuidString.prefix(6))@\(domain)", topology: topology, clientAddress: address
            ))
        }
    }

    @Test func anInvalidationRemovesWhatItsPreviewSaidAndTheThresholdStaysReached() async throws {
        try await withService { publisher, probe, fraud, pages in
            let petition = try await probe.insertPetition(threshold: 10)
            try await sign(petition, 8, domain: "jetable.example", from: "198.51.100.7", publisher)
            try await sign(petition, 3, domain: "jetable.example", from: "198.51.100.9", publisher)
            try await sign(petition, 4, domain: "exemple.fr", from: "203.0.113.20", publisher)
            try await publisher.publish(try signature(petition, email: "en-attente@jetable.example", topology: topology, confirmed: false, clientAddress: "198.51.100.8"))
            try await eventually("all stored") { try await probe.signatureRows(petition) == 16 }
            #expect(try await probe.signatureCount(petition) == 15)
            #expect(try await probe.outboxRows(PetitionThresholdReached.messageType, petition: petition) == 1)

            // the fastest sources of the last hour
            let overview = try await fraud.overview(petition)
            #expect(overview.addresses.first == FraudOverview.Source(value: "198.51.100.7", signatures: 8, last: overview.addresses[0].last))
            #expect(overview.addresses.map(\.value) == ["198.51.100.7", "203.0.113.20", "198.51.100.9", "198.51.100.8"])
            #expect(overview.domains.map(\.value) == ["jetable.example", "exemple.fr"])
            #expect(overview.domains.map(\.signatures) == [12, 4])
            #expect(overview.lastHour == 16)
            #expect(overview.pending == 1)

            // preview, by network and domain
            let selection = SignatureSelection(petitionID: petition, clientAddress: "198.51.100.0/24", emailDomain: "jetable.example")
            let preview = try await fraud.preview(PreviewInvalidation(selection: selection))
            #expect(preview == InvalidationPreview(signatures: 12, counted: 11))
            #expect(try await probe.signatureCount(petition) == 15)  // a preview changes nothing

            // act
            let done = try await fraud.invalidate(InvalidateSignatures(
                selection: selection, reason: "Campagne d'adresses jetables depuis un même réseau", staffID: UUID(), staffName: "Claire Moreau"
            ))

            // check: exactly the preview, the count lowered, the threshold still reached
            #expect(done.signatures == preview.signatures)
            #expect(done.counted == preview.counted)
            #expect(try await probe.signatureCount(petition) == 4)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.signatures WHERE invalidated_at IS NOT NULL") == 12)
            #expect(try await probe.texts("SELECT status FROM petitions.petitions WHERE id = \(petition)") == ["threshold_reached"])
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.threshold_crossings WHERE petition_id = \(petition)") == 1)
            let after = try await fraud.overview(petition)
            #expect(after.invalidated == 12)
            #expect(after.invalidations.map(\.reason) == ["Campagne d'adresses jetables depuis un même réseau"])
            #expect(after.invalidations.first?.selection.clientAddress == "198.51.100.0/24")
            // nothing left to invalidate with the same criteria
            #expect(try await fraud.preview(PreviewInvalidation(selection: selection)) == InvalidationPreview(signatures: 0, counted: 0))

            // the page's figures follow: by département and by day, as many as counted
            let detail = try await pages.detail(petition)
            #expect(detail.byPlace.map(\.count).reduce(0, +) == 4)
            #expect(detail.byDay.map(\.count).reduce(0, +) == 4)
            #expect(detail.byPlace.first { $0.departement == "59" }?.count == 4)
            // an erasure's anonymisation leaves a signature where it counts
            try await probe.execute("UPDATE petitions.signatures SET name = 'Participant anonyme', email = '' WHERE invalidated_at IS NULL")
            #expect(try await pages.detail(petition).byPlace.map(\.count).reduce(0, +) == 4)

            // new signatures count again, and the threshold is not announced twice
            try await sign(petition, 7, domain: "exemple.fr", from: "203.0.113.21", publisher)
            try await eventually("counted again") { try await probe.signatureCount(petition) == 11 }
            #expect(try await probe.outboxRows(PetitionThresholdReached.messageType, petition: petition) == 1)
        }
    }

    @Test func invalidationByTimeWindowAndItsRefusals() async throws {
        try await withService { publisher, probe, fraud, pages in
            let petition = try await probe.insertPetition(threshold: 100)
            try await sign(petition, 5, domain: "exemple.fr", from: "203.0.113.1", publisher)
            try await eventually("stored") { try await probe.signatureRows(petition) == 5 }
            try await probe.execute("UPDATE petitions.signatures SET signed_at = now() - interval '3 hours' WHERE petition_id = \(petition) AND email LIKE 'personne0-%'")
            let window = SignatureSelection(petitionID: petition, from: Date().addingTimeInterval(-4 * 3600), until: Date().addingTimeInterval(-2 * 3600))
            #expect(try await fraud.preview(PreviewInvalidation(selection: window)) == InvalidationPreview(signatures: 1, counted: 1))

            // refusals change nothing
            let refused: [(SignatureSelection, String)] = [
                (SignatureSelection(petitionID: petition), "criteria"),
                (SignatureSelection(petitionID: petition, clientAddress: "300.1.2.3"), "ip"),
                (SignatureSelection(petitionID: petition, clientAddress: "203.0.113.0/40"), "ip"),
                (SignatureSelection(petitionID: petition, emailDomain: "pas un domaine"), "domain"),
                (SignatureSelection(petitionID: petition, from: Date(), until: Date().addingTimeInterval(-60)), "from"),
            ]
            for (selection, field) in refused {
                do {
                    _ = try await fraud.invalidate(InvalidateSignatures(selection: selection, reason: "Une raison valable", staffID: UUID(), staffName: "Claire"))
                    Issue.record("\(selection) was not refused")
                } catch let failure as RequestFailure {
                    #expect(failure.field == field)
                }
            }
            await #expect(throws: RequestFailure.self) {
                try await fraud.invalidate(InvalidateSignatures(selection: window, reason: "  ", staffID: UUID(), staffName: "Claire"))
            }
            await #expect(throws: RequestFailure.self) { try await fraud.overview(UUID()) }
            #expect(try await probe.signatureCount(petition) == 5)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.invalidations") == 0)

            let done = try await fraud.invalidate(InvalidateSignatures(selection: window, reason: "Signatures de test", staffID: UUID(), staffName: "Claire"))
            #expect(done.signatures == 1)
            #expect(try await probe.signatureCount(petition) == 4)
        }
    }

    @Test func theBlockListRefusesAddressesNetworksDomainsAndEveryoneElseSigns() async throws {
        try await withService { publisher, probe, fraud, pages in
            let petition = try await probe.insertPetition(threshold: 100)
            _ = try await fraud.block(AddToBlockList(kind: .clientAddress, value: "198.51.100.0/24", reason: "Réseau d'un robot", staffName: "Claire"))
            let single = try await fraud.block(AddToBlockList(kind: .clientAddress, value: "203.0.113.66", reason: "Robot isolé", staffName: "Claire"))
            #expect(single.value == "203.0.113.66/32")
            _ = try await fraud.block(AddToBlockList(kind: .domain, value: "Jetable.Example", reason: "Adresses jetables", staffName: "Claire"))
            let person = try await fraud.block(AddToBlockList(kind: .email, value: "Faux.Nom+1@gmail.com", reason: "Signe en boucle", staffName: "Claire"))
            #expect(person.value == "fauxnom@gmail.com")
            await #expect(throws: RequestFailure.self) {
                try await fraud.block(AddToBlockList(kind: .clientAddress, value: "pas une adresse", reason: "Une raison", staffName: "Claire"))
            }
            #expect(try await fraud.blockList().count == 4)

            for (email, address) in [
                ("a@exemple.fr", "198.51.100.3"), ("b@exemple.fr", "203.0.113.66"), ("c@jetable.example", "203.0.113.1"),
                ("faux.nom@gmail.com", "203.0.113.2"), ("d@exemple.fr", "203.0.113.67"), ("e@exemple.fr", "2001:db8::1"),
            ] {
                try await publisher.publish(try signature(petition, email: email, topology: topology, clientAddress: address))
            }
            try await eventually("every message handled") { try await probe.int("SELECT count(*)::int8 FROM petitions.inbox") == 6 }
            #expect(try await probe.texts("SELECT email FROM petitions.signatures ORDER BY email") == ["d@exemple.fr", "e@exemple.fr"])
            #expect(try await probe.signatureCount(petition) == 2)

            #expect(try await fraud.unblock(RemoveFromBlockList(kind: .domain, value: "jetable.example")).removed)
            #expect(try await fraud.unblock(RemoveFromBlockList(kind: .domain, value: "jetable.example")).removed == false)
            try await publisher.publish(try signature(petition, email: "c@jetable.example", topology: topology, clientAddress: "203.0.113.1"))
            try await eventually("signs once unblocked") { try await probe.signatureCount(petition) == 3 }
        }
    }
}
