import Foundation
import Logging
import Messaging
import Metrics
import NIOPosix
import PostgresNIO
import ServiceLifecycle
import Storage

/// Sends the queued mails: woken when a mail is queued, and every poll interval for the
/// retries that become due. Several replicas may run: each claims its own rows.
struct MailSender: Service {
    let queue: MailQueue
    let mailer: SMTPMailer
    /// The schema of the queue: its trigger notifies channel `<schema>_mail`.
    let schema: String
    let logger: Logger
    private let sent = Counter(label: "dialogue_mail_sent_total")
    private let retried = Counter(label: "dialogue_mail_retries_total")
    private let pending = Gauge(label: "dialogue_mail_queue_pending")
    private let oldestAge = Gauge(label: "dialogue_mail_queue_oldest_age_seconds")

    init(queue: MailQueue, mailer: SMTPMailer, schema: String, logger: Logger) {
        self.queue = queue
        self.mailer = mailer
        self.schema = schema
        self.logger = logger
    }

    func run() async throws {
        // curl's sends block a thread each: a pool of their own, as wide as the concurrency,
        // so they neither wait for the shared blocking pool (2 threads on a 2-core machine)
        // nor hold it up for the rest of the process.
        let pool = NIOThreadPool(numberOfThreads: queue.policy.concurrency)
        pool.start()
        await NotifiedLoop(client: queue.client, channel: "\(schema)_mail", pollInterval: queue.policy.pollInterval, logger: logger).run {
            await self.drain(on: pool)
        }
        try? await pool.shutdownGracefully()
    }

    /// Sends everything due, up to `concurrency` mails at a time: a slot that frees up
    /// takes the next mail at once, so one slow server answer does not hold up the others.
    func drain(on pool: NIOThreadPool) async {
        do {
            let closed = try await queue.closeUnsendable()
            failed("expired").increment(by: closed.expired)
            failed("interrupted").increment(by: closed.interrupted)
            if closed.interrupted > 0 {
                logger.warning("mails interrupted during a send were not sent again", metadata: ["count": "\(closed.interrupted)"])
            }
            if closed.resent > 0 {
                logger.warning("link mails interrupted during a send are sent again", metadata: ["count": "\(closed.resent)"])
            }
            // A failed mail's body is kept only while staff may send it again.
            _ = try await FailedDeliveries(client: queue.client, logger: logger).clearExpiredBodies()
            try await withThrowingTaskGroup(of: Void.self) { group in
                var running = 0
                while !Task.isShuttingDownGracefully {
                    let claimed = running < queue.policy.concurrency ? try await queue.claimDue(limit: queue.policy.concurrency - running) : []
                    for mail in claimed {
                        group.addTask { await self.send(mail, on: pool) }
                    }
                    running += claimed.count
                    if running == 0 { break }
                    // Wait for a free slot (or, with nothing new to claim, for the sends under way).
                    if claimed.isEmpty || running == queue.policy.concurrency {
                        try await group.next()
                        running -= 1
                    }
                }
                try await group.waitForAll()
            }
            let backlog = try await queue.backlog()
            pending.record(backlog.pending)
            oldestAge.record(backlog.oldestAge)
        } catch {
            logger.warning("mail queue pass failed", metadata: ["error": .string(String(reflecting: error))])
        }
    }

    /// Sends one mail within the trace of the event that queued it, so its log lines name that trace.
    private func send(_ claimed: MailQueue.Claimed, on pool: NIOThreadPool) async {
        await TraceContext.$current.withValue(claimed.trace?.child()) {
            await sendTraced(claimed, on: pool)
        }
    }

    private func sendTraced(_ claimed: MailQueue.Claimed, on pool: NIOThreadPool) async {
        let result = await mailer.send(claimed.mail, on: pool)
        var metadata: Logger.Metadata = [
            "delivery": .string(claimed.id.uuidString.lowercased()), "template": .string(claimed.template), "attempt": "\(claimed.attempt)",
        ]
        do {
            switch try await queue.record(result, for: claimed) {
            case .sent:
                sent.increment()
                logger.debug("mail sent", metadata: metadata)
            case .retryLater(let delay):
                retried.increment()
                metadata["retry_in"] = "\(delay)"
                if case .temporaryFailure(let code, let reason) = result {
                    metadata["smtp_code"] = code.map { .stringConvertible($0) }
                    metadata["reason"] = .string(reason)
                }
                logger.info("mail not accepted yet; will retry", metadata: metadata)
            case .failed(let reason):
                if case .permanentFailure = result { failed("refused").increment() } else { failed("gave_up").increment() }
                metadata["reason"] = .string(reason)
                logger.warning("mail not sent", metadata: metadata)
            }
        } catch {
            // The row stays `sending` until its lease runs out; it is then closed as interrupted.
            metadata["error"] = .string(String(reflecting: error))
            logger.error("the outcome of a send could not be recorded", metadata: metadata)
        }
    }

    private func failed(_ reason: String) -> Counter {
        Counter(label: "dialogue_mail_failed_total", dimensions: [("reason", reason)])
    }
}
