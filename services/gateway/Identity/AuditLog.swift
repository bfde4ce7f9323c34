public import Foundation
public import Logging
public import PostgresNIO

/// One line of the audit log.
public struct AuditEntry: Sendable, Encodable {
    public var id: Int
    public var occurredAt: Date
    public var actorAccountID: UUID?
    public var actor: String
    public var action: String
    public var objectType: String
    public var objectID: String?
    public var details: [String: String]
}

/// The record of what staff did: written in the same transaction as the action itself.
public enum AuditLog {
    /// `actor` nil means the platform itself (e.g. `dialoguectl`).
    public static func record(
        actor: Account?, action: String, objectType: String, objectID: String?, details: [String: String],
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        let detailsJSON = String(decoding: try JSONEncoder().encode(details), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO audit_log (actor_account_id, actor_label, action, object_type, object_id, details)
            VALUES (\(actor?.id), \(actor?.email ?? "dialoguectl"), \(action), \(objectType), \(objectID), \(detailsJSON)::jsonb)
            """,
            logger: logger
        )
    }

    /// Records an action that has no transaction of its own (a staff sign-in).
    public static func record(
        actor: Account, action: String, objectType: String, objectID: String?, details: [String: String] = [:],
        client: PostgresClient, logger: Logger
    ) async throws {
        try await client.withConnection { connection in
            try await record(actor: actor, action: action, objectType: objectType, objectID: objectID, details: details, on: connection, logger: logger)
        }
    }

    /// Entries newest first, strictly older than `before` (an entry id) when given.
    public static func entries(before: Int?, limit: Int, client: PostgresClient, logger: Logger) async throws -> [AuditEntry] {
        let rows = try await client.query(
            """
            SELECT id, occurred_at, actor_account_id, actor_label, action, object_type, object_id, details::text FROM audit_log
            WHERE \(before)::int8 IS NULL OR id < \(before)
            ORDER BY id DESC LIMIT \(limit)
            """,
            logger: logger
        )
        var entries: [AuditEntry] = []
        for try await row in rows.decode((Int, Date, UUID?, String, String, String, String?, String).self) {
            let details = (try? JSONDecoder().decode([String: String].self, from: Data(row.7.utf8))) ?? [:]
            entries.append(AuditEntry(
                id: row.0, occurredAt: row.1, actorAccountID: row.2, actor: row.3, action: row.4, objectType: row.5, objectID: row.6, details: details
            ))
        }
        return entries
    }
}
