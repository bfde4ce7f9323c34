public import Logging
public import PostgresNIO

extension PostgresClient {
    /// Runs `body` in one transaction. An error `body` throws reaches the caller as itself,
    /// not wrapped in `PostgresTransactionError`, so callers can tell a refusal of their own
    /// (a domain error, an unreadable message) from a database failure.
    public func transaction<Result: Sendable>(
        logger: Logger, _ body: nonisolated(nonsending) (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        do {
            return try await withTransaction(logger: logger, body)
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }
}
