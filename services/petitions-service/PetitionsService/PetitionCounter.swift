import DialogueContracts
import Foundation
import Logging
import PostgresNIO

/// Adds signatures to a petition's count, online or on paper, and records the crossing of
/// its threshold once: the returned event is queued by the caller in the same transaction.
enum PetitionCounter {
    static func add(_ count: Int, to petitionID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> PetitionThresholdReached? {
        let updated = try await connection.query(
            """
            UPDATE petitions SET signature_count = signature_count + \(count)
            WHERE id = \(petitionID) RETURNING signature_count, threshold, title
            """,
            logger: logger
        )
        for try await (total, threshold, title) in updated.decode((Int, Int, String).self) where total >= threshold {
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
                return PetitionThresholdReached(petitionID: petitionID, title: title, threshold: threshold, signatureCount: total, reachedAt: crossedAt)
            }
        }
        return nil
    }
}
