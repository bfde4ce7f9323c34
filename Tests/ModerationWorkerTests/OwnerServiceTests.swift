import DialogueContracts
import DialogueCtl
import Foundation
import Messaging
import ModerationWorker
import PetitionsService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The petition path end to end: the petitions service and the moderation worker, each on
/// its own platform, one database and one topology, talking only through the broker.
@Suite struct OwnerServiceTests {
    let topology = TestEnvironment.isolatedTopology()

    private func withPetitionsAndModeration(_ body: @Sendable (RPCClient, AMQPPublisher, Probe) async throws -> Void) async throws {
        try await ModerationWorkerTests.withPetitionsAndModeration(topology: topology, body)
    }

    /// The moderation item of a petition, once the worker has received it.
    private func item(of petition: UUID, rpc: RPCClient, probe: Probe) async throws -> ModerationItemSummary {
        try await eventually("the petition's moderation item") {
            try await probe.int("SELECT count(*)::int8 FROM moderation.items WHERE content_id = \(petition)") == 1
        }
        let ids = try await probe.texts("SELECT id::text FROM moderation.items WHERE content_id = \(petition)")
        let id = try #require(ids.first.flatMap { $0.flatMap(UUID.init(uuidString:)) })
        // as a moderator finds it: in the queue of petitions
        let queue = try await rpc.request(ListModerationItems(contentType: .petition))
        return try #require(queue.items.first { $0.id == id })
    }

    private func petitionState(_ petition: UUID, probe: Probe) async throws -> String? {
        try await probe.texts("SELECT status || '/' || visible::text FROM petitions.petitions WHERE id = \(petition)").first ?? nil
    }

    private func sign(_ petition: UUID, email: String, messageID: UUID = UUID(), commands: AMQPPublisher) async throws {
        try await commands.publish(try OutgoingMessage(
            command: SignPetition(petitionID: petition, name: "Camille Martin", email: email, postcode: "80000", signedAt: Date(), confirmedAccountID: UUID()),
            topology: topology, messageID: messageID
        ))
    }

    @Test func publishedDecisionOpensThePetitionInItsOwnerService() async throws {
        try await withPetitionsAndModeration { rpc, commands, probe in
            // setup: a citizen deposits a petition
            let author = UUID()
            let petition = try await rpc.request(CreatePetition(
                title: "Des bus le dimanche dans le bassin minier", text: Samples.original, reasons: "Sans bus le dimanche, les habitants sans voiture restent chez eux.", authorAccountID: author, authorName: "Jeanne Dubois"
            ))
            #expect(petition.status == .inModeration)
            #expect(petition.visible == false)

            // the worker receives it, with what moderators need
            let item = try await item(of: petition.id, rpc: rpc, probe: probe)
            let detail = try await rpc.request(GetModerationItem(itemID: item.id))
            #expect(detail.summary.title == "Des bus le dimanche dans le bassin minier")
            #expect(detail.summary.authorName == "Jeanne Dubois")
            #expect(detail.authorAccountID == author)
            // Moderation reviews what is asked and why.
            #expect(detail.text == "\(Samples.original)\n\nPourquoi :\nSans bus le dimanche, les habitants sans voiture restent chez eux.")
            #expect(detail.publicPath == "/petitions/\(petition.id.uuidString.lowercased())")
            #expect(detail.summary.visible == false)
            // its first (automatic) decision reaches the petition, which stays closed
            try await eventually("the automatic decision applied") {
                try await probe.int("SELECT moderation_revision::int8 FROM petitions.petitions WHERE id = \(petition.id)") == 1
            }
            #expect(try await petitionState(petition.id, probe: probe) == "in_moderation/false")

            // a signature in moderation is refused
            let early = UUID()
            try await sign(petition.id, email: "trop.tot@example.fr", messageID: early, commands: commands)
            let deadQueue = topology.deadLetterQueue(of: topology.commandsQueue("petitions"))
            try await eventually("the early signature refused") {
                try await BrokerAdmin.messageCount(queue: deadQueue, settings: TestEnvironment.amqp) == 1
            }
            let refused = try await BrokerAdmin.peek(queue: deadQueue, limit: 1, settings: TestEnvironment.amqp)
            #expect(refused.first?.messageID == early.uuidString.lowercased())
            #expect(refused.first?.headers["dialogue-dead-letter-reason"]?.stringValue?.contains("is hidden") == true)
            #expect(try await probe.signatureRows(petition.id) == 0)

            // act: a moderator publishes it
            let outcome = try await rpc.request(DecideModeration(
                items: [ModerationItemRevision(itemID: item.id, revision: item.revision)], status: .published, reasonCode: nil,
                comment: nil, moderatorID: ModerationHarness.moderator.id, moderatorName: ModerationHarness.moderator.name
            ))
            #expect(outcome.decided == [item.id])

            // check: open and visible in the petitions service, and it takes signatures
            try await eventually("the petition opened") { try await petitionState(petition.id, probe: probe) == "open/true" }
            let opened = try await rpc.request(GetPetition(petitionID: petition.id))
            #expect(opened.status == .open)
            #expect(opened.visible)
            #expect(try await probe.texts("SELECT moderation_status FROM petitions.petitions WHERE id = \(petition.id)") == ["published"])
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.petitions WHERE id = \(petition.id) AND opened_at IS NOT NULL") == 1)
            try await sign(petition.id, email: "camille.martin@example.fr", commands: commands)
            try await eventually("the signature counted") { try await probe.signatureCount(petition.id) == 1 }
        }
    }

    @Test func rejectedPetitionStaysClosedWithItsReasonUntilTheRejectionIsReversed() async throws {
        try await withPetitionsAndModeration { rpc, commands, probe in
            // setup
            let petition = try await rpc.request(CreatePetition(
                title: "Le car scolaire de Noyon", text: Samples.personalData, reasons: "Les habitants attendent une réponse depuis des années.", authorName: "Jeanne Dubois"
            ))
            let item = try await item(of: petition.id, rpc: rpc, probe: probe)
            let detail = try await rpc.request(GetModerationItem(itemID: item.id))
            #expect(detail.findings.contains { $0.rule == "personal_data.phone" })

            // act
            let outcome = try await rpc.request(DecideModeration(
                items: [ModerationItemRevision(itemID: item.id, revision: item.revision)], status: .rejected,
                reasonCode: "donnees_personnelles", comment: nil, moderatorID: ModerationHarness.moderator.id,
                moderatorName: ModerationHarness.moderator.name
            ))
            #expect(outcome.decided == [item.id])

            // check
            try await eventually("the rejection applied") { try await petitionState(petition.id, probe: probe) == "rejected/false" }
            let reason = try await probe.texts("SELECT moderation_reason FROM petitions.petitions WHERE id = \(petition.id)")
            #expect(reason == ["Le texte contient des données personnelles (adresse, téléphone, courriel…)."])
            #expect(try await rpc.request(GetPetition(petitionID: petition.id)).status == .rejected)
            try await sign(petition.id, email: "camille.martin@example.fr", commands: commands)
            try await eventually("the signature refused") {
                try await BrokerAdmin.messageCount(
                    queue: topology.deadLetterQueue(of: topology.commandsQueue("petitions")), settings: TestEnvironment.amqp
                ) == 1
            }
            #expect(try await probe.signatureRows(petition.id) == 0)

            // act: the author removes the phone number; a moderator reverses the rejection
            let rejected = try await rpc.request(GetModerationItem(itemID: item.id)).summary
            _ = try await rpc.request(DecideModeration(
                items: [ModerationItemRevision(itemID: item.id, revision: rejected.revision)], status: .published, reasonCode: nil,
                comment: "Numéro retiré par l'auteure.", moderatorID: ModerationHarness.otherModerator.id,
                moderatorName: ModerationHarness.otherModerator.name
            ))

            // check: the petition opens and takes signatures
            try await eventually("the petition opened") { try await petitionState(petition.id, probe: probe) == "open/true" }
            try await sign(petition.id, email: "jean.martin@example.fr", commands: commands)
            try await eventually("the signature counted") { try await probe.signatureCount(petition.id) == 1 }
        }
    }
}
