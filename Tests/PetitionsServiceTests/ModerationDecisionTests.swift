import DialogueContracts
import Foundation
import Messaging
import PetitionsService
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// `moderation.decision_made` applied by the petitions service: publication opens a
/// petition, rejection closes it, visibility follows every decision, late ones are ignored.
@Suite struct ModerationDecisionTests {
    let topology = TestEnvironment.isolatedTopology()

    private func insertInModeration(_ probe: Probe) async throws -> UUID {
        let id = UUID()
        try await probe.execute(
            """
            INSERT INTO petitions.petitions (id, title, body, threshold, status, visible)
            VALUES (\(id), 'Des bus le dimanche', 'Nous demandons des bus le dimanche entre Lens et Liévin.', 100, 'in_moderation', false)
            """
        )
        return id
    }

    private func state(_ petition: UUID, _ probe: Probe) async throws -> String? {
        try await probe.texts(
            "SELECT status || '/' || visible::text || '/' || moderation_revision FROM petitions.petitions WHERE id = \(petition)"
        ).first ?? nil
    }

    @Test func laterDecisionsToggleVisibilityAndOlderOnesAreIgnored() async throws {
        try await withPetitionsService(topology: topology, threshold: 100) { publisher, probe in
            // setup
            let petition = try await insertInModeration(probe)

            // act: the publication (revision 2) arrives before the automatic hold (revision 1)
            try await publishPetitionDecision(petition, status: .published, revision: 2, topology: topology)
            try await eventually("published") { try await state(petition, probe) == "open/true/2" }
            try await publishPetitionDecision(petition, status: .pending, visible: false, revision: 1, topology: topology)
            try await publishPetitionDecision(petition, status: .retained, revision: 3, topology: topology)
            try await eventually("retained") { try await state(petition, probe) == "open/true/3" }

            // check: the late one changed nothing
            #expect(try await probe.texts("SELECT moderation_status FROM petitions.petitions WHERE id = \(petition)") == ["retained"])

            // act: hidden by a moderator (still open), then a signature, then shown again
            try await publishPetitionDecision(petition, status: .pending, visible: false, revision: 4, topology: topology)
            try await eventually("held") { try await state(petition, probe) == "open/false/4" }
            try await publisher.publish(try signature(petition, email: "camille@example.fr", topology: topology))
            try await eventually("the signature on a hidden petition refused") {
                try await BrokerAdmin.messageCount(
                    queue: topology.deadLetterQueue(of: topology.commandsQueue("petitions")), settings: TestEnvironment.amqp
                ) == 1
            }
            try await publishPetitionDecision(petition, status: .published, revision: 5, topology: topology)
            try await eventually("shown again") { try await state(petition, probe) == "open/true/5" }
            try await publisher.publish(try signature(petition, email: "camille@example.fr", topology: topology))

            // check
            try await eventually("the signature counted") { try await probe.signatureCount(petition) == 1 }
        }
    }

    @Test func aHoldAfterFlagsOnlyTakesThePetitionOutOfTheListsUntilAModeratorDecides() async throws {
        try await withPetitionsService(topology: topology, threshold: 100) { publisher, probe in
            // setup: an open petition
            let petition = try await insertInModeration(probe)
            try await publishPetitionDecision(petition, status: .published, revision: 2, topology: topology)
            try await eventually("published") { try await state(petition, probe) == "open/true/2" }

            // act: moderation's flags rule holds it, then someone signs
            try await publishPetitionDecision(
                petition, status: .pending, visible: false, revision: 3, rule: ModerationDecisionMade.flagsRule, topology: topology
            )
            try await eventually("held by flags") { try await state(petition, probe) == "open/true/3" }
            try await publisher.publish(try signature(petition, email: "camille@example.fr", topology: topology))

            // check: signable, out of the lists
            try await eventually("the signature counted while held") { try await probe.signatureCount(petition) == 1 }
            #expect(try await probe.texts("SELECT held_by_flags::text FROM petitions.petitions WHERE id = \(petition)") == ["true"])

            // act: a moderator rejects it
            try await publishPetitionDecision(petition, status: .rejected, revision: 4, topology: topology)

            // check: hidden for good, no longer held by flags
            try await eventually("rejected") { try await state(petition, probe) == "open/false/4" }
            #expect(try await probe.texts("SELECT held_by_flags::text FROM petitions.petitions WHERE id = \(petition)") == ["false"])
        }
    }

    @Test func rejectionClosesAPetitionInModerationAndAReversalOpensIt() async throws {
        try await withPetitionsService(topology: topology, threshold: 100) { publisher, probe in
            // setup
            let petition = try await insertInModeration(probe)

            // act
            try await publishPetitionDecision(
                petition, status: .rejected, revision: 2, reasonLabel: "Un texte très proche a déjà été déposé.", topology: topology
            )
            try await eventually("rejected") { try await state(petition, probe) == "rejected/false/2" }
            let reason = try await probe.texts("SELECT moderation_reason FROM petitions.petitions WHERE id = \(petition)")
            let openedWhileRejected = try await probe.int(
                "SELECT count(*)::int8 FROM petitions.petitions WHERE id = \(petition) AND opened_at IS NOT NULL"
            )

            // act: the moderator reverses the decision
            try await publishPetitionDecision(petition, status: .published, revision: 3, topology: topology)

            // check
            #expect(reason == ["Un texte très proche a déjà été déposé."])
            #expect(openedWhileRejected == 0)
            try await eventually("opened") { try await state(petition, probe) == "open/true/3" }
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.petitions WHERE id = \(petition) AND opened_at IS NOT NULL") == 1)
            try await publisher.publish(try signature(petition, email: "camille@example.fr", topology: topology))
            try await eventually("the signature counted") { try await probe.signatureCount(petition) == 1 }
        }
    }

    @Test func decisionsOnOtherContentAreIgnored() async throws {
        try await withPetitionsService(topology: topology, threshold: 100) { _, probe in
            // setup: a forum post that happens to share the petition's id
            let petition = try await insertInModeration(probe)
            let forumDecision = ModerationDecisionMade(
                itemID: UUID(), contentType: .forumPost, contentID: petition, ownerService: .consultations, status: .published,
                visible: true, reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: nil, rule: "post_moderation",
                decidedAt: Date(), revision: 7
            )
            let marker = try await insertInModeration(probe)

            // act
            let publisher = AMQPPublisher(settings: TestEnvironment.amqp, declarations: topology.exchanges, logger: TestEnvironment.logger)
            await publisher.connect()
            try await publisher.publish(OutgoingMessage(
                exchange: topology.eventsExchange, routingKey: ModerationDecisionMade.messageType,
                body: try MessageCoding.encode(forumDecision), type: ModerationDecisionMade.messageType
            ))
            await publisher.close()
            try await publishPetitionDecision(marker, status: .published, revision: 1, topology: topology)
            try await eventually("the marker applied") { try await state(marker, probe) == "open/true/1" }

            // check
            #expect(try await state(petition, probe) == "in_moderation/false/0")
        }
    }
}
