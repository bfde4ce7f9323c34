import Foundation
import Messaging
import NIOConcurrencyHelpers
import Testing
import TestSupport

/// Records what a consumer was handed and answers with a scripted outcome.
final class RecordingHandler: MessageBatchHandler {
    private let received = NIOLockedValueBox<[IncomingMessage]>([])
    private let decide: @Sendable (IncomingMessage) -> DeliveryOutcome

    init(decide: @escaping @Sendable (IncomingMessage) -> DeliveryOutcome = { _ in .ack }) {
        self.decide = decide
    }

    var messages: [IncomingMessage] { received.withLockedValue { $0 } }

    func handle(_ batch: [IncomingMessage], context: ConsumerContext) async -> [DeliveryOutcome] {
        received.withLockedValue { $0.append(contentsOf: batch) }
        return batch.map(decide)
    }
}

@Suite struct PublishConsumeTests {
    let topology = TestEnvironment.isolatedTopology()

    private func queueDeclarations(_ queue: String, key: String) -> [TopologyElement] {
        topology.exchanges + topology.workQueue(queue, bindings: [(topology.commandsExchange, key)])
    }

    private func message(_ key: String, _ text: String) -> OutgoingMessage {
        OutgoingMessage(exchange: topology.commandsExchange, routingKey: key, body: Array(text.utf8), type: "test.message")
    }

    @Test func publishedMessageIsConfirmedAndConsumedOnce() async throws {
        // setup
        let queue = "\(topology.prefix)work"
        try await BrokerAdmin.declare(queueDeclarations(queue, key: "work"), settings: TestEnvironment.amqp)
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        await publisher.connect()
        // act
        try await publisher.publish(message("work", "bonjour"))
        try await publisher.publish(message("work", "au revoir"))
        // check
        #expect(try await BrokerAdmin.messageCount(queue: queue, settings: TestEnvironment.amqp) == 2)
        let handler = RecordingHandler()
        let consumer = AMQPConsumer(
            settings: TestEnvironment.amqp, queue: queue, deadLetterExchange: topology.deadLetterExchange,
            handler: handler, logger: TestEnvironment.logger
        )
        try await withRunningServices([consumer]) {
            try await eventually("two deliveries") { handler.messages.count == 2 }
        }
        #expect(handler.messages.map { String(decoding: $0.body, as: UTF8.self) }.sorted() == ["au revoir", "bonjour"])
        #expect(handler.messages.allSatisfy { $0.type == "test.message" && $0.messageID != nil })
        #expect(try await BrokerAdmin.messageCount(queue: queue, settings: TestEnvironment.amqp) == 0)
        await publisher.close()
    }

    @Test func unroutableMessageIsReportedToThePublisher() async throws {
        try await BrokerAdmin.declare(topology.exchanges, settings: TestEnvironment.amqp)
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        await publisher.connect()
        await #expect(throws: AMQPError.unroutable(exchange: topology.commandsExchange, routingKey: "nobody")) {
            try await publisher.publish(message("nobody", "perdu"))
        }
        await publisher.close()
    }

    @Test func failedMessageIsRedeliveredThenDeadLetteredWhileOthersFlow() async throws {
        // setup: "poison" always fails, "good" succeeds
        let queue = "\(topology.prefix)retry"
        try await BrokerAdmin.declare(queueDeclarations(queue, key: "retry"), settings: TestEnvironment.amqp)
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        await publisher.connect()
        let handler = RecordingHandler { message in
            String(decoding: message.body, as: UTF8.self) == "poison" ? .retry(reason: "always fails") : .ack
        }
        let consumer = AMQPConsumer(
            settings: TestEnvironment.amqp, queue: queue, deadLetterExchange: topology.deadLetterExchange,
            retry: RetryPolicy(deliveryLimit: 3, initialBackoff: .milliseconds(10), maximumBackoff: .milliseconds(50)),
            handler: handler, logger: TestEnvironment.logger
        )
        // act
        try await withRunningServices([consumer]) {
            try await publisher.publish(message("retry", "poison"))
            try await eventually("the poison message dead-lettered") {
                try await BrokerAdmin.messageCount(queue: topology.deadLetterQueue(of: queue), settings: TestEnvironment.amqp) == 1
            }
            try await publisher.publish(message("retry", "good"))
            try await eventually("the good message handled") {
                handler.messages.contains { String(decoding: $0.body, as: UTF8.self) == "good" }
            }
        }
        // check
        let poisonDeliveries = handler.messages.filter { String(decoding: $0.body, as: UTF8.self) == "poison" }
        #expect(poisonDeliveries.count == 3)
        #expect(poisonDeliveries.map(\.previousDeliveries) == [0, 1, 2])
        let dead = try await BrokerAdmin.peek(queue: topology.deadLetterQueue(of: queue), limit: 5, settings: TestEnvironment.amqp)
        #expect(dead.count == 1)
        #expect(dead.first?.headers["dialogue-dead-letter-reason"]?.stringValue?.contains("always fails") == true)
        await publisher.close()
    }
}
