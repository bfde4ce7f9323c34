import DialogueContracts
import Foundation
import PostgresNIO
import Storage
import Testing
import TestSupport

@Suite struct RetentionJobTests {
    @Test func deletesOnlyWhatIsPastRetention() async throws {
        // setup: outbox rows published long ago, published just now and never published; inbox rows old and new
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        try await asService(.petitions, in: database) { client in
            try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await Outbox.enqueue(all: (0..<3).map { _ in PetitionThresholdReached.sample() }, on: connection, logger: TestEnvironment.logger)
            }
            try await client.query(
                """
                UPDATE outbox SET published_at = CASE id % 3
                    WHEN 0 THEN now() - interval '8 days' WHEN 1 THEN now() ELSE NULL END
                """,
                logger: TestEnvironment.logger
            )
            try await client.query(
                """
                INSERT INTO inbox (message_id, message_type, handled_at)
                VALUES ('old', 't', now() - interval '31 days'), ('new', 't', now() - interval '29 days')
                """,
                logger: TestEnvironment.logger
            )
            let job = RetentionJob(client: client, schema: "petitions", logger: TestEnvironment.logger)
            // act
            let deleted = try await job.runOnce()
            // check
            #expect(deleted?.outbox == 1)
            #expect(deleted?.inbox == 1)
            var remaining: [Date?] = []
            for try await published in try await client.query("SELECT published_at FROM outbox", logger: TestEnvironment.logger).decode(Date?.self) {
                remaining.append(published)
            }
            #expect(remaining.count == 2)
            #expect(remaining.contains { $0 == nil }, "an unpublished row was deleted")
            var inbox: [String] = []
            for try await id in try await client.query("SELECT message_id FROM inbox", logger: TestEnvironment.logger).decode(String.self) {
                inbox.append(id)
            }
            #expect(inbox == ["new"])
        }
    }

    @Test func oneReplicaAtATimeDoesThePass() async throws {
        // setup: another replica holds the retention lock in an open transaction
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        try await asService(.petitions, in: database) { client in
            let job = RetentionJob(client: client, schema: "petitions", logger: TestEnvironment.logger)
            try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext('dialogue.retention.petitions'))", logger: TestEnvironment.logger)
                // act
                let skipped = try await job.runOnce()
                // check
                #expect(skipped == nil)
            }
        }
    }
}
