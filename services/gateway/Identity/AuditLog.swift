public import DialogueContracts
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
    /// The service that recorded the entry (`gateway` for the gateway's own).
    public var recordedBy: String
}

/// The record of what staff did: written in the same transaction as the action itself. The
/// gateway records its own actions (accounts, roles, tokens, sign-ins, exports); the other
/// services record theirs in their own schema and announce them, and the gateway keeps a copy
/// (`copy(_:on:logger:)`), so that this one log lists them all.
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

    /// Keeps a copy of an entry another service recorded (once, however often it is delivered).
    /// The actor's label is their address when the account is known here, as for the gateway's own entries.
    public static func copy(_ entry: StaffActionRecorded, on connection: PostgresConnection, logger: Logger) async throws {
        let detailsJSON = String(decoding: try JSONEncoder().encode(entry.details), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO audit_log (occurred_at, actor_account_id, actor_label, action, object_type, object_id, details, recorded_by, source_entry_id)
            SELECT \(entry.occurredAt), account.id, coalesce(account.email, \(entry.staffName)), \(entry.action), \(entry.objectType),
                   \(entry.objectID), \(detailsJSON)::jsonb, \(entry.service.rawValue), \(entry.entryID)
            FROM (SELECT 1) AS one LEFT JOIN accounts AS account ON account.id = \(entry.staffID)
            ON CONFLICT (recorded_by, source_entry_id) WHERE source_entry_id IS NOT NULL DO NOTHING
            """,
            logger: logger
        )
    }

    /// Entries newest first, strictly older than `before` (an entry id) when given.
    public static func entries(before: Int?, limit: Int, client: PostgresClient, logger: Logger) async throws -> [AuditEntry] {
        let rows = try await client.query(
            """
            SELECT id, occurred_at, actor_account_id, actor_label, action, object_type, object_id, details::text, recorded_by FROM audit_log
            WHERE \(before)::int8 IS NULL OR id < \(before)
            ORDER BY id DESC LIMIT \(limit)
            """,
            logger: logger
        )
        var entries: [AuditEntry] = []
        for try await row in rows.decode((Int, Date, UUID?, String, String, String, String?, String, String).self) {
            let details = (try? JSONDecoder().decode([String: String].self, from: Data(row.7.utf8))) ?? [:]
            entries.append(AuditEntry(
                id: row.0, occurredAt: row.1, actorAccountID: row.2, actor: row.3, action: row.4, objectType: row.5, objectID: row.6,
                details: details, recordedBy: row.8
            ))
        }
        return entries
    }
}
