import Foundation
import Messaging
import NIOConcurrencyHelpers
import Testing
import TestSupport

/// Answers `echo` with the request's body, `echo.missing` with `not_found`, and records requests.
final class EchoResponder: RPCRequestHandler {
    private let received = NIOLockedValueBox<[IncomingMessage]>([])

    var requests: [IncomingMessage] { received.withLockedValue { $0 } }

    func respond(to request: IncomingMessage) async -> (status: RPCStatus, body: [UInt8]) {
        received.withLockedValue { $0.append(request) }
        return request.type == "echo.missing" ? (.notFound, Array("introuvable".utf8)) : (.ok, request.body)
    }
}

@Suite struct RPCTests {
    let topology = TestEnvironment.isolatedTopology()

    /// The RPC queue of `service`, declared the way a service declares its own.
    @discardableResult
    private func declareRPCQueue(_ service: String) async throws -> [TopologyElement] {
        let declarations = topology.exchanges + topology.workQueue(topology.rpcQueue(service), bindings: [(topology.rpcExchange, service)])
        try await BrokerAdmin.declare(declarations, settings: TestEnvironment.amqp)
        return declarations
    }

    private func server(for service: String, responder: EchoResponder, declarations: [TopologyElement]) -> AMQPConsumer {
        AMQPConsumer(
            settings: TestEnvironment.amqp, queue: topology.rpcQueue(service), deadLetterExchange: topology.deadLetterExchange,
            declarations: declarations, handler: RPCServer(handler: responder, logger: TestEnvironment.logger), logger: TestEnvironment.logger
        )
    }

    private func client() -> RPCClient {
        RPCClient(settings: TestEnvironment.amqp, topology: topology, logger: TestEnvironment.logger)
    }

    @Test func callGetsTheReplyToItsOwnRequest() async throws {
        // setup
        let declarations = try await declareRPCQueue("svc")
        let responder = EchoResponder()
        let client = client()
        let server = server(for: "svc", responder: responder, declarations: declarations)
        try await withRunningServices([server, client]) {
            try await eventually("connected") { server.isConnected && client.isConnected }
            // act
            let reply = try await client.call(service: "svc", type: "echo", body: Array("bonjour".utf8), headers: ["traceparent": .string("00-abc-def-01")])
            // check
            #expect(reply.text == "bonjour")
            #expect(reply.headers[RPCHeader.status] == .string(RPCStatus.ok.rawValue))
            #expect(reply.type == "echo.reply")
            let request = try #require(responder.requests.first)
            #expect(request.correlationID != nil)
            #expect(reply.correlationID == request.correlationID)
            #expect(request.replyTo?.hasPrefix("\(topology.prefix)rpc.reply.") == true)
            #expect(request.headers["traceparent"] == .string("00-abc-def-01"))
            #expect(request.headers[RPCHeader.deadline]?.intValue != nil)
        }
    }

    @Test func statusOtherThanOKComesBackInTheHeader() async throws {
        let declarations = try await declareRPCQueue("svc")
        let client = client()
        let server = server(for: "svc", responder: EchoResponder(), declarations: declarations)
        try await withRunningServices([server, client]) {
            try await eventually("connected") { server.isConnected && client.isConnected }
            let reply = try await client.call(service: "svc", type: "echo.missing", body: [])

            #expect(reply.headers[RPCHeader.status] == .string("not_found"))
            #expect(reply.text == "introuvable")
        }
    }

    @Test func concurrentCallsEachGetTheirOwnReply() async throws {
        // setup
        let declarations = try await declareRPCQueue("svc")
        let responder = EchoResponder()
        let client = client()
        let server = server(for: "svc", responder: responder, declarations: declarations)
        try await withRunningServices([server, client]) {
            try await eventually("connected") { server.isConnected && client.isConnected }
            // act
            let pairs = try await withThrowingTaskGroup(of: (String, String).self) { group in
                for number in 0..<50 {
                    group.addTask {
                        let reply = try await client.call(service: "svc", type: "echo", body: Array("appel \(number)".utf8))
                        return ("appel \(number)", reply.text)
                    }
                }
                var pairs: [(String, String)] = []
                for try await pair in group { pairs.append(pair) }
                return pairs
            }
            // check
            #expect(pairs.count == 50)
            #expect(pairs.allSatisfy { $0.0 == $0.1 })
            #expect(Set(responder.requests.compactMap(\.correlationID)).count == 50)
        }
    }

    @Test func callToAServiceNobodyServesExceedsItsDeadline() async throws {
        // setup: the queue exists, no consumer
        try await declareRPCQueue("asleep")
        let client = client()
        try await withRunningServices([client]) {
            try await eventually("connected") { client.isConnected }
            let start = ContinuousClock.now
            // act
            await #expect(throws: AMQPError.rpcDeadlineExceeded(type: "echo")) {
                try await client.call(service: "asleep", type: "echo", body: [], timeout: .milliseconds(300))
            }
            // check
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(300))
            #expect(elapsed < .seconds(5))
        }
        // The request carried its deadline as a TTL: nobody will find it later.
        try await eventually("the request expired") { try await readyMessages(topology.rpcQueue("asleep")) == 0 }
    }

    @Test func callToAServiceWithNoQueueFailsFastAsUnroutable() async throws {
        let client = client()
        try await withRunningServices([client]) {
            try await eventually("connected") { client.isConnected }
            let start = ContinuousClock.now

            await #expect(throws: AMQPError.unroutable(exchange: topology.rpcExchange, routingKey: "nobody")) {
                try await client.call(service: "nobody", type: "echo", body: [], timeout: .seconds(60))
            }
            // Far below the deadline: the broker's return ended the call, not the clock.
            #expect(ContinuousClock.now - start < .seconds(20))
        }
    }

    @Test func serverSkipsRequestsWhoseCallerStoppedWaiting() async throws {
        // setup: a request already past its deadline waits in the queue
        let declarations = try await declareRPCQueue("late")
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        await publisher.connect()
        let pastDeadline = Int64((Date().timeIntervalSince1970 - 60) * 1000)
        try await publisher.publish(OutgoingMessage(
            exchange: topology.rpcExchange, routingKey: "late", body: [], type: "echo",
            correlationID: "too-late", replyTo: "\(topology.prefix)nobody", headers: [RPCHeader.deadline: .int(pastDeadline)]
        ))
        let responder = EchoResponder()
        // act
        try await withRunningServices([server(for: "late", responder: responder, declarations: declarations)]) {
            try await eventually("the request settled") { try await readyMessages(topology.rpcQueue("late")) == 0 }
        }
        // check: acked without being answered, not dead-lettered
        #expect(responder.requests.isEmpty)
        #expect(try await readyMessages(topology.rpcQueue("late")) == 0)
        #expect(try await readyMessages(topology.deadLetterQueue(of: topology.rpcQueue("late"))) == 0)
        await publisher.close()
    }

    @Test func requestWithoutReplyToIsDeadLetteredUnanswered() async throws {
        // setup
        let declarations = try await declareRPCQueue("svc")
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        await publisher.connect()
        try await publisher.publish(OutgoingMessage(exchange: topology.rpcExchange, routingKey: "svc", body: [], type: "echo"))
        let responder = EchoResponder()
        // act
        try await withRunningServices([server(for: "svc", responder: responder, declarations: declarations)]) {
            try await eventually("the request dead-lettered") {
                try await readyMessages(topology.deadLetterQueue(of: topology.rpcQueue("svc"))) == 1
            }
        }
        // check
        #expect(responder.requests.isEmpty)
        #expect(try await readyMessages(topology.rpcQueue("svc")) == 0)
        let dead = try await BrokerAdmin.peek(queue: topology.deadLetterQueue(of: topology.rpcQueue("svc")), limit: 1, settings: TestEnvironment.amqp)
        #expect(dead.first?.headers["dialogue-dead-letter-reason"]?.stringValue?.contains("reply_to") == true)
        await publisher.close()
    }

    /// A caller whose task is cancelled (an HTTP client that hung up) must get its answer at
    /// once, whether or not the request went out.
    @Test func callFromACancelledTaskReturnsAtOnce() async throws {
        // setup: a queue nobody consumes, so no reply can end the call
        try await declareRPCQueue("asleep")
        let client = client()
        try await withRunningServices([client]) {
            try await eventually("connected") { client.isConnected }
            // act: race the call against a watchdog, so that a hung call fails the test instead of hanging it
            let outcome = await firstOf(
                { () async -> String in
                    withUnsafeCurrentTask { $0?.cancel() }
                    do {
                        _ = try await client.call(service: "asleep", type: "echo", body: [], timeout: .seconds(2))
                        return "replied"
                    } catch is CancellationError {
                        return "cancelled"
                    } catch {
                        return "\(error)"
                    }
                },
                orAfter: .seconds(4), "hung"
            )
            // check
            #expect(outcome == "cancelled" || outcome == AMQPError.rpcDeadlineExceeded(type: "echo").description, "\(outcome)")
        }
    }
}

/// The result of `operation`, or `fallback` when it takes longer than `limit`. The operation
/// runs in an unstructured task so that a hung operation cannot hang the caller.
func firstOf<Value: Sendable>(
    _ operation: @escaping @Sendable () async -> Value, orAfter limit: Duration, _ fallback: Value
) async -> Value {
    let result = NIOLockedValueBox<CheckedContinuation<Value, Never>?>(nil)
    return await withCheckedContinuation { (continuation: CheckedContinuation<Value, Never>) in
        result.withLockedValue { $0 = continuation }
        Task {
            let value = await operation()
            result.withLockedValue { $0.take() }?.resume(returning: value)
        }
        Task {
            try? await Task.sleep(for: limit)
            result.withLockedValue { $0.take() }?.resume(returning: fallback)
        }
    }
}
