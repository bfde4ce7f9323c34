import DialogueContracts
import Foundation
import Logging
import PostgresNIO

/// Reads the delivery log for the back-office.
struct DeliveryLog: Sendable {
    let client: PostgresClient
    let logger: Logger

    func search(_ request: SearchDeliveries) async throws -> DeliveryLogPage {
        let limit = min(max(request.limit, 1), 100)
        let key = request.address.map { EmailAddress.normalized($0.trimmingCharacters(in: .whitespaces)) }.flatMap { $0.isEmpty ? nil : $0 }
        if let status = request.status, !["pending", "sending", "sent", "failed", "suppressed"].contains(status) {
            throw RequestFailure(code: .invalid, message: "État inconnu.", field: "status")
        }
        let rows = try await client.query(
            """
            SELECT id, recipient, template, subject, status, attempts, last_smtp_code, last_error, created_at, sent_at
            FROM email_deliveries
            WHERE (\(key)::text IS NULL OR recipient_key = \(key))
              AND (\(request.status)::text IS NULL OR status = \(request.status))
              AND (\(request.before)::uuid IS NULL
                   OR (created_at, id) < (SELECT created_at, id FROM email_deliveries WHERE id = \(request.before)))
            ORDER BY created_at DESC, id DESC
            LIMIT \(limit + 1)
            """,
            logger: logger
        )
        var entries: [DeliveryLogEntry] = []
        for try await row in rows.decode((UUID, String?, String, String?, String, Int, Int?, String?, Date, Date?).self) {
            entries.append(DeliveryLogEntry(
                id: row.0, recipient: row.1, template: row.2, subject: row.3, status: row.4, attempts: row.5, lastSMTPCode: row.6,
                lastError: row.7, createdAt: row.8, sentAt: row.9
            ))
        }
        let next = entries.count > limit ? entries[limit - 1].id : nil
        return DeliveryLogPage(entries: Array(entries.prefix(limit)), next: next)
    }
}
