import DialogueContracts
public import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceLifecycle
import Storage
import UnixSignals

/// Boots a service: reads its settings (common and its own, in one pass), sets up logs and metrics, migrates its schema,
/// then runs its parts in one `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT.
public enum ServiceRunner {
    public static func run<App: DialogueService>(_ app: App.Type, environment: [String: String] = ProcessInfo.processInfo.environment) async {
        let settings: ServiceSettings
        let specific: App.Settings
        do {
            (settings, specific) = try Self.settings(of: App.self, environment: environment)
        } catch {
            FileHandle.standardError.write(Data("\(App.name.rawValue): \(error)\n".utf8))
            exit(78)  // EX_CONFIG
        }
        let registry = Observability.bootstrap(level: settings.logLevel, format: settings.logFormat)
        let logger = Logger(label: "dialogue.\(App.name.rawValue)")
        do {
            try await migrate(App.self, settings: settings, logger: logger)
            let platform = ServicePlatform(settings: settings, endpoints: App.endpoints, logger: logger)
            let operations = OperationsEndpoints(readiness: platform.readiness, registry: registry)
            var services: [any Service] = [platform.database, platform.publisher, platform.outboxRelay(), platform.retentionJob()]
            services += try App.services(on: platform, settings: specific, operations: operations)
            // Every service, the gateway included, answers its operations endpoints on a listener of its own.
            services.append(operations.makeServer(host: settings.operationsHost, port: settings.operationsPort, logger: logger))
            let group = ServiceGroup(
                configuration: .init(
                    services: services.map { .init(service: $0) },
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
            )
            logger.info("starting", metadata: [
                "operations": .string("\(settings.operationsHost):\(settings.operationsPort)"),
                "broker": .string(settings.amqp.redactedDescription),
                "database": .string("\(settings.database.host):\(settings.database.port)/\(settings.database.database) as \(settings.database.user)"),
            ])
            try await group.run()
            logger.info("stopped")
        } catch let error as AMQPError where error.isConfigurationError {
            // Found by a connection rather than at start (a TLS file replaced since): still the operator's to fix.
            logger.critical("stopped on a configuration error", metadata: ["error": .string(error.description)])
            FileHandle.standardError.write(Data("\(App.name.rawValue): invalid configuration:\n  - AMQP_URL: \(error)\n".utf8))
            exit(78)  // EX_CONFIG
        } catch {
            logger.critical("stopped on error", metadata: ["error": .string(String(reflecting: error))])
            exit(1)
        }
    }

    /// The common settings and the service's own, read in one pass: every missing or invalid
    /// variable is named in one error, before anything connects.
    public static func settings<App: DialogueService>(
        of _: App.Type, environment: [String: String]
    ) throws(ConfigurationError) -> (ServiceSettings, App.Settings) {
        var reader = SettingsReader(environment: environment)
        let common = ServiceSettings.read(service: App.name, defaultPort: App.defaultPort, from: &reader)
        let specific = App.Settings(reader: &reader)
        try reader.validate()
        guard let common else { throw ConfigurationError(problems: ["the settings could not be read"]) }
        return (common, specific)
    }

    /// Migrations run on a short-lived client of their own, before any consumer starts,
    /// so no handler ever sees a schema older than its code.
    private static func migrate<App: DialogueService>(_: App.Type, settings: ServiceSettings, logger: Logger) async throws {
        // The pool warns when leased before `run()` has started, which is expected here.
        var poolLogger = logger
        poolLogger.logLevel = .error
        let client = settings.database.makeClient(searchPath: settings.service.schema, logger: poolLogger)
        let migrations = try SchemaMigrations(schema: settings.service.schema, directory: App.migrationsDirectory)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            var attempt = 0
            while true {
                do {
                    try await Migrator(client: client, logger: logger).migrate(migrations)
                    return
                } catch let error as StorageError {
                    throw error  // A migration that fails will fail again.
                } catch {
                    // The database may still be starting (containers start together): wait a little.
                    attempt += 1
                    guard attempt < 30 else { throw error }
                    logger.warning("migration failed; retrying", metadata: ["error": .string(String(reflecting: error))])
                    try await Task.sleep(for: .seconds(2))
                }
            }
        }
    }
}
