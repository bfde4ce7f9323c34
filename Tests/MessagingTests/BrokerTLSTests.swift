import Foundation
import Messaging
import Testing
import TestSupport

/// AMQP over TLS (`amqps://`) against the TLS listener that deploy/local/test gives the test
/// broker: `TEST_AMQPS_URL` trusts the broker's private CA, `TEST_AMQPS_WRONG_CA` is an
/// unrelated CA that must not be enough to connect.
@Suite struct BrokerTLSTests {
    let topology = TestEnvironment.isolatedTopology()

    /// A variable of the test command. Missing, the tests fail and say why: a silent skip
    /// would let TLS break unnoticed.
    private func variable(_ name: String) throws -> String {
        try #require(
            ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 },
            "\(name) is not set: run the tests with deploy/local/test, which starts RabbitMQ with a TLS listener"
        )
    }

    private var tlsURL: String { get throws { try variable("TEST_AMQPS_URL") } }

    /// `TEST_AMQPS_URL` with `cacertfile` set to the unrelated CA, `verify` to `verify`, and a
    /// short connection timeout (the refusal must come quickly, not after retries).
    private func wrongCASettings(verify: String) throws -> AMQPSettings {
        let wrongCA = try variable("TEST_AMQPS_WRONG_CA")
        var components = try #require(URLComponents(string: try tlsURL))
        components.queryItems = (components.queryItems ?? []).filter { !["cacertfile", "verify", "connection_timeout"].contains($0.name) }
            + [URLQueryItem(name: "cacertfile", value: wrongCA), URLQueryItem(name: "verify", value: verify),
               URLQueryItem(name: "connection_timeout", value: "3000")]
        let settings = try AMQPSettings(url: try #require(components.string))
        #expect(settings.tls?.caCertificatePath == wrongCA)
        #expect(settings.tls?.verifyPeer == (verify == "verify_peer"))
        return settings
    }

    @Test func messageIsPublishedAndConsumedOverTLS() async throws {
        // setup: the URL of the TLS listener, which verifies the broker (the default)
        let tls = try AMQPSettings(url: try tlsURL)
        #expect(tls.tls != nil)
        #expect(tls.tls?.verifyPeer == true)
        #expect(tls.port != TestEnvironment.amqp.port)
        let queue = "\(topology.prefix)tls"
        try await BrokerAdmin.declare(
            topology.exchanges + topology.workQueue(queue, bindings: [(topology.commandsExchange, "tls")]), settings: tls
        )
        let publisher = AMQPPublisher(settings: tls, name: "tls-publisher", logger: TestEnvironment.logger)
        let handler = RecordingHandler()
        let consumer = AMQPConsumer(
            settings: tls, queue: queue, deadLetterExchange: topology.deadLetterExchange,
            handler: handler, logger: TestEnvironment.logger
        )
        // act
        try await withRunningServices([publisher, consumer]) {
            try await eventually("the publisher connected over TLS") { publisher.isConnected }
            try await publisher.publish(OutgoingMessage(
                exchange: topology.commandsExchange, routingKey: "tls", body: Array("bonjour en TLS".utf8), type: "test.tls"
            ))
            try await eventually("the consumer received the message over TLS") { handler.messages.count == 1 }
        }
        // check
        #expect(handler.messages.map(\.text) == ["bonjour en TLS"])
        #expect(handler.messages.first?.type == "test.tls")
        #expect(try await BrokerAdmin.messageCount(queue: queue, settings: tls) == 0)
    }

    @Test func brokerSignedByAnotherCAIsRefused() async throws {
        // setup
        let settings = try wrongCASettings(verify: "verify_peer")
        // act / check: an error, within a few seconds
        let error = await #expect(throws: AMQPError.self) {
            try await within(.seconds(6), "the TLS connection with the wrong CA to fail") {
                try await BrokerAdmin.declare(topology.exchanges, settings: settings)
            }
        }
        // Refused while opening the socket (the TLS handshake), not later by AMQP.
        if let error {
            var failedToConnect = false
            if case .library(let operation, _) = error { failedToConnect = operation.hasPrefix("connect to") }
            #expect(failedToConnect, "expected the TLS handshake to fail, got: \(error)")
        }
    }

    @Test func wrongCAIsIgnoredWithVerifyNone() async throws {
        // The control of the test above: the same CA file works once verification is off,
        // so the refusal there comes from verifying the broker, not from an unreadable file.
        let settings = try wrongCASettings(verify: "verify_none")
        try await within(.seconds(15), "declaring over TLS without verification") {
            try await BrokerAdmin.declare(topology.exchanges, settings: settings)
        }
    }
}

/// `within` gave up.
private struct DeadlineExceeded: Error, CustomStringConvertible {
    let what: String
    let limit: Duration
    var description: String { "gave up after \(limit) waiting for \(what)" }
}

/// Runs `operation`, giving up after `limit`. A rabbitmq-c call blocked in its own thread cannot
/// be cancelled, so the operation runs in a task of its own that is left behind on timeout:
/// a hang then fails the test instead of stalling the whole run.
private func within<Value: Sendable>(
    _ limit: Duration, _ what: String, _ operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    let (outcomes, continuation) = AsyncStream.makeStream(of: Result<Value, any Error>?.self)
    let work = Task {
        do {
            continuation.yield(.success(try await operation()))
        } catch {
            continuation.yield(.failure(error))
        }
    }
    let timer = Task {
        try? await Task.sleep(for: limit)
        continuation.yield(nil)
    }
    defer { timer.cancel() }
    for await outcome in outcomes {
        guard let outcome else {
            work.cancel()
            break
        }
        return try outcome.get()
    }
    throw DeadlineExceeded(what: what, limit: limit)
}
