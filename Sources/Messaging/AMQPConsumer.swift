public import Logging
import Metrics
public import ServiceLifecycle

/// What became of one message, decided by a handler.
public enum DeliveryOutcome: Sendable, Equatable {
    /// Done (or a duplicate already done): remove it from the queue.
    case ack
    /// Failed for a reason that may pass (database away): deliver it again later.
    case retry(reason: String)
    /// Can never succeed (unreadable, unknown type): move it to the dead-letter queue with the reason.
    case deadLetter(reason: String)
}

/// Consumes a queue in batches: reads with a prefetch, hands batches to a handler, and
/// settles each message after the handler's work is done (committed).
public protocol MessageBatchHandler: Sendable {
    /// Returns one outcome per message, in order.
    func handle(_ batch: [IncomingMessage], context: ConsumerContext) async -> [DeliveryOutcome]
}

/// What a handler may do on its consumer's connection (RPC replies).
public struct ConsumerContext: Sendable {
    let publishOnChannel: @Sendable (OutgoingMessage) async throws(AMQPError) -> Void

    public func publish(_ message: OutgoingMessage) async throws(AMQPError) {
        try await publishOnChannel(message)
    }
}

/// Retry and dead-letter rules of a consumer.
public struct RetryPolicy: Sendable {
    /// Deliveries before a message that keeps failing is dead-lettered (the queue's `x-delivery-limit`).
    public var deliveryLimit: Int
    /// First wait before a failed message is returned; doubles with each delivery.
    public var initialBackoff: Duration
    public var maximumBackoff: Duration
    /// The largest body handed to the handler; a larger one is dead-lettered unread. Every
    /// message of the platform is a small JSON document: a body this large is a mistake or an
    /// attack, and decoding or storing it would cost every consumer of the queue.
    public var maximumBodyBytes: Int

    /// The longest a handler may take over a batch before the batch is given back to the
    /// queue and the consumer goes on without it. A handler can wait forever on a
    /// dependency that will never answer (the fault suite saw a database query whose
    /// connection died in a PostgreSQL restart never return), and one such wait would
    /// otherwise hold the whole prefetch and stop the queue. Far above any real batch.
    public var handlerDeadline: Duration

    /// 1 MiB: far above the largest message the services send (a survey's definition, a text).
    public static let defaultMaximumBodyBytes = 1 << 20

    public init(
        deliveryLimit: Int = 10, initialBackoff: Duration = .milliseconds(200), maximumBackoff: Duration = .seconds(10),
        maximumBodyBytes: Int = RetryPolicy.defaultMaximumBodyBytes, handlerDeadline: Duration = .seconds(60)
    ) {
        self.deliveryLimit = deliveryLimit
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.maximumBodyBytes = maximumBodyBytes
        self.handlerDeadline = handlerDeadline
    }

    func backoff(afterPreviousDeliveries count: Int) -> Duration {
        var wait = initialBackoff
        for _ in 0..<min(count, 16) { wait = min(wait * 2, maximumBackoff) }
        return min(wait, maximumBackoff)
    }
}

/// A competing consumer of one durable queue, with manual acks and a prefetch.
///
/// A handler that fails is retried with backoff; on the last allowed delivery, or when the
/// handler says the message can never succeed, the message is republished to the
/// dead-letter exchange with its reason (headers `dialogue-dead-letter-reason`,
/// `dialogue-dead-letter-queue`) and acked, so a poison message never blocks the queue.
public final class AMQPConsumer: Service, Sendable {
    private let loop: ConnectionLoop<ChannelSession>
    private let inbox: DeliveryInbox
    private let queue: String
    private let deadLetterExchange: String
    private let handler: any MessageBatchHandler
    private let batchSize: Int
    private let retry: RetryPolicy
    private let logger: Logger
    private let consumed: Counter
    private let failed: Counter
    private let deadLettered: Counter
    private let handlerDuration: Metrics.Timer
    private let overDeadline: Counter

    public init(
        settings: AMQPSettings,
        queue: String,
        deadLetterExchange: String,
        declarations: [TopologyElement] = [],
        prefetch: Int = 200,
        batchSize: Int = 100,
        retry: RetryPolicy = RetryPolicy(),
        handler: some MessageBatchHandler,
        logger: Logger
    ) {
        let inbox = DeliveryInbox()
        let options = ChannelOptions(
            declarations: declarations, confirms: true,
            consumption: .init(queue: queue, prefetch: prefetch, noAck: false)
        )
        // A loop that gives up delivers nothing more: closing the inbox ends `run()`.
        self.loop = ConnectionLoop(settings: settings, name: "consumer-\(queue)", logger: logger, onGiveUp: { _ in _ = inbox.close() }) {
            ChannelSession(options: options, deliverySink: { inbox.append($0) })
        }
        self.inbox = inbox
        self.queue = queue
        self.deadLetterExchange = deadLetterExchange
        self.handler = handler
        self.batchSize = batchSize
        self.retry = retry
        var logger = logger
        logger[metadataKey: "amqp.queue"] = .string(queue)
        self.logger = logger
        let dimensions = [("queue", queue)]
        consumed = Counter(label: "dialogue_messages_consumed_total", dimensions: dimensions)
        failed = Counter(label: "dialogue_messages_failed_total", dimensions: dimensions)
        deadLettered = Counter(label: "dialogue_messages_dead_lettered_total", dimensions: dimensions)
        handlerDuration = Metrics.Timer(label: "dialogue_message_handler_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
        overDeadline = Counter(label: "dialogue_handler_deadline_exceeded_total", dimensions: dimensions)
    }

    public var isConnected: Bool { loop.currentPhase == .connected }

    /// Consumes until graceful shutdown: the batch in hand finishes and is settled, what is
    /// still buffered is nacked back to the queue, then the connection closes. Throws when
    /// the broker can never be reached as configured (an unusable TLS file).
    public func run() async throws {
        loop.start()
        await withGracefulShutdownHandler {
            while let batch = await inbox.nextBatch(maximum: batchSize) {
                await process(batch)
            }
        } onGracefulShutdown: { [inbox, loop] in
            let rest = inbox.close()
            if !rest.isEmpty {
                loop.submit(.init(
                    run: { connection, session throws(AMQPError) in
                        for delivery in rest where delivery.connectionGeneration == session.currentGeneration {
                            try connection.nack(delivery.tag, requeue: true)
                        }
                    },
                    fail: { _ in }
                ))
            }
        }
        await loop.stop()
        if let failure = loop.fatalError { throw failure }
    }

    private var context: ConsumerContext {
        ConsumerContext { [loop] message throws(AMQPError) in
            try await loop.publishConfirmed(message)
        }
    }

    private func process(_ batch: [Delivery]) async {
        let start = ContinuousClock.now
        // Oversized bodies never reach the handler; the others keep their order.
        let readable = batch.indices.filter { batch[$0].message.body.count <= retry.maximumBodyBytes }
        var outcomes = batch.map { delivery in
            DeliveryOutcome.deadLetter(reason: "body of \(delivery.message.body.count) bytes is over the limit of \(retry.maximumBodyBytes)")
        }
        if !readable.isEmpty {
            let messages = readable.map { batch[$0].message }
            let handled = await Watchdog.result(within: retry.handlerDeadline) { [handler, context] in
                await handler.handle(messages, context: context)
            }
            if let handled, handled.count == readable.count {
                for (index, outcome) in zip(readable, handled) { outcomes[index] = outcome }
            } else if let handled {
                logger.error("handler returned \(handled.count) outcomes for \(readable.count) messages; retrying the batch")
                for index in readable { outcomes[index] = .retry(reason: "handler returned a wrong number of outcomes") }
            } else {
                overDeadline.increment()
                logger.error("handler still busy after its deadline; the batch goes back to the queue", metadata: [
                    "deadline_s": .stringConvertible(retry.handlerDeadline.components.seconds), "messages": .stringConvertible(readable.count),
                ])
                for index in readable { outcomes[index] = .retry(reason: "handler still busy after \(retry.handlerDeadline)") }
            }
        }
        handlerDuration.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
        consumed.increment(by: batch.count)

        // A message on its last allowed delivery is dead-lettered by us, with the reason,
        // rather than by the broker, which would not say why.
        for index in outcomes.indices {
            if case .retry(let reason) = outcomes[index],
               batch[index].message.previousDeliveries + 1 >= retry.deliveryLimit
            {
                outcomes[index] = .deadLetter(reason: "gave up after \(retry.deliveryLimit) deliveries: \(reason)")
            }
        }

        var requeue: [Bool] = Array(repeating: false, count: batch.count)
        var settleAsAck: [Bool] = Array(repeating: true, count: batch.count)
        var longestBackoff: Duration = .zero
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .ack:
                continue
            case .retry(let reason):
                failed.increment()
                // Logged in the message's trace, so the failure shows up with the rest of it.
                TraceContext.$current.withValue(batch[index].message.traceContext) {
                    logger.warning("message handling failed; will retry", metadata: [
                        "message_id": .string(batch[index].message.messageID ?? "-"), "reason": .string(reason),
                    ])
                }
                settleAsAck[index] = false
                requeue[index] = true
                longestBackoff = max(longestBackoff, retry.backoff(afterPreviousDeliveries: batch[index].message.previousDeliveries))
            case .deadLetter(let reason):
                let copy = batch[index].message.republished(
                    exchange: deadLetterExchange, routingKey: queue,
                    extraHeaders: ["dialogue-dead-letter-reason": .string(reason), "dialogue-dead-letter-queue": .string(queue)]
                )
                do {
                    try await context.publish(copy)
                    deadLettered.increment()
                    TraceContext.$current.withValue(batch[index].message.traceContext) {
                        logger.error("message dead-lettered", metadata: [
                            "message_id": .string(batch[index].message.messageID ?? "-"), "reason": .string(reason),
                        ])
                    }
                } catch {
                    // Not parked safely: leave it in the queue and try again.
                    settleAsAck[index] = false
                    requeue[index] = true
                }
            }
        }
        if longestBackoff > .zero {
            // Holding the failed messages briefly keeps a failing dependency from burning through the delivery limit.
            try? await Task.sleep(for: longestBackoff)
        }
        let settlements = Array(zip(batch, zip(settleAsAck, requeue)))
        loop.submit(.init(
            run: { connection, session throws(AMQPError) in
                for (delivery, (ack, requeue)) in settlements where delivery.connectionGeneration == session.currentGeneration {
                    if ack {
                        try connection.ack(delivery.tag)
                    } else {
                        try connection.nack(delivery.tag, requeue: requeue)
                    }
                }
            },
            fail: { _ in }  // The connection is gone: the broker redelivers every unsettled message.
        ))
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
