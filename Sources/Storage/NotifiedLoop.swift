public import Logging
public import PostgresNIO
import Messaging
import ServiceLifecycle

/// Runs a piece of work whenever a transaction announces new rows with `NOTIFY` on a
/// channel, and at least every poll interval (a notification is lost while the listening
/// connection is down, and rows may become due by time alone, like a retry).
///
/// Wake-ups that arrive while the work runs collapse into one more pass: the work drains
/// everything due, so a burst of notifications costs one pass, not one per row.
public struct NotifiedLoop: Sendable {
    private let client: PostgresClient
    private let channel: String
    private let pollInterval: Duration
    private let passDeadline: Duration
    private let logger: Logger

    public init(client: PostgresClient, channel: String, pollInterval: Duration, passDeadline: Duration = .seconds(120), logger: Logger) {
        self.client = client
        self.channel = channel
        self.pollInterval = pollInterval
        self.passDeadline = passDeadline
        self.logger = logger
    }

    /// Runs `work` once at start (rows may be waiting from before), then at each wake-up,
    /// until graceful shutdown or cancellation.
    public func run(_ work: @escaping @Sendable () async -> Void) async {
        let wakeups = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        wakeups.continuation.yield()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.listen(wakingUp: wakeups.continuation) }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: pollInterval)
                    wakeups.continuation.yield()
                }
            }
            for await _ in wakeups.stream.cancelOnGracefulShutdown() {
                // A pass that never ends (a query lost in a database restart) must not stop
                // the loop: the next pass runs beside it; what the work does is safe twice.
                if await Watchdog.result(within: passDeadline, of: work) == nil {
                    logger.error("pass still running after its deadline; the loop goes on", metadata: [
                        "channel": .string(channel), "deadline_s": .stringConvertible(passDeadline.components.seconds),
                    ])
                }
            }
            // Shutting down: stop the listener and the timer.
            group.cancelAll()
        }
    }

    private func listen(wakingUp wakeup: AsyncStream<Void>.Continuation) async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        for try await _ in notifications { wakeup.yield() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("listener interrupted; polling meanwhile", metadata: ["channel": .string(channel), "error": .string("\(error)")])
                try? await Task.sleep(for: pollInterval)
            }
        }
    }
}
