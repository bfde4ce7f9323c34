public import DialogueContracts
import DialogueCtl
import Foundation
import Logging
public import PostgresNIO
public import Storage

/// A database of its own for one test, copied from a template in which every schema and
/// role already exists (bootstrapped once per test run).
public struct TestDatabase: Sendable {
    public let name: String

    /// The template is made once per process; tests then copy it, which takes milliseconds.
    private static let template: Task<String, any Error> = Task {
        let name = "dialogue_test_template"
        try await withAdminClient { client in
            try await client.query("DROP DATABASE IF EXISTS dialogue_test_template WITH (FORCE)", logger: TestEnvironment.logger)
            try await client.query("CREATE DATABASE dialogue_test_template", logger: TestEnvironment.logger)
        }
        var passwords: [ServiceName: String] = [:]
        for service in ServiceName.allCases { passwords[service] = TestEnvironment.password(for: service) }
        try await DatabaseBootstrap(
            admin: TestEnvironment.adminDatabase.with(database: name), passwords: passwords, logger: TestEnvironment.logger
        ).run()
        return name
    }

    /// Creates a fresh database for the calling test.
    public static func make() async throws -> TestDatabase {
        let template = try await template.value
        let name = "t_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
        try await withAdminClient { client in
            // The name is generated above, never user input; CREATE DATABASE takes no parameters.
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) TEMPLATE \(template)"), logger: TestEnvironment.logger)
        }
        return TestDatabase(name: name)
    }

    /// Settings to connect as a service's own role.
    public func settings(for service: ServiceName, maximumConnections: Int = 5) -> DatabaseSettings {
        var settings = TestEnvironment.adminDatabase.with(database: name)
        settings.user = service.databaseRole
        settings.password = TestEnvironment.password(for: service)
        settings.maximumConnections = maximumConnections
        return settings
    }

    /// Settings to connect as the administrator.
    public var adminSettings: DatabaseSettings { TestEnvironment.adminDatabase.with(database: name) }

    /// Runs `body` with a running client for `settings`.
    public static func withClient<Result: Sendable>(
        _ settings: DatabaseSettings, searchPath: String? = nil,
        _ body: @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        // The pool warns when a query comes before `run()` has started, which is expected here.
        var poolLogger = TestEnvironment.logger
        poolLogger.logLevel = .error
        let client = settings.makeClient(searchPath: searchPath, logger: poolLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    private static func withAdminClient(_ body: @Sendable (PostgresClient) async throws -> Void) async throws {
        try await withClient(TestEnvironment.adminDatabase.with(database: "postgres"), body)
    }
}
