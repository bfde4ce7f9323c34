import DialogueContracts
import Foundation
import Logging
import PostgresNIO

/// The rows of the staff in-app inbox, one per event staff must know about.
enum StaffNotifications {
    /// Records a staff topic's message; the source message id keeps it unique.
    static func record(_ message: TopicMessage, messageID: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO staff_notifications (id, topic, title, body, link, source_message_id)
            VALUES (\(UUID()), \(message.topic.rawValue), \(message.title), \(message.paragraphs.joined(separator: " ")), \(message.path),
                    \(messageID))
            ON CONFLICT (source_message_id) DO NOTHING
            """,
            logger: logger
        )
    }
}
