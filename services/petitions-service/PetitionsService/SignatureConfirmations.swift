public import DialogueContracts
import Foundation
public import Logging
public import PostgresNIO

/// The reads around confirmation links and signed-in signatories, and the removal of
/// signatures whose link expired unused (so the person may sign again).
public struct SignatureConfirmations: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// What a link stands for. The secret is looked up by its hash, never stored itself. A
    /// held signature whose address is confirmed reads as confirmed: the signatory is told
    /// nothing of the review.
    public func inspect(_ token: String) async throws -> SignatureTokenStatus {
        guard (20...100).contains(token.count) else { return SignatureTokenStatus(state: .unknown) }
        let rows = try await client.query(
            """
            WITH link AS (
                SELECT id AS signature_id, confirmation_expires_at AS expires_at FROM signatures
                WHERE confirmation_hash = sha256(convert_to(\(token), 'UTF8'))
                UNION ALL
                SELECT signature_id, expires_at FROM earlier_signature_links WHERE token_hash = sha256(convert_to(\(token), 'UTF8'))
            )
            SELECT p.id, p.title, s.confirmed_at IS NOT NULL OR s.held_confirmed_at IS NOT NULL, s.invalidated_at IS NOT NULL,
                   link.expires_at <= now(), p.visible AND p.status = ANY(\(PetitionStatus.collecting))
            FROM link JOIN signatures s ON s.id = link.signature_id JOIN petitions p ON p.id = s.petition_id
            LIMIT 1
            """,
            logger: logger
        )
        for try await (id, title, confirmed, invalidated, expired, accepting) in rows.decode((UUID, String, Bool, Bool, Bool, Bool).self) {
            let state: SignatureTokenStatus.State =
                invalidated ? .unknown : confirmed ? .confirmed : expired ? .expired : accepting ? .pending : .closed
            return SignatureTokenStatus(state: state, petitionID: id, title: title)
        }
        return SignatureTokenStatus(state: .unknown)
    }

    /// Whether this address signed the petition (whatever its spelling).
    public func find(_ request: FindSignature) async throws -> SignatureLookup {
        let rows = try await client.query(
            """
            SELECT signed_at, confirmed_at IS NOT NULL OR held_confirmed_at IS NOT NULL FROM signatures
            WHERE petition_id = \(request.petitionID) AND email_normalized = \(EmailAddress.normalized(request.email))
              AND invalidated_at IS NULL
            """,
            logger: logger
        )
        for try await (signedAt, confirmed) in rows.decode((Date, Bool).self) {
            return SignatureLookup(signedAt: signedAt, confirmed: confirmed)
        }
        return SignatureLookup(signedAt: nil, confirmed: false)
    }

    /// Deletes pending signatures a day after their link expired; returns how many. A held
    /// signature whose address was confirmed is kept for staff's review.
    @discardableResult
    public func removeExpired() async throws -> Int {
        let rows = try await client.query(
            """
            DELETE FROM signatures
            WHERE confirmed_at IS NULL AND held_confirmed_at IS NULL AND confirmation_expires_at < now() - interval '1 day'
            RETURNING id
            """,
            logger: logger
        )
        var removed = 0
        for try await _ in rows { removed += 1 }
        try await client.query("DELETE FROM earlier_signature_links WHERE expires_at < now() - interval '1 day'", logger: logger)
        if removed > 0 { logger.info("unconfirmed signatures removed after their link expired", metadata: ["count": "\(removed)"]) }
        return removed
    }
}
