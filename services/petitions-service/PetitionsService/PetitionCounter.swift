import DialogueContracts
import Foundation
import Logging
import PostgresNIO
import Storage

/// Adds signatures to a petition's count, online or on paper, and records the crossing of
/// its threshold once: the returned event is queued by the caller in the same transaction.
/// Intermediate milestones passed on the way are queued here, once each.
enum PetitionCounter {
    static func add(_ count: Int, to petitionID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> PetitionThresholdReached? {
        let updated = try await connection.query(
            """
            UPDATE petitions SET signature_count = signature_count + \(count)
            WHERE id = \(petitionID) RETURNING signature_count, threshold, title, author_account_id
            """,
            logger: logger
        )
        for try await (total, threshold, title, author) in updated.decode((Int, Int, String, UUID?).self) {
            try await recordMilestones(of: petitionID, title: title, total: total, threshold: threshold, author: author, on: connection, logger: logger)
            guard total >= threshold else { return nil }
            let crossing = try await connection.query(
                """
                INSERT INTO threshold_crossings (petition_id, threshold, signature_count)
                VALUES (\(petitionID), \(threshold), \(total))
                ON CONFLICT (petition_id, threshold) DO NOTHING
                RETURNING crossed_at
                """,
                logger: logger
            )
            for try await crossedAt in crossing.decode(Date.self) {
                try await connection.query(
                    "UPDATE petitions SET status = \(PetitionStatus.thresholdReached) WHERE id = \(petitionID) AND status = \(PetitionStatus.open)",
                    logger: logger
                )
                return PetitionThresholdReached(
                    petitionID: petitionID, title: title, threshold: threshold, signatureCount: total, reachedAt: crossedAt, authorAccountID: author
                )
            }
        }
        return nil
    }

    /// Each milestone (a percentage of the threshold, from the settings) the count has
    /// reached, recorded and announced once per petition.
    private static func recordMilestones(
        of petitionID: UUID, title: String, total: Int, threshold: Int, author: UUID?, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let rows = try await connection.query(
            """
            INSERT INTO milestone_crossings (petition_id, percent, signature_count)
            SELECT \(petitionID), percent, \(total)
            FROM unnest(coalesce((SELECT milestones FROM settings), '{50}'::int[])) AS percent
            WHERE percent > 0 AND percent < 100 AND \(total) * 100 >= percent * \(threshold)
            ON CONFLICT (petition_id, percent) DO NOTHING
            RETURNING percent
            """,
            logger: logger
        )
        var reached: [PetitionMilestoneReached] = []
        for try await percent in rows.decode(Int.self) {
            reached.append(PetitionMilestoneReached(
                petitionID: petitionID, title: title, percent: percent, signatureCount: total, threshold: threshold, authorAccountID: author
            ))
        }
        try await Outbox.enqueue(all: reached, on: connection, logger: logger)
    }
}
