import Foundation
import NIOConcurrencyHelpers

/// A declaration to (re)apply on every connection, so a restarted broker finds its topology again.
public enum TopologyElement: Sendable {
    case exchange(name: String, type: String)
    case queue(name: String, arguments: [String: HeaderValue], durable: Bool = true, exclusive: Bool = false, autoDelete: Bool = false)
    case binding(queue: String, exchange: String, routingKey: String)
}

/// How a connection's channel behaves: which declarations it applies, whether it
/// publishes with confirms, and which queue it consumes.
struct ChannelOptions: Sendable {
    struct Consumption: Sendable {
        var queue: String
        var prefetch: Int
        var noAck: Bool
    }

    var declarations: [TopologyElement] = []
    var confirms = true
    /// Most messages published and not yet confirmed; more wait on the thread.
    var confirmWindow = 1024
    var confirmTimeout: Duration = .seconds(15)
    var consumption: Consumption?
}

/// The per-connection state of a channel: publisher confirms in flight and consumption.
/// Touched only on its `ConnectionLoop` thread.
final class ChannelSession: ConnectionSession {
    typealias Confirmation = @Sendable (Result<Void, AMQPError>) -> Void

    private struct InFlight {
        let messageID: String
        let exchange: String
        let routingKey: String
        let sentAt: ContinuousClock.Instant
        let confirmation: Confirmation
    }

    private let options: ChannelOptions
    private let deliverySink: @Sendable ([Delivery]) -> Void
    private var generation = 0
    private var nextTag: UInt64 = 1
    private var inFlight: [UInt64: InFlight] = [:]
    private var parked: [(OutgoingMessage, Confirmation)] = []
    /// Messages the broker returned as unroutable, until their confirm (which follows) settles them.
    private var returnedIDs: Set<String> = []
    private var received: [Delivery] = []

    init(options: ChannelOptions, deliverySink: @escaping @Sendable ([Delivery]) -> Void) {
        self.options = options
        self.deliverySink = deliverySink
    }

    var currentGeneration: Int { generation }

    var isIdle: Bool { inFlight.isEmpty && parked.isEmpty }

    /// Returned messages still waiting for their confirm (tests check nothing lingers).
    var returnedAwaitingConfirm: Int { returnedIDs.count }

    func connected(_ connection: RabbitMQConnection, generation: Int) throws(AMQPError) {
        self.generation = generation
        nextTag = 1
        for element in options.declarations {
            try declare(element, on: connection)
        }
        if options.confirms {
            try connection.enablePublisherConfirms()
        }
        if let consumption = options.consumption {
            if !consumption.noAck { try connection.setPrefetch(consumption.prefetch) }
            try connection.consume(queue: consumption.queue, noAck: consumption.noAck)
        }
    }

    /// Publishes now, or parks the message while the confirm window is full.
    func publish(_ message: OutgoingMessage, on connection: RabbitMQConnection, confirmation: @escaping Confirmation) throws(AMQPError) {
        guard options.confirms else {
            try connection.publish(message)
            confirmation(.success(()))
            return
        }
        if inFlight.count >= options.confirmWindow {
            parked.append((message, confirmation))
            return
        }
        try send(message, on: connection, confirmation: confirmation)
    }

    private func send(_ message: OutgoingMessage, on connection: RabbitMQConnection, confirmation: @escaping Confirmation) throws(AMQPError) {
        // On failure the caller settles `confirmation`: exactly one of them must.
        try connection.publish(message)
        inFlight[nextTag] = InFlight(
            messageID: message.messageID, exchange: message.exchange, routingKey: message.routingKey,
            sentAt: .now, confirmation: confirmation
        )
        nextTag += 1
    }

    func handle(_ event: InboundEvent, on connection: RabbitMQConnection) throws(AMQPError) {
        switch event {
        case .confirmed(let tag, let multiple):
            settle(upTo: tag, multiple: multiple) { entry in
                self.returnedIDs.remove(entry.messageID) != nil
                    ? .failure(.unroutable(exchange: entry.exchange, routingKey: entry.routingKey))
                    : .success(())
            }
        case .refused(let tag, let multiple):
            settle(upTo: tag, multiple: multiple) { _ in .failure(.rejectedByBroker) }
        case .returned(_, _, let message):
            // A return always precedes the confirm of the same message.
            if let id = message.messageID { returnedIDs.insert(id) }
        case .delivered(let tag, let message):
            received.append(Delivery(message: message, tag: tag, connectionGeneration: generation))
        case .consumerCancelled:
            throw AMQPError.connectionLost("the broker cancelled the consumer (queue deleted?)")
        case .blocked, .unblocked:
            break
        }
    }

    private func settle(upTo tag: UInt64, multiple: Bool, outcome: (InFlight) -> Result<Void, AMQPError>) {
        let tags: [UInt64] = multiple ? inFlight.keys.filter { $0 <= tag } : [tag]
        for settled in tags {
            if let entry = inFlight.removeValue(forKey: settled) {
                entry.confirmation(outcome(entry))
            }
        }
    }

    func tick(_ connection: RabbitMQConnection) throws(AMQPError) {
        if !received.isEmpty {
            deliverySink(received)
            received = []
        }
        if !inFlight.isEmpty {
            let deadline = ContinuousClock.now - options.confirmTimeout
            for (tag, entry) in inFlight where entry.sentAt < deadline {
                inFlight.removeValue(forKey: tag)
                // Its confirm, if it ever comes, finds no entry: the return is forgotten now.
                returnedIDs.remove(entry.messageID)
                entry.confirmation(.failure(.confirmTimeout))
            }
        }
        while !parked.isEmpty && inFlight.count < options.confirmWindow {
            let (message, confirmation) = parked.removeFirst()
            do {
                try send(message, on: connection, confirmation: confirmation)
            } catch {
                confirmation(.failure(error))
                throw error
            }
        }
    }

    func disconnected(because error: AMQPError) {
        let lost = AMQPError.connectionLost(error.description)
        for entry in inFlight.values { entry.confirmation(.failure(lost)) }
        inFlight = [:]
        for (_, confirmation) in parked { confirmation(.failure(.notConnected)) }
        parked = []
        returnedIDs = []
        // Unsettled deliveries return to the queue with the connection; drop them here.
        received = []
    }

    private func declare(_ element: TopologyElement, on connection: RabbitMQConnection) throws(AMQPError) {
        switch element {
        case .exchange(let name, let type):
            try connection.declareExchange(name, type: type)
        case .queue(let name, let arguments, let durable, let exclusive, let autoDelete):
            try connection.declareQueue(QueueDeclaration(
                name: name, durable: durable, exclusive: exclusive, autoDelete: autoDelete, arguments: arguments
            ))
        case .binding(let queue, let exchange, let routingKey):
            try connection.bindQueue(queue, exchange: exchange, routingKey: routingKey)
        }
    }
}

/// One caller waiting for a publish to be confirmed: settled once, by the broker's answer,
/// by a failure, or by the caller's cancellation, whichever comes first.
final class PendingConfirmation: Sendable {
    private struct State {
        var waiter: CheckedContinuation<Result<Void, AMQPError>, Never>?
        var outcome: Result<Void, AMQPError>?
    }

    private let state = NIOLockedValueBox(State())

    /// Whether an outcome is known (then the message need not be sent any more).
    var isSettled: Bool { state.withLockedValue { $0.outcome != nil } }

    /// Records the outcome and wakes the caller; later outcomes are ignored.
    func settle(_ outcome: Result<Void, AMQPError>) {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Result<Void, AMQPError>, Never>? in
            guard state.outcome == nil else { return nil }
            state.outcome = outcome
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: outcome)
    }

    fileprivate func wait(_ waiter: CheckedContinuation<Result<Void, AMQPError>, Never>) {
        let known = state.withLockedValue { state -> Result<Void, AMQPError>? in
            if state.outcome == nil { state.waiter = waiter }
            return state.outcome
        }
        if let known { waiter.resume(returning: known) }
    }
}

/// Bridges a confirmation callback to async/await. A cancelled caller returns at once with
/// `.cancelled`, and `submit` is not called if it was cancelled before.
func awaitConfirmation(_ submit: (PendingConfirmation) -> Void) async throws(AMQPError) {
    let pending = PendingConfirmation()
    let result = await withTaskCancellationHandler {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, AMQPError>, Never>) in
            pending.wait(continuation)
            if !pending.isSettled { submit(pending) }
        }
    } onCancel: {
        pending.settle(.failure(.cancelled))
    }
    try result.get()
}

extension ConnectionLoop where Session == ChannelSession {
    /// Publishes on this loop's channel and waits for the broker's confirm (or the caller's cancellation).
    func publishConfirmed(_ message: OutgoingMessage) async throws(AMQPError) {
        try await awaitConfirmation { pending in
            submit(.init(
                run: { connection, session throws(AMQPError) in
                    // Cancelled while queued for the thread: the caller no longer waits, so do not send it.
                    guard !pending.isSettled else { return }
                    try session.publish(message, on: connection) { pending.settle($0) }
                },
                fail: { pending.settle(.failure($0)) }
            ))
        }
    }
}
