import DialogueContracts
import Foundation
import Logging
import Messaging
import NotificationWorker
import PetitionsService
import PostgresNIO
import Storage
import Testing
import TestSupport

/// Runs `body` with a client connected as `service`'s own role, resolving names in its schema.
@discardableResult
func asService<Result: Sendable>(
    _ service: ServiceName, in database: TestDatabase, maximumConnections: Int = 4,
    _ body: @Sendable (PostgresClient) async throws -> Result
) async throws -> Result {
    try await TestDatabase.withClient(
        database.settings(for: service, maximumConnections: maximumConnections), searchPath: service.schema, body
    )
}

/// The petitions schema's migrations: the platform's outbox and inbox, then the service's files.
func petitionsMigrations() throws -> SchemaMigrations {
    try SchemaMigrations(schema: "petitions", directory: PetitionsService.migrationsDirectory)
}

func notificationsMigrations() throws -> SchemaMigrations {
    try SchemaMigrations(schema: "notifications", directory: NotificationWorker.migrationsDirectory)
}

/// Applies `migrations` as the schema's own role.
func migrate(_ migrations: SchemaMigrations, as service: ServiceName, in database: TestDatabase) async throws {
    try await asService(service, in: database) { client in
        try await Migrator(client: client, logger: TestEnvironment.logger).migrate(migrations)
    }
}

/// The SQLSTATE of a server error, if `error` is one.
func sqlState(of error: (any Error)?) -> String? {
    (error as? PSQLError)?.serverInfo?[.sqlState]
}

/// Whether a table exists, seen by whoever `client` is connected as.
func tableExists(_ qualifiedName: String, on client: PostgresClient) async throws -> Bool {
    let rows = try await client.query("SELECT to_regclass(\(qualifiedName)) IS NOT NULL", logger: TestEnvironment.logger)
    for try await exists in rows.decode(Bool.self) { return exists }
    return false
}

/// Messages ready in a queue of the test broker.
func readyMessages(_ queue: String) async throws -> Int {
    try await BrokerAdmin.messageCount(queue: queue, settings: TestEnvironment.amqp)
}

/// Rolls a transaction back on purpose.
struct DeliberateRollback: Error {}

extension PetitionThresholdReached {
    static func sample(title: String = "Pour des trains à l'heure", count: Int = 50_000) -> PetitionThresholdReached {
        PetitionThresholdReached(
            petitionID: UUID(), title: title, threshold: 50_000, signatureCount: count,
            reachedAt: Date(timeIntervalSince1970: 1_790_000_000)
        )
    }
}

/// Runs a transaction that must roll back because `body` throws `DeliberateRollback`.
func expectRollback(
    on client: PostgresClient, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: @Sendable (PostgresConnection) async throws -> Void
) async {
    do {
        try await client.withTransaction(logger: TestEnvironment.logger) { connection in
            try await body(connection)
            throw DeliberateRollback()
        }
        Issue.record("the transaction committed", sourceLocation: sourceLocation)
    } catch let error as PostgresTransactionError {
        #expect(error.closureError is DeliberateRollback, sourceLocation: sourceLocation)
        #expect(error.rollbackError == nil, sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
    }
}

/// The storage error behind `error`, whether thrown as is or wrapped by `withTransaction`.
func storageError(in error: any Error) -> StorageError? {
    if let error = error as? StorageError { return error }
    return ((error as? PostgresTransactionError)?.closureError).flatMap { $0 as? StorageError }
}
