public import DialogueContracts
public import Foundation
public import Logging
public import PostgresNIO
import Storage

/// The audit entries of staff actions, kept by the service that does the action, in its own
/// schema (`staff_audit`, a table every schema has), written in the transaction of the action:
/// an action that fails or rolls back leaves no entry, and no entry is ever missing for an
/// action that committed. Each entry is announced (`StaffActionRecorded`, through the outbox of
/// the same transaction) so that the gateway's audit page lists it with the others.
public enum StaffAudit {
    /// Records that `staffName` (account `staffID`) did `action` on the object, in `connection`'s transaction.
    public static func record(
        _ action: String, by staffID: UUID?, named staffName: String, objectType: String, objectID: String?,
        details: [String: String] = [:], service: ServiceName, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let detailsJSON = String(decoding: try JSONEncoder().encode(details), as: UTF8.self)
        let rows = try await connection.query(
            """
            INSERT INTO staff_audit (staff_id, staff_name, action, object_type, object_id, details)
            VALUES (\(staffID), \(staffName), \(action), \(objectType), \(objectID), \(detailsJSON)::jsonb)
            RETURNING id, occurred_at
            """,
            logger: logger
        )
        for try await (id, occurredAt) in rows.decode((Int, Date).self) {
            try await Outbox.enqueue(
                StaffActionRecorded(
                    service: service, entryID: id, occurredAt: occurredAt, staffID: staffID, staffName: staffName,
                    action: action, objectType: objectType, objectID: objectID, details: details
                ),
                on: connection, logger: logger
            )
        }
    }
}
