import Foundation
import Messaging
import Testing
import TestSupport

/// With the nodes of a cluster in `AMQP_URL`, publishers, consumers and RPC clients reach
/// whichever node answers: here two of three "nodes" are away (one refuses connections,
/// one accepts them and never answers), and every kind of connection still gets through to
/// the live broker, whichever node it tries first.
@Suite struct BrokerFailoverTests {
    let topology = TestEnvironment.isolatedTopology()

    /// The test broker listed last, after a port nothing listens on and a silent listener.
    private func clusterWithTwoNodesAway(_ silent: SilentListener) throws -> AMQPSettings {
        let live = try AMQPSettings(url: TestEnvironment.amqpURL)
        #expect(live.tls == nil, "the test broker's plain URL")
        let away = ["amqp://\(live.user):\(live.password)@127.0.0.1:1/", "amqp://\(live.user):\(live.password)@127.0.0.1:\(silent.port)/"]
        return try AMQPSettings(url: (away + [TestEnvironment.amqpURL]).joined(separator: ","))
    }

    @Test func publisherAndConsumerReachTheNodeThatAnswers() async throws {
        let silent = try SilentListener()
        defer { silent.close() }
        let cluster = try clusterWithTwoNodesAway(silent)
        let queue = "\(topology.prefix)failover"
        try await BrokerAdmin.declare(
            topology.exchanges + topology.workQueue(queue, bindings: [(topology.commandsExchange, "failover")]), settings: cluster
        )
        let publisher = AMQPPublisher(settings: cluster, logger: TestEnvironment.logger)
        let handler = RecordingHandler()
        let consumer = AMQPConsumer(
            settings: cluster, queue: queue, deadLetterExchange: topology.deadLetterExchange, handler: handler, logger: TestEnvironment.logger
        )
        try await withRunningServices([publisher, consumer]) {
            // act: publish as soon as the publisher has found the live node
            try await eventually(timeout: .seconds(30), "publisher connected") { publisher.isConnected }
            for number in 1...5 {
                try await publisher.publish(OutgoingMessage(
                    exchange: topology.commandsExchange, routingKey: "failover", body: Array("message \(number)".utf8), type: "test.message"
                ))
            }
            // check: every message confirmed went through the consumer's connection too
            try await eventually(timeout: .seconds(30), "five deliveries") { handler.messages.count == 5 }
        }
        #expect(Set(handler.messages.map { String(decoding: $0.body, as: UTF8.self) }) == Set((1...5).map { "message \($0)" }))
    }

    @Test func aDeadNodeFirstIsSkippedByTheAdministrationCalls() async throws {
        let silent = try SilentListener()
        defer { silent.close() }
        let cluster = try clusterWithTwoNodesAway(silent)
        let queue = "\(topology.prefix)admin-failover"
        // act: the first node refuses, the second never answers (its connect times out)
        try await BrokerAdmin.declare(topology.exchanges + topology.workQueue(queue, bindings: []), settings: cluster)
        // check: the queue exists on the live broker
        #expect(try await BrokerAdmin.messageCount(queue: queue, settings: TestEnvironment.amqp) == 0)
    }
}
