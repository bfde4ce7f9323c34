import DialogueContracts
import Foundation
public import Logging
public import Messaging
public import PostgresNIO
import ServiceKit
import Storage

/// Turns events staff must know about into rows of their in-app inbox.
public struct StaffNotificationHandler: MessageBatchHandler {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    struct StaffNotification {
        let topic: String
        let title: String
        let body: String
        let link: String?
    }

    public func handle(_ batch: [IncomingMessage], context: ConsumerContext) async -> [DeliveryOutcome] {
        var outcomes: [DeliveryOutcome] = []
        for message in batch {
            outcomes.append(await handle(message))
        }
        return outcomes
    }

    private func handle(_ message: IncomingMessage) async -> DeliveryOutcome {
        guard let messageID = message.messageID else { return .deadLetter(reason: "message without message_id") }
        let notification: StaffNotification
        do {
            notification = try Self.notification(for: message)
        } catch {
            return .deadLetter(reason: "\(error)")
        }
        do {
            try await client.withTransaction(logger: logger) { connection in
                let claimed = try await Inbox.claim([(messageID, message.type ?? "")], on: connection, logger: logger)
                guard !claimed.isEmpty else { return }
                try await connection.query(
                    """
                    INSERT INTO staff_notifications (id, topic, title, body, link, source_message_id)
                    VALUES (\(UUID()), \(notification.topic), \(notification.title), \(notification.body), \(notification.link), \(messageID))
                    """,
                    logger: logger
                )
            }
            return .ack
        } catch {
            return .retry(reason: String(reflecting: error))
        }
    }

    /// The French text staff read for an event; an event type with no text is an error.
    static func notification(for message: IncomingMessage) throws -> StaffNotification {
        switch message.type {
        case PetitionThresholdReached.messageType:
            let event = try message.decode(PetitionThresholdReached.self)
            return StaffNotification(
                topic: "petition.threshold",
                title: "Seuil atteint : « \(event.title) »",
                body: "La pétition « \(event.title) » a atteint \(event.signatureCount) signatures (seuil de saisine : \(event.threshold)).",
                link: "/admin/petitions/\(event.petitionID.uuidString.lowercased())"
            )
        default:
            throw EnvelopeError(description: "no notification for message type \(message.type ?? "none")")
        }
    }
}
