import DialogueContracts
import PostgresNIO
import Storage
import Testing
import TestSupport

@Suite struct InboxTests {
    private func claim(_ ids: [String], on client: PostgresClient) async throws -> Set<String> {
        try await client.withTransaction(logger: TestEnvironment.logger) { connection in
            try await Inbox.claim(ids.map { ($0, "petition.sign") }, on: connection, logger: TestEnvironment.logger)
        }
    }

    @Test func sameIDIsClaimedOnlyOnce() async throws {
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        try await asService(.petitions, in: database) { client async throws in
            #expect(try await claim(["m-1"], on: client) == ["m-1"])
            #expect(try await claim(["m-1"], on: client) == [])
        }
    }

    @Test func batchWithOldAndNewIDsClaimsOnlyTheNewOnes() async throws {
        // setup
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        try await asService(.petitions, in: database) { client in
            _ = try await claim(["m-1", "m-3"], on: client)
            // act
            let claimed = try await claim(["m-1", "m-2", "m-3", "m-4"], on: client)
            // check
            #expect(claimed == ["m-2", "m-4"])
        }
    }

    @Test func idTwiceInOneBatchIsClaimedOnce() async throws {
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        try await asService(.petitions, in: database) { client async throws in
            #expect(try await claim(["m-1", "m-1", "m-2"], on: client) == ["m-1", "m-2"])
            #expect(try await claim(["m-1", "m-2"], on: client) == [])
        }
    }

    @Test func claimInARolledBackTransactionDoesNotCount() async throws {
        // setup: the handler claims, then its transaction fails
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        try await asService(.petitions, in: database) { client in
            await expectRollback(on: client) { connection in
                let claimed = try await Inbox.claim([("m-1", "petition.sign")], on: connection, logger: TestEnvironment.logger)
                #expect(claimed == ["m-1"])
            }
            // act: the redelivery
            let claimed = try await claim(["m-1"], on: client)
            // check
            #expect(claimed == ["m-1"])
        }
    }

    @Test func emptyBatchClaimsNothing() async throws {
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        try await asService(.petitions, in: database) { client async throws in
            #expect(try await claim([], on: client).isEmpty)
        }
    }

    @Test func claimsRecordTheMessageType() async throws {
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        try await asService(.petitions, in: database) { client in
            _ = try await claim(["m-1"], on: client)

            let rows = try await client.query("SELECT message_id, message_type FROM inbox", logger: TestEnvironment.logger)
            var recorded: [String: String] = [:]
            for try await (id, type) in rows.decode((String, String).self) { recorded[id] = type }
            #expect(recorded == ["m-1": "petition.sign"])
        }
    }
}
