public import DialogueContracts
public import Foundation
public import Messaging
import PostgresNIO

/// Publishes moderation's decision on a petition through the events exchange, as the
/// moderation worker's outbox relay would, for tests about what comes after moderation
/// (signatures, thresholds) that do not run the worker itself.
public func publishPetitionDecision(
    _ petition: UUID, status: ModerationStatus = .published, visible: Bool? = nil, revision: Int = 1,
    reasonLabel: String? = nil, rule: String? = nil, topology: MessagingTopology
) async throws {
    let decision = ModerationDecisionMade(
        itemID: UUID(), contentType: .petition, contentID: petition, ownerService: .petitions, status: status,
        visible: visible ?? status.isVisible, reasonCode: nil, reasonLabel: reasonLabel, comment: nil, decidedBy: rule == nil ? UUID() : nil, rule: rule,
        decidedAt: Date(), revision: revision
    )
    try await publishEvent(decision, topology: topology)
}

/// Publishes an event through the events exchange, as its producer's outbox relay would.
public func publishEvent<Event: DialogueEvent>(_ event: Event, topology: MessagingTopology) async throws {
    let publisher = AMQPPublisher(
        settings: TestEnvironment.amqp, name: "test-events", declarations: topology.exchanges, logger: TestEnvironment.logger
    )
    await publisher.connect()
    do {
        try await publisher.publish(OutgoingMessage(
            exchange: topology.eventsExchange, routingKey: Event.messageType, body: try MessageCoding.encode(event),
            type: Event.messageType, headers: ["schema-version": .int(Int64(Event.schemaVersion))]
        ))
    } catch {
        await publisher.close()
        throw error
    }
    await publisher.close()
}

extension Probe {
    /// Opens a petition created in moderation the way production does: moderation publishes
    /// it and the petitions service (which must be running) applies the decision.
    public func openThroughModeration(_ petition: UUID, topology: MessagingTopology) async throws {
        try await publishPetitionDecision(petition, topology: topology)
        try await eventually("the petition opened by moderation") {
            try await texts("SELECT status || '/' || visible::text FROM petitions.petitions WHERE id = \(petition)") == ["open/true"]
        }
    }
}
