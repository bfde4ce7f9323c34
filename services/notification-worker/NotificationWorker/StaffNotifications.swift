import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// The rows of the staff in-app inbox, one per event staff must know about.
enum StaffNotifications {
    /// Records the notification of a threshold crossing; the source message id keeps it unique.
    static func record(_ event: PetitionThresholdReached, messageID: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO staff_notifications (id, topic, title, body, link, source_message_id)
            VALUES (\(UUID()), 'petition.threshold', \("Seuil atteint : « \(event.title) »"),
                    \("La pétition « \(event.title) » a atteint \(event.signatureCount) signatures (seuil de saisine : \(event.threshold))."),
                    \("/admin/petitions/\(event.petitionID.uuidString.lowercased())"), \(messageID))
            ON CONFLICT (source_message_id) DO NOTHING
            """,
            logger: logger
        )
    }

    /// Records that the moderation queue needs attention (the worker sends this once per
    /// episode, so the inbox gets one row, not one per item).
    static func record(_ event: ModerationQueueWaiting, messageID: String, on connection: PostgresConnection, logger: Logger) async throws {
        let items = event.pendingCount > 1 ? "\(event.pendingCount) contributions attendent" : "\(event.pendingCount) contribution attend"
        let body = switch event.trigger {
        case "age":
            "\(items) une décision ; la plus ancienne a été reçue le \(event.oldestSubmittedAt.map(FrenchDate.dateTime) ?? "—") (heure de Paris)."
        default:
            "\(items) une décision de modération."
        }
        try await connection.query(
            """
            INSERT INTO staff_notifications (id, topic, title, body, link, source_message_id)
            VALUES (\(UUID()), 'moderation.waiting', 'File de modération à traiter', \(body), '/admin/moderation', \(messageID))
            ON CONFLICT (source_message_id) DO NOTHING
            """,
            logger: logger
        )
    }
}
