import DialogueContracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceKit
import Storage

/// Turns the account events into mails, exactly one per (event, recipient).
///
/// The delivery row is written before the send and marked after it. A redelivered event
/// finds the row: `sent` or `failed` → nothing more; `sending` means a worker died during
/// the send — the mail may have left, so it is not sent again (a person can ask for a new
/// link, a duplicate cannot be taken back) and the row says so.
struct EmailDeliveryHandler: Sendable {
    let client: PostgresClient
    let mailer: SMTPMailer
    let logger: Logger

    /// The mail an event asks for, or nil when this handler does not mail it.
    static func mail(for message: IncomingMessage) throws -> (template: String, mail: OutgoingMail)? {
        switch message.type {
        case AccountEmailConfirmationRequested.messageType:
            return ("account.email_confirmation", AccountMails.confirmation(try message.decode(AccountEmailConfirmationRequested.self)))
        case AccountPasswordResetRequested.messageType:
            return ("account.password_reset", AccountMails.passwordReset(try message.decode(AccountPasswordResetRequested.self)))
        default:
            return nil
        }
    }

    func deliver(_ mail: OutgoingMail, template: String, messageID: String) async -> DeliveryOutcome {
        let key = EmailAddress.normalized(mail.to)
        do {
            guard let id = try await claim(messageID: messageID, key: key, recipient: mail.to, template: template) else {
                return .ack  // already sent, failed for good, or interrupted: never twice
            }
            let result = await mailer.send(mail)
            switch result {
            case .sent:
                try await client.query(
                    "UPDATE email_deliveries SET status = 'sent', sent_at = now(), updated_at = now(), last_smtp_code = 250, last_error = NULL WHERE id = \(id)",
                    logger: logger
                )
                return .ack
            case .temporaryFailure(let code, let reason):
                try await client.query(
                    "UPDATE email_deliveries SET status = 'pending', updated_at = now(), last_smtp_code = \(code), last_error = \(reason) WHERE id = \(id)",
                    logger: logger
                )
                return .retry(reason: "SMTP temporary failure \(code.map(String.init) ?? "-"): \(reason)")
            case .permanentFailure(let code, let reason):
                try await client.query(
                    "UPDATE email_deliveries SET status = 'failed', updated_at = now(), last_smtp_code = \(code), last_error = \(reason) WHERE id = \(id)",
                    logger: logger
                )
                logger.warning("mail refused for good", metadata: ["template": .string(template), "smtp_code": .stringConvertible(code)])
                return .ack
            }
        } catch {
            return .retry(reason: String(reflecting: error))
        }
    }

    /// Writes (or finds) the delivery row and moves it to `sending`; nil when there is nothing to send.
    private func claim(messageID: String, key: String, recipient: String, template: String) async throws -> UUID? {
        try await client.transaction(logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO email_deliveries (id, source_message_id, recipient_key, recipient, template)
                VALUES (\(UUID()), \(messageID), \(key), \(recipient), \(template))
                ON CONFLICT (source_message_id, recipient_key) DO NOTHING
                """,
                logger: logger
            )
            let rows = try await connection.query(
                "SELECT id, status FROM email_deliveries WHERE source_message_id = \(messageID) AND recipient_key = \(key) FOR UPDATE",
                logger: logger
            )
            for try await (id, status) in rows.decode((UUID, String).self) {
                switch status {
                case "pending":
                    try await connection.query(
                        "UPDATE email_deliveries SET status = 'sending', attempts = attempts + 1, updated_at = now() WHERE id = \(id)",
                        logger: logger
                    )
                    return id
                case "sending":
                    try await connection.query(
                        """
                        UPDATE email_deliveries SET status = 'failed', updated_at = now(),
                            last_error = 'interrupted during the send; not sent again to avoid a duplicate'
                        WHERE id = \(id)
                        """,
                        logger: logger
                    )
                    return nil
                default:
                    return nil
                }
            }
            return nil
        }
    }

    /// `account.erased`: the delivery log keeps its counts but forgets the address.
    static func forget(_ event: AccountErased, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            UPDATE email_deliveries SET recipient = NULL, recipient_key = 'erased:' || id::text, updated_at = now()
            WHERE recipient_key = ANY(\(event.normalizedEmails))
            """,
            logger: logger
        )
    }
}
