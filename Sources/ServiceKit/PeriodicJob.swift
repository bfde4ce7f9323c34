public import Logging
import Messaging
public import ServiceLifecycle

/// Runs a piece of work every interval until graceful shutdown. A failed pass is logged and
/// the next one runs on time: a job never stops because the database blinked.
public struct PeriodicJob: Service {
    private let name: String
    private let interval: Duration
    private let logger: Logger
    private let passDeadline: Duration
    private let work: @Sendable () async throws -> Void

    /// `passDeadline`: far above any real pass (10 minutes unless said).
    public init(
        name: String, interval: Duration, passDeadline: Duration = .seconds(600), logger: Logger,
        work: @escaping @Sendable () async throws -> Void
    ) {
        self.name = name
        self.interval = interval
        self.passDeadline = passDeadline
        self.logger = logger
        self.work = work
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            // A pass that never ends (a query lost in a database restart) must not stop the
            // job for good: past the deadline the next pass runs on time beside it.
            let work = self.work
            let failure = await Watchdog.result(within: passDeadline) { () -> String? in
                do {
                    try await work()
                    return nil
                } catch {
                    return String(reflecting: error)
                }
            }
            switch failure {
            case .none:
                logger.error("\(name) still running after its deadline; the job goes on", metadata: [
                    "deadline_s": .stringConvertible(passDeadline.components.seconds),
                ])
            case .some(.some(let error)):
                logger.warning("\(name) failed", metadata: ["error": .string(error)])
            case .some(.none):
                break
            }
            let interval = self.interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
