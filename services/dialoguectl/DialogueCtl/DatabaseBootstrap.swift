public import DialogueContracts
public import Logging
import PostgresNIO
public import Storage

/// Creates each service's schema and role, so a service can touch its own schema and no other.
///
/// Run with an administrator's connection. Idempotent: roles and schemas that exist are
/// kept, passwords are reset to the ones given.
public struct DatabaseBootstrap: Sendable {
    public let admin: DatabaseSettings
    public let passwords: [ServiceName: String]
    public let logger: Logger

    public init(admin: DatabaseSettings, passwords: [ServiceName: String], logger: Logger) {
        self.admin = admin
        self.passwords = passwords
        self.logger = logger
    }

    /// The variable holding a service role's password: `DB_PASSWORD_PETITIONS`.
    public static func passwordVariable(for service: ServiceName) -> String {
        "DB_PASSWORD_\(service.schema.uppercased())"
    }

    public func run() async throws {
        let client = admin.makeClient(logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            // Identifiers cannot be bound, so the DDL is built server-side by format(%I, %L)
            // from bound values, in a session-local helper.
            try await client.withConnection { connection in
                try await connection.query(
                    """
                    CREATE FUNCTION pg_temp.dialogue_prepare_service(role_name text, role_password text, schema_name text)
                    RETURNS void LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
                            EXECUTE format('CREATE ROLE %I LOGIN', role_name);
                        END IF;
                        EXECUTE format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', role_name, role_password);
                        EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), role_name);
                        EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', schema_name, role_name);
                        EXECUTE format('ALTER SCHEMA %I OWNER TO %I', schema_name, role_name);
                        EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', schema_name);
                        EXECUTE format('ALTER ROLE %I IN DATABASE %I SET search_path = %I', role_name, current_database(), schema_name);
                    END;
                    $$
                    """,
                    logger: logger
                )
                // Nobody but its owner creates anything in public.
                try await connection.query("REVOKE CREATE ON SCHEMA public FROM PUBLIC", logger: logger)
                for service in ServiceName.allCases {
                    guard let password = passwords[service] else { continue }
                    try await connection.query(
                        "SELECT pg_temp.dialogue_prepare_service(\(service.databaseRole), \(password), \(service.schema))",
                        logger: logger
                    )
                    logger.info("schema and role ready", metadata: ["schema": .string(service.schema), "role": .string(service.databaseRole)])
                }
            }
        }
    }
}
