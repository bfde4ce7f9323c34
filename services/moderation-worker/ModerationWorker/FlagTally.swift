import DialogueContracts
import Foundation
import Logging
import PostgresNIO

/// How an item's flags stand against the automatic hold. Which flag counts is written once,
/// in the `weighed_flags` view (migration 002); this reads it.
enum FlagTally {
    /// The counting flags of an item and what its policy requires for its audience.
    static func read(_ itemID: UUID, policy: ModerationPolicy, on connection: PostgresConnection, logger: Logger) async throws -> ModerationFlagTally {
        let rows = try await connection.query(
            """
            SELECT (SELECT count(*) FROM weighed_flags WHERE item_id = \(itemID) AND counts)::int8, audience
            FROM items WHERE id = \(itemID)
            """,
            logger: logger
        )
        var tally = ModerationFlagTally(counting: 0, required: policy.flagsToHold(audience: nil), audience: nil)
        for try await (counting, audience) in rows.decode((Int, Int?).self) {
            tally = ModerationFlagTally(counting: counting, required: policy.flagsToHold(audience: audience), audience: audience)
        }
        return tally
    }

    static func isIgnored(_ reporterKey: String, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query("SELECT 1 FROM ignored_flag_reporters WHERE reporter_key = \(reporterKey)", logger: logger)
        for try await _ in rows { return true }
        return false
    }
}

extension FlagReporterKind {
    /// Who flagged, from the flag's reporter (nil for a version 1 flag, whose reporter is unknown).
    init(_ reporter: FlagReporter?) {
        guard let reporter else {
            self = .unknown
            return
        }
        self = reporter.accountID == nil ? .visitor : reporter.confirmed ? .confirmedAccount : .unconfirmedAccount
    }
}
