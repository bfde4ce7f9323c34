import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Storage

/// The mails that could not be sent, for staff: listed with why, and sent again on request.
///
/// A resend sends the mail exactly as it was queued, from the body the row keeps after the
/// failure, rather than rendering it again from the event: the worker does not keep events
/// (that would keep every signatory's name and address for as long as a mail might fail),
/// and the mail as written is the one the person was meant to get (the same link, the same
/// values). The body is kept `retention` after the failure, then cleared; a mail whose link
/// expired is cleared at once, since sending it would help no one.
struct FailedDeliveries: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// How long a failed mail keeps its body, so that it can be sent again.
    static let retention: Duration = .seconds(7 * 86_400)

    func list(_ request: ListFailedDeliveries) async throws -> FailedDeliveryPage {
        let limit = min(max(request.limit, 1), 100)
        let template = request.template.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        if let template, template.count > 100 {
            throw RequestFailure(code: .invalid, message: "Type de courriel inconnu.", field: "template")
        }
        let key = request.address.map { EmailAddress.normalized($0.trimmingCharacters(in: .whitespaces)) }.flatMap { $0.isEmpty ? nil : $0 }
        let rows = try await client.query(
            """
            SELECT id, template, recipient, subject, last_error, last_smtp_code, attempts, resends,
                   coalesce(failed_at, updated_at), body_text IS NOT NULL, send_before IS NOT NULL AND send_before <= now()
            FROM email_deliveries
            WHERE status = 'failed'
              AND (\(template)::text IS NULL OR template = \(template))
              AND (\(key)::text IS NULL OR recipient_key = \(key))
              AND (\(request.before)::uuid IS NULL
                   OR (coalesce(failed_at, updated_at), id)
                      < (SELECT coalesce(failed_at, updated_at), id FROM email_deliveries WHERE id = \(request.before)))
            ORDER BY coalesce(failed_at, updated_at) DESC, id DESC
            LIMIT \(limit + 1)
            """,
            logger: logger
        )
        var entries: [FailedDelivery] = []
        for try await row in rows.decode((UUID, String, String?, String?, String?, Int?, Int, Int, Date, Bool, Bool).self) {
            let (id, template, recipient, subject, reason, code, attempts, resends, failedAt, hasBody, linkExpired) = row
            let refusal = Self.refusal(recipientKnown: recipient != nil, hasBody: hasBody, linkExpired: linkExpired)
            entries.append(FailedDelivery(
                id: id, template: template, maskedRecipient: recipient.map(Recipients.masked), subject: subject,
                reason: reason.map(Self.maskingAddresses), lastSMTPCode: code, attempts: attempts, resends: resends,
                failedAt: failedAt, resendable: refusal == nil, notResendableBecause: refusal
            ))
        }
        let next = entries.count > limit ? entries[limit - 1].id : nil
        return FailedDeliveryPage(entries: Array(entries.prefix(limit)), next: next, total: try await count(), templates: try await templates())
    }

    /// Queues a failed mail again, as a fresh round of attempts (the retry waits start over),
    /// and audits it in the same transaction.
    func resend(_ request: ResendFailedDelivery) async throws -> ResentDelivery {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE email_deliveries SET status = 'pending', attempts = 0, resends = resends + 1, next_attempt_at = now(),
                    lease_until = NULL, updated_at = now()
                WHERE id = \(request.deliveryID) AND status = 'failed' AND recipient IS NOT NULL AND body_text IS NOT NULL
                  AND (send_before IS NULL OR send_before > now())
                RETURNING template, resends
                """,
                logger: logger
            )
            var resent: (template: String, resends: Int)?
            for try await row in rows.decode((String, Int).self) { resent = row }
            guard let resent else { throw try await refusal(of: request.deliveryID, on: connection) }
            try await StaffAudit.record(
                "notification.mail_resent", by: request.staffID, named: request.staffName, objectType: "email_delivery",
                objectID: request.deliveryID.uuidString.lowercased(),
                details: ["template": resent.template, "resends": String(resent.resends)],
                service: NotificationWorker.name, on: connection, logger: logger
            )
            // Wakes the senders now rather than at their next poll.
            try await connection.query("SELECT pg_notify(current_schema() || '_mail', '')", logger: logger)
        }
        logger.notice("failed mail queued again by staff", metadata: ["delivery_id": .string(request.deliveryID.uuidString.lowercased())])
        return ResentDelivery(id: request.deliveryID, status: "pending")
    }

    /// Clears the bodies no longer worth keeping: failed longer than `retention` ago, or whose
    /// link has expired. Returns how many were cleared.
    func clearExpiredBodies() async throws -> Int {
        let rows = try await client.query(
            """
            UPDATE email_deliveries SET body_text = NULL, body_html = NULL
            WHERE status = 'failed' AND (body_text IS NOT NULL OR body_html IS NOT NULL)
              AND (failed_at < now() - make_interval(secs => \(Double(Self.retention.components.seconds))) OR send_before <= now())
            RETURNING id
            """,
            logger: logger
        )
        var cleared = 0
        for try await _ in rows { cleared += 1 }
        return cleared
    }

    /// Why a mail cannot be sent again, in French for the page; nil when it can.
    static func refusal(recipientKnown: Bool, hasBody: Bool, linkExpired: Bool) -> String? {
        if !recipientKnown { return "La personne a supprimé son compte : son adresse n'est plus connue." }
        if linkExpired { return "Le lien du courriel a expiré : la personne doit refaire sa demande." }
        if !hasBody { return "Le contenu du courriel n'est plus conservé (effacé \(retention.components.seconds / 86_400) jours après l'échec)." }
        return nil
    }

    /// An SMTP answer often quotes the address it refuses: the list shows it masked too.
    static func maskingAddresses(_ text: String) -> String {
        text.replacing(/[^\s<>"'()\[\],;:]+@[^\s<>"'()\[\],;:]+/) { match in Recipients.masked(String(match.output)) }
    }

    private func refusal(of id: UUID, on connection: PostgresConnection) async throws -> RequestFailure {
        let rows = try await connection.query(
            """
            SELECT recipient IS NOT NULL, body_text IS NOT NULL, send_before IS NOT NULL AND send_before <= now()
            FROM email_deliveries WHERE id = \(id) AND status = 'failed'
            """,
            logger: logger
        )
        for try await (recipientKnown, hasBody, linkExpired) in rows.decode((Bool, Bool, Bool).self) {
            if let reason = Self.refusal(recipientKnown: recipientKnown, hasBody: hasBody, linkExpired: linkExpired) {
                return RequestFailure(code: .conflict, message: "Ce courriel ne peut pas être renvoyé. \(reason)")
            }
        }
        return RequestFailure(code: .notFound, message: "Aucun courriel en échec ne porte cet identifiant : il a peut-être déjà été renvoyé.")
    }

    private func count() async throws -> Int {
        let rows = try await client.query("SELECT count(*)::int8 FROM email_deliveries WHERE status = 'failed'", logger: logger)
        for try await total in rows.decode(Int.self) { return total }
        return 0
    }

    private func templates() async throws -> [String] {
        let rows = try await client.query(
            "SELECT DISTINCT template FROM email_deliveries WHERE status = 'failed' ORDER BY template", logger: logger
        )
        var templates: [String] = []
        for try await template in rows.decode(String.self) { templates.append(template) }
        return templates
    }
}
