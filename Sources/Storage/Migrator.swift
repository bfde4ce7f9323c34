public import Foundation
public import Logging
public import PostgresNIO

/// One numbered SQL script of a schema.
public struct Migration: Sendable, Equatable {
    /// Sorts and identifies the migration: `platform/001_outbox_inbox`, `service/001_petitions`.
    public var name: String
    public var sql: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }
}

/// The migrations of one schema: the platform's (outbox, inbox) then the service's own.
public struct SchemaMigrations: Sendable {
    public var schema: String
    public var migrations: [Migration]

    /// Reads `NNN_name.sql` files from a service's `Migrations` resource folder.
    public init(schema: String, directory: URL?) throws {
        var own: [Migration] = []
        if let directory {
            let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "sql" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
            own = try files.map { file in
                Migration(name: "service/\(file.deletingPathExtension().lastPathComponent)", sql: try String(contentsOf: file, encoding: .utf8))
            }
        }
        self.init(schema: schema, serviceMigrations: own)
    }

    public init(schema: String, serviceMigrations: [Migration]) {
        self.schema = schema
        self.migrations = PlatformMigrations.all + serviceMigrations
    }
}

/// Applies a schema's pending migrations in order, each recorded in `<schema>.schema_migrations`.
///
/// Replicas starting together serialise on an advisory lock; a migration and its record
/// commit together, so a failed one leaves nothing behind and runs again next time.
public struct Migrator: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Returns the names of the migrations it applied.
    @discardableResult
    public func migrate(_ set: SchemaMigrations) async throws -> [String] {
        try await apply(set, schema: try SQLIdentifier.validated(set.schema))
    }

    private func apply(_ set: SchemaMigrations, schema: String) async throws -> [String] {
        try await client.transaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("dialogue.migrate." + schema)))", logger: logger)
            try await connection.query("SELECT set_config('search_path', \(schema), true)", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                logger: logger
            )
            var applied = Set<String>()
            for try await name in try await connection.query("SELECT name FROM schema_migrations", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            var done: [String] = []
            for migration in set.migrations where !applied.contains(migration.name) {
                for (number, statement) in SQLScript.statements(in: migration.sql).enumerated() {
                    do {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    } catch {
                        throw StorageError.migrationFailed(name: migration.name, statement: number + 1, underlying: String(reflecting: error))
                    }
                }
                try await connection.query("INSERT INTO schema_migrations (name) VALUES (\(migration.name))", logger: logger)
                done.append(migration.name)
                logger.info("migration applied", metadata: ["schema": .string(schema), "migration": .string(migration.name)])
            }
            return done
        }
    }
}

/// Tables every schema has: the transactional outbox, the consumer inbox and the staff audit.
enum PlatformMigrations {
    static let all: [Migration] = [
        Migration(name: "platform/001_outbox_inbox", sql: """
            CREATE TABLE outbox (
                id bigserial PRIMARY KEY,
                message_id uuid NOT NULL UNIQUE,
                destination text NOT NULL CHECK (destination IN ('event', 'command')),
                routing_key text NOT NULL,
                message_type text NOT NULL,
                schema_version integer NOT NULL,
                body bytea NOT NULL,
                correlation_id text,
                traceparent text,
                created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                published_at timestamptz,
                attempts integer NOT NULL DEFAULT 0,
                last_error text,
                -- A row the broker refused waits before its next try, so it never holds up the rows behind it.
                next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp()
            );
            -- The relay only ever looks for what is not yet published.
            CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

            -- Wakes the relay as soon as a transaction that wrote events commits.
            CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify(TG_TABLE_SCHEMA || '_outbox', '');
                RETURN NULL;
            END;
            $$;
            CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
                FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

            CREATE TABLE inbox (
                message_id text PRIMARY KEY,
                message_type text NOT NULL,
                handled_at timestamptz NOT NULL DEFAULT now()
            );
            """),
        // What staff did through this service, written in the transaction of the action
        // (ServiceKit's `StaffAudit`). Rows are never updated.
        Migration(name: "platform/002_staff_audit", sql: """
            CREATE TABLE staff_audit (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                occurred_at timestamptz NOT NULL DEFAULT now(),
                staff_id uuid,
                staff_name text NOT NULL,
                action text NOT NULL,
                object_type text NOT NULL,
                object_id text,
                details jsonb NOT NULL DEFAULT '{}'
            );
            CREATE INDEX staff_audit_by_time ON staff_audit (occurred_at DESC, id DESC);
            """),
        Migration(name: "platform/003_outbox_secrets", sql: """
            -- A row whose message holds a live secret (a mailed link's token): the relay blanks
            -- its body once the broker has confirmed it, so no copy of the table opens anything.
            ALTER TABLE outbox ADD COLUMN carries_secrets boolean NOT NULL DEFAULT false;

            -- The rows written before this column: the types that carried link tokens then.
            UPDATE outbox SET carries_secrets = true
            WHERE message_type IN (
                'account.email_confirmation_requested', 'account.password_reset_requested', 'petition.signature_confirmation_requested'
            );
            UPDATE outbox SET body = convert_to('{}', 'UTF8') WHERE carries_secrets AND published_at IS NOT NULL;
            """),
    ]
}
