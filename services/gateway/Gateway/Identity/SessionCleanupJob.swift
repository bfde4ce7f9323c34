import Logging
import ServiceLifecycle

/// Deletes expired sessions every hour (idempotent: replicas may run it side by side).
struct SessionCleanupJob: Service {
    let sessions: SessionStore
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await sessions.deleteExpired()
            } catch {
                logger.warning("expired sessions not deleted", metadata: ["error": .string(String(reflecting: error))])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3600)) }
        }
    }
}
