import DialogueContracts
import PostgresNIO
import Storage
import Testing
import TestSupport

/// A service touches only its own schema: its role has rights there and nowhere else.
@Suite struct SchemaIsolationTests {
    /// `insufficient_privilege`
    private let permissionDenied = "42501"

    @Test func serviceRoleCannotReadAnotherServicesTables() async throws {
        // setup: the notifications schema, made by its own role
        let database = try await TestDatabase.make()
        try await migrate(notificationsMigrations(), as: .notifications, in: database)
        try await asService(.notifications, in: database) { client in
            try await client.query(
                "INSERT INTO staff_notifications (id, topic, title, body, source_message_id) VALUES (gen_random_uuid(), 't', 't', 'b', 'm')",
                logger: TestEnvironment.logger
            )
        }
        try await asService(.petitions, in: database) { client in
            // check: a positive control first, so the refusals below are about rights, not connectivity
            try await client.query("SELECT 1", logger: TestEnvironment.logger)
            // act
            let read = await #expect(throws: PSQLError.self) {
                try await client.query("SELECT count(*) FROM notifications.staff_notifications", logger: TestEnvironment.logger)
            }
            let write = await #expect(throws: PSQLError.self) {
                try await client.query(
                    "INSERT INTO notifications.inbox (message_id, message_type) VALUES ('x', 'y')", logger: TestEnvironment.logger
                )
            }
            let create = await #expect(throws: PSQLError.self) {
                try await client.query("CREATE TABLE notifications.intruder (id int)", logger: TestEnvironment.logger)
            }
            // check
            #expect(sqlState(of: read) == permissionDenied)
            #expect(sqlState(of: write) == permissionDenied)
            #expect(sqlState(of: create) == permissionDenied)
        }
    }

    @Test func serviceRoleCannotCreateTablesInPublic() async throws {
        let database = try await TestDatabase.make()
        try await asService(.petitions, in: database) { client async throws in
            let error = await #expect(throws: PSQLError.self) {
                try await client.query("CREATE TABLE public.shared_by_everyone (id int)", logger: TestEnvironment.logger)
            }

            #expect(sqlState(of: error) == permissionDenied)
            #expect(try await tableExists("public.shared_by_everyone", on: client) == false)
        }
    }

    @Test func unqualifiedNamesResolveInTheServicesOwnSchema() async throws {
        // setup
        let database = try await TestDatabase.make()
        try await asService(.petitions, in: database) { client in
            // act
            try await client.query("CREATE TABLE scratch (id int)", logger: TestEnvironment.logger)
            // check
            #expect(try await tableExists("petitions.scratch", on: client))
            #expect(try await tableExists("public.scratch", on: client) == false)
        }
    }

    @Test func everyServiceRoleIsLockedOutOfEveryOtherSchema() async throws {
        // setup: each service creates one table in its own schema
        let database = try await TestDatabase.make()
        let services = ServiceName.allCases
        for service in services {
            try await asService(service, in: database, maximumConnections: 1) { client in
                try await client.query("CREATE TABLE secrets (id int)", logger: TestEnvironment.logger)
            }
        }
        for reader in services {
            try await asService(reader, in: database, maximumConnections: 1) { client in
                for owner in services where owner != reader {
                    // act
                    let error = await #expect(throws: PSQLError.self, "\(reader.databaseRole) read \(owner.schema).secrets") {
                        try await client.query(PostgresQuery(unsafeSQL: "SELECT * FROM \(owner.schema).secrets"), logger: TestEnvironment.logger)
                    }
                    // check
                    #expect(sqlState(of: error) == permissionDenied, "\(reader.databaseRole) on \(owner.schema)")
                }
            }
        }
    }
}
