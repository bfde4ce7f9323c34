public import DialogueContracts
public import Foundation
public import Logging
public import PostgresNIO
import ServiceKit
import Storage

/// Supports of proposals: one per person (the table's primary key decides between parallel
/// requests), withdrawn and given again; counted in slots so that a popular proposal has no
/// single row everyone's support waits on.
public struct ContributionSupports: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func support(_ request: SupportContribution, now: Date = Date()) async throws -> SupportOutcome {
        try await client.transaction(logger: logger) { connection in
            let consultationID = try await Self.checkSupportable(request.contributionID, by: request.accountID, now: now, on: connection, logger: logger)
            // A new support, or one given again after a withdrawal: any other case changes no row.
            let rows = try await connection.query(
                """
                INSERT INTO contribution_supports AS supports (contribution_id, account_id)
                VALUES (\(request.contributionID), \(request.accountID))
                ON CONFLICT (contribution_id, account_id) DO UPDATE SET withdrawn_at = NULL, supported_at = now()
                    WHERE supports.withdrawn_at IS NOT NULL
                RETURNING supported_at
                """,
                logger: logger
            )
            var changedAt: Date?
            for try await at in rows.decode(Date.self) { changedAt = at }
            let count = try await Self.count(request.contributionID, on: connection, logger: logger)
            if let changedAt {
                try await Outbox.enqueue(
                    ContributionSupported(contributionID: request.contributionID, consultationID: consultationID, supportCount: count, at: changedAt),
                    on: connection, logger: logger
                )
            }
            return SupportOutcome(contributionID: request.contributionID, supporting: true, changed: changedAt != nil, supportCount: count)
        }
    }

    /// Withdrawing a support one does not give changes nothing (and is no error).
    public func withdraw(_ request: WithdrawSupport) async throws -> SupportOutcome {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE contribution_supports SET withdrawn_at = now()
                WHERE contribution_id = \(request.contributionID) AND account_id = \(request.accountID) AND withdrawn_at IS NULL
                RETURNING withdrawn_at, (SELECT consultation_id FROM contributions WHERE id = \(request.contributionID))
                """,
                logger: logger
            )
            var changed: (at: Date, consultation: UUID)?
            for try await (at, consultation) in rows.decode((Date, UUID).self) { changed = (at, consultation) }
            let count = try await Self.count(request.contributionID, on: connection, logger: logger)
            if let changed {
                try await Outbox.enqueue(
                    ContributionSupportWithdrawn(
                        contributionID: request.contributionID, consultationID: changed.consultation, supportCount: count, at: changed.at
                    ),
                    on: connection, logger: logger
                )
            }
            return SupportOutcome(contributionID: request.contributionID, supporting: false, changed: changed != nil, supportCount: count)
        }
    }

    /// The proposal's consultation, when `account` may support it: a published proposal, not
    /// withdrawn, not theirs, of an open consultation.
    static func checkSupportable(
        _ contributionID: UUID, by account: UUID, now: Date, on connection: PostgresConnection, logger: Logger
    ) async throws -> UUID {
        let rows = try await connection.query(
            """
            SELECT c.consultation_id, c.kind, c.visible, c.withdrawn_at IS NOT NULL, c.author_account_id, k.definition::text
            FROM contributions c JOIN consultations k ON k.id = c.consultation_id
            WHERE c.id = \(contributionID)
            """,
            logger: logger
        )
        for try await (consultationID, kind, visible, withdrawn, author, document) in rows.decode((UUID, String, Bool, Bool, UUID?, String).self) {
            guard visible else { break }
            guard kind == ContributionKind.proposal.rawValue else {
                throw RequestFailure(code: .invalid, message: "Seules les propositions se soutiennent.", field: "contribution")
            }
            guard !withdrawn else {
                throw RequestFailure(code: .conflict, message: "Son auteur a retiré cette proposition : elle ne peut plus être soutenue.")
            }
            guard author != account else {
                throw RequestFailure(code: .conflict, message: "Vous ne pouvez pas soutenir votre propre proposition.")
            }
            let definition = try MessageCoding.decode(ConsultationDefinition.self, from: Array(document.utf8))
            guard definition.status(at: now) == .open else {
                throw RequestFailure(code: .conflict, message: "Cette consultation est close : ses propositions ne peuvent plus être soutenues.")
            }
            return consultationID
        }
        throw RequestFailure(code: .notFound, message: "Cette contribution n'existe pas.")
    }

    static func count(_ contributionID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(
            "SELECT coalesce(sum(supports), 0)::integer FROM contribution_support_counts WHERE contribution_id = \(contributionID)", logger: logger
        )
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
