import DialogueContracts
import Foundation
import PostgresNIO
import Storage
import Testing
import TestSupport

@Suite struct MigratorTests {
    private let expectedNames = ["platform/001_outbox_inbox", "platform/002_staff_audit", "platform/003_outbox_secrets", "service/001_petitions", "service/002_moderation", "service/003_public_pages", "service/004_paper_signatures", "service/005_settings_and_closing", "service/006_milestones", "service/007_signature_confirmation", "service/008_deposit", "service/009_lifecycle", "service/010_fraud_controls", "service/011_signature_counts", "service/012_held_signatures", "service/013_held_by_flags", "service/014_earlier_signature_links"]

    @Test func runningTwiceAppliesEverythingOnceAndNothingTheSecondTime() async throws {
        // setup
        let database = try await TestDatabase.make()
        let migrations = try petitionsMigrations()
        try await asService(.petitions, in: database) { client in
            let migrator = Migrator(client: client, logger: TestEnvironment.logger)
            // act
            let first = try await migrator.migrate(migrations)
            let second = try await migrator.migrate(migrations)
            // check
            #expect(first == expectedNames)
            #expect(second.isEmpty)
            var tables: [String] = []
            let rows = try await client.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'petitions' ORDER BY table_name",
                logger: TestEnvironment.logger
            )
            for try await table in rows.decode(String.self) { tables.append(table) }
            #expect(tables == ["block_list", "earlier_signature_links", "held_reviews", "inbox", "invalidations", "milestone_crossings", "outbox", "paper_batches", "petitions", "schema_migrations", "settings", "signature_counts", "signatures", "staff_audit", "status_changes", "threshold_crossings"])
            var recorded: [String: Int] = [:]
            let names = try await client.query(
                "SELECT name, count(*)::int FROM petitions.schema_migrations GROUP BY name", logger: TestEnvironment.logger
            )
            for try await (name, count) in names.decode((String, Int).self) { recorded[name] = count }
            #expect(recorded == Dictionary(uniqueKeysWithValues: expectedNames.map { ($0, 1) }))
        }
    }

    @Test func aMigrationAddedLaterIsAppliedAlone() async throws {
        // setup
        let database = try await TestDatabase.make()
        let current = try petitionsMigrations()
        try await migrate(current, as: .petitions, in: database)
        var next = current
        next.migrations.append(Migration(name: "service/900_responses", sql: "ALTER TABLE petitions ADD COLUMN response text;"))
        let migrations = next
        try await asService(.petitions, in: database) { client in
            // act
            let applied = try await Migrator(client: client, logger: TestEnvironment.logger).migrate(migrations)
            // check
            #expect(applied == ["service/900_responses"])
            try await client.query("SELECT response FROM petitions.petitions", logger: TestEnvironment.logger)
        }
    }

    /// The migration's own transaction must not hide the error: `ServiceRunner` gives up at
    /// once on a `StorageError` ("a migration that fails will fail again") and retries anything
    /// else for a minute, taking the database for still starting.
    @Test func failingMigrationThrowsMigrationFailed() async throws {
        // setup: a migration whose second statement fails
        let database = try await TestDatabase.make()
        let migrations = SchemaMigrations(schema: "petitions", serviceMigrations: [
            Migration(name: "service/001_broken", sql: "CREATE TABLE half_done (id int);\nINSERT INTO no_such_table VALUES (1);"),
        ])
        try await asService(.petitions, in: database) { client in
            // act
            let error = await #expect(throws: StorageError.self) {
                try await Migrator(client: client, logger: TestEnvironment.logger).migrate(migrations)
            }
            // check
            guard case .migrationFailed(let name, let statement, let underlying)? = error else {
                Issue.record("expected StorageError.migrationFailed, got \(String(describing: error))")
                return
            }
            #expect(name == "service/001_broken")
            #expect(statement == 2)
            #expect(underlying.contains("no_such_table"))
        }
    }

    @Test func failingMigrationLeavesNothingBehind() async throws {
        // setup: the schema is up to date, then a migration whose second statement fails
        let database = try await TestDatabase.make()
        let current = try petitionsMigrations()
        try await migrate(current, as: .petitions, in: database)
        var next = current
        next.migrations.append(Migration(name: "service/900_broken", sql: """
            CREATE TABLE half_done (id int);
            INSERT INTO no_such_table VALUES (1);
            """))
        let migrations = next
        try await asService(.petitions, in: database) { client in
            // act
            let error = await #expect(throws: (any Error).self) {
                try await Migrator(client: client, logger: TestEnvironment.logger).migrate(migrations)
            }
            // check
            guard case .migrationFailed(let name, let statement, _)? = error.flatMap(storageError(in:)) else {
                Issue.record("expected a migrationFailed error, got \(String(describing: error))")
                return
            }
            #expect(name == "service/900_broken")
            #expect(statement == 2)
            #expect(try await tableExists("petitions.half_done", on: client) == false)
            let rows = try await client.query("SELECT name FROM petitions.schema_migrations ORDER BY name", logger: TestEnvironment.logger)
            var recorded: [String] = []
            for try await name in rows.decode(String.self) { recorded.append(name) }
            #expect(recorded == expectedNames)
        }
    }

    @Test func failedMigrationRunsAgainOnceFixed() async throws {
        // setup
        let database = try await TestDatabase.make()
        let current = try petitionsMigrations()
        let broken = SchemaMigrations(schema: "petitions", serviceMigrations: current.migrations.filter { $0.name.hasPrefix("service/") } + [
            Migration(name: "service/900_responses", sql: "ALTER TABLE petitions ADD COLUMN response txet;"),
        ])
        let fixed = SchemaMigrations(schema: "petitions", serviceMigrations: current.migrations.filter { $0.name.hasPrefix("service/") } + [
            Migration(name: "service/900_responses", sql: "ALTER TABLE petitions ADD COLUMN response text;"),
        ])
        try await asService(.petitions, in: database) { client in
            let migrator = Migrator(client: client, logger: TestEnvironment.logger)
            await #expect(throws: (any Error).self) { try await migrator.migrate(broken) }
            // act
            let applied = try await migrator.migrate(fixed)
            // check: the failed run committed nothing, so the whole set applies now
            #expect(applied == expectedNames + ["service/900_responses"])
        }
    }

    @Test func replicasMigratingTogetherApplyEachMigrationOnce() async throws {
        // setup: two replicas, each with its own connection pool
        let database = try await TestDatabase.make()
        let migrations = try petitionsMigrations()
        // act
        async let first = asService(.petitions, in: database) { client in
            try await Migrator(client: client, logger: TestEnvironment.logger).migrate(migrations)
        }
        async let second = asService(.petitions, in: database) { client in
            try await Migrator(client: client, logger: TestEnvironment.logger).migrate(migrations)
        }
        let results = try await [first, second]
        // check
        #expect(results.sorted { $0.count < $1.count } == [[], expectedNames])
    }

    @Test func migrationWithCommentsAndAFunctionApplies() async throws {
        // setup: what a hand-written migration file looks like
        let database = try await TestDatabase.make()
        let migrations = SchemaMigrations(schema: "petitions", serviceMigrations: [
            Migration(name: "service/001_notes", sql: """
                -- Notes on a petition; one per staff member.
                CREATE TABLE notes (
                    id int PRIMARY KEY,
                    body text NOT NULL DEFAULT 'rien; pour l''instant' -- a default with a semicolon
                );
                /* Keeps the body trimmed; never empty. */
                CREATE FUNCTION trim_note() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN
                    NEW.body := trim(NEW.body);
                    RETURN NEW;
                END;
                $body$;
                CREATE TRIGGER trim_note BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION trim_note();
                /* the end */
                """),
        ])
        try await asService(.petitions, in: database) { client in
            // act
            let applied = try await Migrator(client: client, logger: TestEnvironment.logger).migrate(migrations)
            // check
            #expect(applied == ["platform/001_outbox_inbox", "platform/002_staff_audit", "platform/003_outbox_secrets", "service/001_notes"])
            try await client.query("INSERT INTO notes (id, body) VALUES (1, '  bonjour  ')", logger: TestEnvironment.logger)
            try await client.query("INSERT INTO notes (id) VALUES (2)", logger: TestEnvironment.logger)
            var bodies: [String] = []
            for try await body in try await client.query("SELECT body FROM notes ORDER BY id", logger: TestEnvironment.logger).decode(String.self) {
                bodies.append(body)
            }
            #expect(bodies == ["bonjour", "rien; pour l'instant"])
        }
    }

    @Test func invalidSchemaNameIsRefusedBeforeAnySQL() async throws {
        let database = try await TestDatabase.make()
        try await asService(.petitions, in: database) { client in
            let error = await #expect(throws: StorageError.self) {
                try await Migrator(client: client, logger: TestEnvironment.logger)
                    .migrate(SchemaMigrations(schema: "petitions; DROP SCHEMA petitions", serviceMigrations: []))
            }
            guard case .invalidIdentifier? = error else {
                Issue.record("expected .invalidIdentifier, got \(String(describing: error))")
                return
            }
        }
    }
}
