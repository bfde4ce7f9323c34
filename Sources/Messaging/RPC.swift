import Foundation
public import Logging
import NIOConcurrencyHelpers
public import ServiceLifecycle

/// The outcome of an RPC as carried in the reply's `rpc-status` header.
public enum RPCStatus: String, Sendable, Codable {
    case ok
    case invalid
    case notFound = "not_found"
    case conflict
    case failed
}

/// Headers of the RPC protocol.
public enum RPCHeader {
    public static let status = "rpc-status"
    /// Milliseconds since 1970 after which nobody waits for the answer.
    public static let deadline = "rpc-deadline"
}

/// Sends requests to a service's RPC queue and waits for the reply on a private queue.
public final class RPCClient: Service, Sendable {
    private typealias Waiter = CheckedContinuation<IncomingMessage, any Error>
    private let loop: ConnectionLoop<ChannelSession>
    private let waiters: NIOLockedValueBox<[String: Waiter]>
    private let replyQueue: String
    private let topology: MessagingTopology

    public init(settings: AMQPSettings, topology: MessagingTopology, name: String = "rpc-client", logger: Logger) {
        let waiters = NIOLockedValueBox<[String: Waiter]>([:])
        let replyQueue = "\(topology.prefix)rpc.reply.\(UUID().uuidString.lowercased())"
        let options = ChannelOptions(
            declarations: topology.exchanges + [
                .queue(name: replyQueue, arguments: [:], durable: false, exclusive: true, autoDelete: true)
            ],
            confirms: true,
            consumption: .init(queue: replyQueue, prefetch: 0, noAck: true)
        )
        self.loop = ConnectionLoop(settings: settings, name: name, logger: logger) {
            ChannelSession(options: options) { deliveries in
                for delivery in deliveries {
                    guard let id = delivery.message.correlationID,
                          let waiter = waiters.withLockedValue({ $0.removeValue(forKey: id) })
                    else { continue }  // Late reply to a call that already timed out.
                    waiter.resume(returning: delivery.message)
                }
            }
        }
        self.waiters = waiters
        self.replyQueue = replyQueue
        self.topology = topology
    }

    /// Runs until graceful shutdown; throws when the broker can never be reached as configured (an unusable TLS file).
    public func run() async throws {
        try await loop.runUntilShutdown()
    }

    public var isConnected: Bool { loop.currentPhase == .connected }

    /// Starts the connection without a service group (tools and tests) and waits for it.
    public func connect() async {
        loop.start()
        await loop.waitUntilConnected()
    }

    public func close() async {
        await loop.stop()
    }

    /// Sends `body` as a request of `type` to `service` and returns the reply, or throws
    /// `.rpcDeadlineExceeded` when none comes within `timeout`. The request carries the
    /// current trace context unless `headers` name a `traceparent`.
    public func call(
        service: String, type: String, body: [UInt8], timeout: Duration = .seconds(5), headers: [String: HeaderValue] = [:]
    ) async throws -> IncomingMessage {
        let correlationID = UUID().uuidString.lowercased()
        let deadline = Date().addingTimeInterval(Double(timeout.milliseconds) / 1000)
        var requestHeaders = headers
        requestHeaders[RPCHeader.deadline] = .int(Int64(deadline.timeIntervalSince1970 * 1000))
        if requestHeaders[EnvelopeHeader.traceparent] == nil {
            requestHeaders[EnvelopeHeader.traceparent] = .string((TraceContext.current ?? .make()).traceparent)
        }
        let request = OutgoingMessage(
            exchange: topology.rpcExchange, routingKey: service, body: body, type: type,
            correlationID: correlationID, replyTo: replyQueue,
            expirationMilliseconds: Int(timeout.milliseconds), headers: requestHeaders, persistent: false
        )
        return try await withThrowingTaskGroup(of: IncomingMessage.self) { group in
            group.addTask { try await self.send(request, correlationID: correlationID) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw AMQPError.rpcDeadlineExceeded(type: type)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    private func send(_ request: OutgoingMessage, correlationID: String) async throws -> IncomingMessage {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (waiter: Waiter) in
                waiters.withLockedValue { $0[correlationID] = waiter }
                // Cancelled before the waiter was registered: `onCancel` found nothing to resume.
                if Task.isCancelled {
                    waiters.withLockedValue { $0.removeValue(forKey: correlationID) }?.resume(throwing: CancellationError())
                    return
                }
                let fail: @Sendable (AMQPError) -> Void = { [waiters] error in
                    waiters.withLockedValue { $0.removeValue(forKey: correlationID) }?.resume(throwing: error)
                }
                loop.submit(.init(
                    run: { connection, session throws(AMQPError) in
                        try session.publish(request, on: connection) { result in
                            if case .failure(let error) = result { fail(error) }
                        }
                    },
                    fail: fail
                ))
            }
        } onCancel: {
            waiters.withLockedValue { $0.removeValue(forKey: correlationID) }?.resume(throwing: CancellationError())
        }
    }
}

/// Answers one kind of request; the RPC server routes requests to handlers by message type.
public protocol RPCRequestHandler: Sendable {
    func respond(to request: IncomingMessage) async -> (status: RPCStatus, body: [UInt8])
}

/// Serves a service's RPC queue: runs the requests of a batch concurrently, publishes
/// each reply to the caller's queue, and skips requests whose caller stopped waiting.
public struct RPCServer: MessageBatchHandler {
    private let handler: any RPCRequestHandler
    private let logger: Logger

    public init(handler: some RPCRequestHandler, logger: Logger) {
        self.handler = handler
        self.logger = logger
    }

    public func handle(_ batch: [IncomingMessage], context: ConsumerContext) async -> [DeliveryOutcome] {
        await withTaskGroup(of: (Int, DeliveryOutcome).self) { group in
            for (index, request) in batch.enumerated() {
                group.addTask { (index, await self.serve(request, context: context)) }
            }
            var outcomes = Array(repeating: DeliveryOutcome.ack, count: batch.count)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes
        }
    }

    private func serve(_ request: IncomingMessage, context: ConsumerContext) async -> DeliveryOutcome {
        // The request's work, and its logs, belong to the caller's trace.
        await TraceContext.$current.withValue(TraceContext(handling: request)) {
            let outcome = await answer(request, context: context)
            logger.debug("request answered", metadata: ["type": .string(request.type ?? "-")])
            return outcome
        }
    }

    private func answer(_ request: IncomingMessage, context: ConsumerContext) async -> DeliveryOutcome {
        guard let replyTo = request.replyTo, let correlationID = request.correlationID else {
            return .deadLetter(reason: "RPC request without reply_to or correlation_id")
        }
        if let deadline = request.headers[RPCHeader.deadline]?.intValue,
           Int64(Date().timeIntervalSince1970 * 1000) > deadline
        {
            logger.debug("skipping an RPC request past its deadline", metadata: ["type": .string(request.type ?? "-")])
            return .ack
        }
        let (status, body) = await handler.respond(to: request)
        let reply = OutgoingMessage(
            exchange: "", routingKey: replyTo, body: body, type: "\(request.type ?? "rpc").reply",
            correlationID: correlationID, headers: [RPCHeader.status: .string(status.rawValue)],
            persistent: false, mandatory: false
        )
        do {
            try await context.publish(reply)
        } catch {
            // The caller cannot be reached; it will time out. The request itself was handled.
            logger.warning("could not publish an RPC reply", metadata: ["error": .string("\(error)")])
        }
        return .ack
    }
}
