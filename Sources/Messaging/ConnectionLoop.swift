import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// What a connection does: declares and subscribes on each connection, then reacts to
/// what the broker sends. Lives on the loop's thread only, so it needs no locks.
protocol ConnectionSession: AnyObject, SendableMetatype {
    /// Sets up a fresh connection: confirm mode, declarations, prefetch, subscriptions.
    func connected(_ connection: RabbitMQConnection, generation: Int) throws(AMQPError)
    /// Reacts to one event from the broker.
    func handle(_ event: InboundEvent, on connection: RabbitMQConnection) throws(AMQPError)
    /// Runs once per loop pass, after jobs and events (time-outs, parked work).
    func tick(_ connection: RabbitMQConnection) throws(AMQPError)
    /// The connection is gone: settle everything that depended on it.
    func disconnected(because error: AMQPError)
    /// Whether nothing is waiting on the broker (no unconfirmed publish), so it may close.
    var isIdle: Bool { get }
}

/// Runs one rabbitmq-c connection on a thread of its own.
///
/// rabbitmq-c is blocking and its connections must not be shared between threads, so
/// each `ConnectionLoop` owns a thread that connects (and reconnects after the broker goes
/// away: to the next node of a cluster at once, with a growing pause once every node has
/// failed), runs work sent from async code in order, waits on the socket with `poll(2)`
/// alongside a wake-up pipe, and hands inbound events to its session.
/// A configuration error (an unusable TLS file) is not retried: the loop stops and
/// remembers it, and its owner's `run()` throws it.
final class ConnectionLoop<Session: ConnectionSession>: @unchecked Sendable {
    // Safe to share: `jobs`, `phase`, `failure` and the wake-up pipe are guarded by `lock`; the
    // connection and the session are created, used and destroyed on the loop's thread only.

    /// Work sent to the loop thread; it runs with the live connection and the session.
    struct Job: Sendable {
        let run: @Sendable (RabbitMQConnection, Session) throws(AMQPError) -> Void
        /// Called instead of `run` when there is no connection to run it on.
        let fail: @Sendable (AMQPError) -> Void
    }

    enum Phase: Equatable {
        case idle
        case connecting
        case connected
        case disconnected
        case stopping
        case stopped
    }

    private let settings: AMQPSettings
    private let name: String
    private let logger: Logger
    private let makeSession: @Sendable () -> Session
    private let onGiveUp: @Sendable (AMQPError) -> Void
    private let lock = NIOLock()
    /// Why the loop stopped on its own, when it did.
    private var failure: AMQPError?
    private var jobs: [Job] = []
    private var phase: Phase = .idle
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []
    private var connectedWaiters: [CheckedContinuation<Void, Never>] = []
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private static var initialBackoff: Duration { .milliseconds(200) }
    private static var maximumBackoff: Duration { .seconds(10) }
    /// Longest wait, when stopping, for the broker to confirm what was already published.
    private static var drainTimeout: Duration { .seconds(5) }

    /// - Parameter onGiveUp: called on the loop's thread when a configuration error stops it.
    init(
        settings: AMQPSettings, name: String, logger: Logger, onGiveUp: @escaping @Sendable (AMQPError) -> Void = { _ in },
        makeSession: @escaping @Sendable () -> Session
    ) {
        self.onGiveUp = onGiveUp
        self.settings = settings
        self.name = name
        var logger = logger
        logger[metadataKey: "amqp.connection"] = .string(name)
        self.logger = logger
        self.makeSession = makeSession
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "cannot create a pipe")
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    var currentPhase: Phase { lock.withLock { phase } }

    /// The configuration error that stopped the loop, if one did.
    var fatalError: AMQPError? { lock.withLock { failure } }

    /// Starts the thread. Called from a service's `run()`, never from an initialiser.
    func start() {
        let shouldStart = lock.withLock { () -> Bool in
            guard phase == .idle else { return false }
            phase = .connecting
            return true
        }
        guard shouldStart else { return }
        let thread = Thread { [self] in self.threadMain() }
        thread.name = "amqp-\(name)"
        thread.start()
    }

    /// Asks the thread to finish the queued work, close the connection and exit; returns once it has.
    func stop() async {
        requestStop()
        await waitUntilStopped()
    }

    /// Starts the thread and keeps it until graceful shutdown or cancellation, then stops it;
    /// throws the configuration error that made it stop earlier, if one did.
    func runUntilShutdown() async throws(AMQPError) {
        start()
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await waitUntilStopped()
            } onGracefulShutdown: {
                self.requestStop()
            }
        } onCancel: {
            self.requestStop()
        }
        if let fatalError { throw fatalError }
    }

    /// Asks the thread to finish the queued work, close the connection and exit.
    private func requestStop() {
        let running = lock.withLock { () -> Bool in
            switch phase {
            case .stopped, .stopping:
                return false
            case .idle:
                phase = .stopped
                return false
            default:
                phase = .stopping
                return true
            }
        }
        if running { wake() }
    }

    /// Returns once the thread has exited (at once when it never started).
    private func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let stopped = lock.withLock { () -> Bool in
                if phase == .stopped || phase == .idle { return true }
                stopWaiters.append(continuation)
                return false
            }
            if stopped { continuation.resume() }
        }
    }

    /// Waits until the loop is connected (or stops), for start-up ordering and tests.
    func waitUntilConnected() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = lock.withLock { () -> Bool in
                if phase == .connected || phase == .stopped { return true }
                connectedWaiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Queues work for the thread. Unless the loop is connected, the job fails at once with
    /// `.notConnected`, so that callers (the gateway answering 503) never wait on a broker
    /// that is away or still answering a connection attempt.
    func submit(_ job: Job) {
        let refusal: AMQPError? = lock.withLock {
            switch phase {
            case .connected:
                jobs.append(job)
                return nil
            case .connecting, .disconnected, .idle:
                return .notConnected
            case .stopping, .stopped:
                return failure ?? .shuttingDown
            }
        }
        if let refusal {
            job.fail(refusal)
        } else {
            wake()
        }
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private func drainWakeups() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buffer, buffer.count) > 0 {}
    }

    private var isStopping: Bool { lock.withLock { phase == .stopping } }

    // MARK: - The thread

    private func threadMain() {
        let session = makeSession()
        var backoff = Self.initialBackoff
        var generation = 0
        let brokers = settings.brokers
        // Connections start on a node drawn at random, so a cluster's nodes share them.
        var brokerIndex = Int.random(in: 0..<brokers.count)
        var failuresInARow = 0
        while !isStopping {
            let target = settings.on(brokers[brokerIndex])
            do {
                let connection = try RabbitMQConnection(settings: target, connectionName: name)
                generation += 1
                try session.connected(connection, generation: generation)
                let waiters = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
                    if phase == .connecting || phase == .disconnected { phase = .connected }
                    defer { connectedWaiters = [] }
                    return connectedWaiters
                }
                waiters.forEach { $0.resume() }
                logger.info("connected to broker", metadata: ["amqp.broker": .string(target.redactedDescription)])
                backoff = Self.initialBackoff
                failuresInARow = 0
                try serve(connection, session: session)
                // Graceful stop: the connection closes in its deinit.
                session.disconnected(because: .shuttingDown)
                break
            } catch where error.isConfigurationError {
                // Retrying cannot fix a file that cannot be used; say it once and stop.
                logger.critical("broker connection impossible; giving up", metadata: ["error": .string(error.description)])
                lock.withLock { failure = error }
                failQueuedJobs(with: error)
                session.disconnected(because: error)
                onGiveUp(error)
                break
            } catch {
                lock.withLock { if phase == .connected || phase == .connecting { phase = .disconnected } }
                failQueuedJobs(with: .notConnected)
                session.disconnected(because: error)
                // The next node at once while some have not been tried since the last
                // connection; a pause (growing) only once every node has failed.
                failuresInARow += 1
                brokerIndex = (brokerIndex + 1) % brokers.count
                let roundFailed = failuresInARow % brokers.count == 0
                logger.warning("broker connection failed; retrying", metadata: [
                    "amqp.broker": .string(target.redactedDescription), "error": .string(error.description),
                    "next_broker": .string(brokers[brokerIndex].description),
                    "retry_in_ms": .stringConvertible(roundFailed ? backoff.milliseconds : 0),
                ])
                if roundFailed {
                    sleepInterruptibly(backoff)
                    backoff = min(backoff * 2, Self.maximumBackoff)
                }
                lock.withLock { if phase == .disconnected { phase = .connecting } }
            }
        }
        failQueuedJobs(with: .shuttingDown)
        let waiters = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            phase = .stopped
            defer {
                stopWaiters = []
                connectedWaiters = []
            }
            return stopWaiters + connectedWaiters
        }
        waiters.forEach { $0.resume() }
    }

    /// Runs jobs and reads events until asked to stop; throws when the connection fails.
    private func serve(_ connection: RabbitMQConnection, session: Session) throws(AMQPError) {
        var stopDeadline: ContinuousClock.Instant?
        while true {
            drainWakeups()
            let (pending, stopping) = lock.withLock { () -> ([Job], Bool) in
                defer { jobs = [] }
                return (jobs, phase == .stopping)
            }
            for job in pending {
                do {
                    try job.run(connection, session)
                } catch {
                    job.fail(error)
                    throw error
                }
            }
            // Read everything already there; a zero wait also lets rabbitmq-c send and check heartbeats.
            reading: while true {
                switch try connection.nextFrame(timeout: .zero) {
                case .timedOut: break reading
                case .ignored: continue
                case .event(let event): try session.handle(event, on: connection)
                }
            }
            connection.releaseBuffers()
            try session.tick(connection)
            if stopping {
                let deadline = stopDeadline ?? .now + Self.drainTimeout
                stopDeadline = deadline
                if lock.withLock({ jobs.isEmpty }) && (session.isIdle || ContinuousClock.now >= deadline) { return }
            }
            if connection.hasBufferedInput { continue }
            var fds = [
                pollfd(fd: connection.fileDescriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            // A short ceiling keeps heartbeats and confirm time-outs ticking while idle.
            _ = poll(&fds, 2, 250)
        }
    }

    private func failQueuedJobs(with error: AMQPError) {
        let pending = lock.withLock { () -> [Job] in
            defer { jobs = [] }
            return jobs
        }
        pending.forEach { $0.fail(error) }
    }

    private func sleepInterruptibly(_ duration: Duration) {
        var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 1, Int32(duration.milliseconds))
        drainWakeups()
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
