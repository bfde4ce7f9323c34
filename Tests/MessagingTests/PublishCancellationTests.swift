import Foundation
@testable import Messaging
import Synchronization
import Testing
import TestSupport

/// A caller that stops waiting for a confirm gets its answer at once, and the connection
/// carries on as if nothing happened.
@Suite struct PublishCancellationTests {
    let topology = TestEnvironment.isolatedTopology()

    @Test func cancelledWaitForAConfirmReturnsAtOnce() async throws {
        // setup: a publish whose confirm never comes
        let submitted = Mutex<PendingConfirmation?>(nil)
        let waiting = Task {
            do throws(AMQPError) {
                try await awaitConfirmation { pending in submitted.withLock { $0 = pending } }
                return AMQPError?.none
            } catch {
                return error
            }
        }
        try await eventually("the publish submitted") { submitted.withLock { $0 != nil } }
        // act
        let start = ContinuousClock.now
        waiting.cancel()
        let error = await waiting.value
        // check: well before any confirm time-out
        #expect(error == .cancelled)
        #expect(ContinuousClock.now - start < .seconds(1))
        // A confirm arriving afterwards is ignored rather than resuming the caller twice.
        submitted.withLock { $0 }?.settle(.success(()))
    }

    @Test func publishCancelledBeforeItLeavesIsNotSentAndTheConnectionCarriesOn() async throws {
        // setup
        let queue = "\(topology.prefix)cancelled"
        try await declareWorkQueue(queue, key: "cancelled", topology: topology)
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        await publisher.connect()
        func message(_ text: String) -> OutgoingMessage {
            OutgoingMessage(exchange: topology.commandsExchange, routingKey: "cancelled", body: Array(text.utf8), type: "test.message")
        }
        // act: a caller cancelled before it publishes
        let cancelled = await Task {
            withUnsafeCurrentTask { $0?.cancel() }
            do throws(AMQPError) {
                try await publisher.publish(message("annulé"))
                return AMQPError?.none
            } catch {
                return error
            }
        }.value
        try await publisher.publish(message("après"))
        // check
        #expect(cancelled == .cancelled)
        #expect(cancelled?.isTransient == false)
        try await eventually("the message after the cancelled one queued") { try await readyMessages(queue) == 1 }
        let queued = try await BrokerAdmin.peek(queue: queue, limit: 5, settings: TestEnvironment.amqp)
        #expect(queued.map(\.text) == ["après"])
        await publisher.close()
    }

    /// A message returned as unroutable whose confirm then times out leaves nothing behind
    /// (it used to stay in the session until the connection closed).
    @Test func confirmTimeOutForgetsTheReturnedMessage() async throws {
        // setup: a session on a real connection, whose confirms time out at once
        let connection = try RabbitMQConnection(settings: TestEnvironment.amqp, connectionName: "returns")
        let session = ChannelSession(
            options: ChannelOptions(declarations: topology.exchanges, confirms: true, confirmTimeout: .zero),
            deliverySink: { _ in }
        )
        try session.connected(connection, generation: 1)
        let outcome = Mutex<Result<Void, AMQPError>?>(nil)
        let message = OutgoingMessage(exchange: topology.commandsExchange, routingKey: "nobody", body: [], type: "test.message")
        try session.publish(message, on: connection) { result in outcome.withLock { $0 = result } }
        // act: the broker's return is read, then the confirm is late
        try session.handle(
            .returned(replyCode: 312, replyText: "NO_ROUTE", message: IncomingMessage(body: [], messageID: message.messageID)),
            on: connection
        )
        #expect(session.returnedAwaitingConfirm == 1)
        try await Task.sleep(for: .milliseconds(5))  // lets the zero time-out pass; not a wait for a message
        try session.tick(connection)
        // check
        #expect(session.returnedAwaitingConfirm == 0)
        #expect(session.isIdle)
        let settled = try #require(outcome.withLock { $0 })
        #expect(throws: AMQPError.confirmTimeout) { try settled.get() }
    }
}

/// An unusable TLS file is a configuration error: the connection says so and stops instead
/// of retrying, and the service stops at start-up.
@Suite struct TLSConfigurationTests {
    /// `TEST_AMQPS_URL` (or a TLS URL on a closed port) with `cacertfile` replaced.
    private func settings(caFile: String) throws -> AMQPSettings {
        let base = ProcessInfo.processInfo.environment["TEST_AMQPS_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "amqps://guest:guest@localhost:1/"
        var components = try #require(URLComponents(string: base))
        components.queryItems = (components.queryItems ?? []).filter { $0.name != "cacertfile" }
            + [URLQueryItem(name: "cacertfile", value: caFile)]
        return try AMQPSettings(url: try #require(components.string))
    }

    private func garbageFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-ca-\(UUID().uuidString).pem").path
        try Data("ceci n'est pas un certificat\n".utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: ["missing", "garbage"])
    func unusableCAFileIsNamedWithoutConnecting(kind: String) throws {
        // setup
        let path = kind == "missing" ? "/nonexistent/dialogue-ca-\(UUID().uuidString).pem" : try garbageFile()
        let settings = try settings(caFile: path)
        // act
        let error = #expect(throws: AMQPError.self) { try settings.checkTLSFiles() }
        // check
        #expect(error?.isConfigurationError == true)
        #expect(error?.isTransient == false)
        #expect(error?.description.contains(path) == true, "\(String(describing: error))")
    }

    @Test func usableCAFilePassesTheCheck() throws {
        let url = try #require(ProcessInfo.processInfo.environment["TEST_AMQPS_URL"], "run with deploy/local/test")
        try AMQPSettings(url: url).checkTLSFiles()
    }

    @Test func publisherAndConsumerWithAnUnusableCAFileStopInsteadOfRetrying() async throws {
        // setup
        let path = "/nonexistent/dialogue-ca-\(UUID().uuidString).pem"
        let settings = try settings(caFile: path)
        let publisher = AMQPPublisher(settings: settings, logger: TestEnvironment.logger)
        let consumer = AMQPConsumer(
            settings: settings, queue: "unused", deadLetterExchange: "unused", handler: RecordingHandler(), logger: TestEnvironment.logger
        )
        // act / check: each `run()` ends with the error, long before a retry would have given up
        for service in [publisher, consumer] as [any RunnableForTest] {
            let start = ContinuousClock.now
            let error = await #expect(throws: AMQPError.self) { try await service.run() }
            #expect(ContinuousClock.now - start < .seconds(5))
            if case .tlsConfiguration(let text)? = error {
                #expect(text.contains(path))
            } else {
                Issue.record("expected a TLS configuration error, got \(String(describing: error))")
            }
        }
        // A publish afterwards fails with the same reason, at once.
        let error = await #expect(throws: AMQPError.self) {
            try await publisher.publish(OutgoingMessage(exchange: "x", routingKey: "y", body: [], type: "test.message"))
        }
        #expect(error?.isConfigurationError == true)
    }
}

/// The publisher and the consumer, run alone.
private protocol RunnableForTest: Sendable {
    func run() async throws
}

extension AMQPPublisher: RunnableForTest {}
extension AMQPConsumer: RunnableForTest {}
