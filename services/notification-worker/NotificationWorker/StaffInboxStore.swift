import DialogueContracts
import Foundation
import Logging
import PostgresNIO

/// Reads the staff inbox for the back-office (over RPC).
struct StaffInboxStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    func page(_ request: ListStaffNotifications) async throws -> StaffNotificationPage {
        let limit = min(max(request.limit, 1), 100)
        let rows = try await client.query(
            """
            SELECT id, topic, title, body, link, created_at, read_at FROM staff_notifications
            WHERE topic = ANY(\(request.topics))
              AND (\(request.unreadOnly) = false OR read_at IS NULL)
              AND (\(request.before)::uuid IS NULL
                   OR (created_at, id) < (SELECT created_at, id FROM staff_notifications WHERE id = \(request.before)))
            ORDER BY created_at DESC, id DESC
            LIMIT \(limit + 1)
            """,
            logger: logger
        )
        var items: [StaffNotificationView] = []
        for try await row in rows.decode((UUID, String, String, String, String?, Date, Date?).self) {
            items.append(StaffNotificationView(id: row.0, topic: row.1, title: row.2, body: row.3, link: row.4, createdAt: row.5, readAt: row.6))
        }
        let next = items.count > limit ? items[limit - 1] : nil
        items = Array(items.prefix(limit))
        let unread = try await client.query(
            "SELECT count(*)::int8 FROM staff_notifications WHERE topic = ANY(\(request.topics)) AND read_at IS NULL", logger: logger
        )
        var unreadCount = 0
        for try await (count,) in unread.decode((Int,).self) { unreadCount = count }
        return StaffNotificationPage(items: items, next: next?.id, unreadCount: unreadCount)
    }

    /// Marks notification `id` read if its topic is one of `topics`; others are left as they
    /// are and answered "not found", so a role cannot tell another role's notifications exist.
    func markRead(_ id: UUID, topics: [String]) async throws -> StaffNotificationView {
        let rows = try await client.query(
            """
            UPDATE staff_notifications SET read_at = coalesce(read_at, now()) WHERE id = \(id) AND topic = ANY(\(topics))
            RETURNING id, topic, title, body, link, created_at, read_at
            """,
            logger: logger
        )
        for try await row in rows.decode((UUID, String, String, String, String?, Date, Date?).self) {
            return StaffNotificationView(id: row.0, topic: row.1, title: row.2, body: row.3, link: row.4, createdAt: row.5, readAt: row.6)
        }
        throw RequestFailure(code: .notFound, message: "Cette notification n'existe pas.")
    }
}
