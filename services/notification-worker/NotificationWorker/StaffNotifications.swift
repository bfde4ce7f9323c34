import DialogueContracts
import Foundation
import Logging
import PostgresNIO

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
}
