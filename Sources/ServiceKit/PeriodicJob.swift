public import Logging
public import ServiceLifecycle

/// Runs a piece of work every interval until graceful shutdown. A failed pass is logged and
/// the next one runs on time: a job never stops because the database blinked.
public struct PeriodicJob: Service {
    private let name: String
    private let interval: Duration
    private let logger: Logger
    private let work: @Sendable () async throws -> Void

    public init(name: String, interval: Duration, logger: Logger, work: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.work = work
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await work()
            } catch {
                logger.warning("\(name) failed", metadata: ["error": .string(String(reflecting: error))])
            }
            let interval = self.interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
