import Foundation
import Messaging
import NIOConcurrencyHelpers
import Testing
import TestSupport

/// What a consumer does with a handler's `.retry` and `.deadLetter`, and replaying dead letters.
@Suite struct DeliveryOutcomeTests {
    let topology = TestEnvironment.isolatedTopology()

    private func message(_ key: String, _ text: String, id: String = UUID().uuidString.lowercased()) -> OutgoingMessage {
        OutgoingMessage(exchange: topology.commandsExchange, routingKey: key, body: Array(text.utf8), messageID: id, type: "test.message")
    }

    private func consumer(of queue: String, handler: some MessageBatchHandler) -> AMQPConsumer {
        AMQPConsumer(
            settings: TestEnvironment.amqp, queue: queue, deadLetterExchange: topology.deadLetterExchange,
            retry: RetryPolicy(deliveryLimit: 3, initialBackoff: .milliseconds(10), maximumBackoff: .milliseconds(50)),
            handler: handler, logger: TestEnvironment.logger
        )
    }

    @Test func retriedMessageIsRedeliveredOnceThenAcked() async throws {
        // setup: the first delivery fails, the second succeeds
        let queue = "\(topology.prefix)flaky"
        try await declareWorkQueue(queue, key: "flaky", topology: topology)
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        await publisher.connect()
        let handler = RecordingHandler { message in
            message.redelivered ? .ack : .retry(reason: "database away")
        }
        // act
        try await withRunningServices([consumer(of: queue, handler: handler)]) {
            try await publisher.publish(message("flaky", "une fois"))
            try await eventually("the redelivery") { handler.messages.count == 2 }
        }
        // check
        let deliveries = handler.messages
        #expect(deliveries.count == 2)
        #expect(deliveries.map(\.redelivered) == [false, true])
        #expect(deliveries.map(\.previousDeliveries) == [0, 1])
        #expect(Set(deliveries.map(\.messageID)).count == 1)
        #expect(deliveries.allSatisfy { $0.text == "une fois" })
        // The consumer is stopped: an unacked message would be back in the queue.
        #expect(try await readyMessages(queue) == 0)
        #expect(try await readyMessages(topology.deadLetterQueue(of: queue)) == 0)
        await publisher.close()
    }

    @Test func deadLetteredMessageMovesToTheDeadQueueAtOnceWithItsReason() async throws {
        // setup
        let queue = "\(topology.prefix)poison"
        try await declareWorkQueue(queue, key: "poison", topology: topology)
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        await publisher.connect()
        let handler = RecordingHandler { _ in .deadLetter(reason: "unknown message type") }
        let id = UUID().uuidString.lowercased()
        // act
        try await withRunningServices([consumer(of: queue, handler: handler)]) {
            try await publisher.publish(message("poison", "illisible", id: id))
            try await eventually("the message dead-lettered") {
                try await readyMessages(topology.deadLetterQueue(of: queue)) == 1
            }
        }
        // check: one delivery only, nothing left in the work queue
        #expect(handler.messages.count == 1)
        #expect(try await readyMessages(queue) == 0)
        let dead = try await BrokerAdmin.peek(queue: topology.deadLetterQueue(of: queue), limit: 5, settings: TestEnvironment.amqp)
        #expect(dead.count == 1)
        let letter = try #require(dead.first)
        #expect(letter.headers["dialogue-dead-letter-reason"] == .string("unknown message type"))
        #expect(letter.headers["dialogue-dead-letter-queue"] == .string(queue))
        #expect(letter.messageID == id)
        #expect(letter.type == "test.message")
        #expect(letter.text == "illisible")
        await publisher.close()
    }

    @Test func replayMovesDeadLettersBackToTheirQueue() async throws {
        // setup: three messages dead-lettered by a consumer
        let queue = "\(topology.prefix)replayed"
        let deadQueue = topology.deadLetterQueue(of: queue)
        try await declareWorkQueue(queue, key: "replayed", topology: topology)
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        await publisher.connect()
        let ids = (1...3).map { _ in UUID().uuidString.lowercased() }
        let handler = RecordingHandler { _ in .deadLetter(reason: "bug in the handler") }
        try await withRunningServices([consumer(of: queue, handler: handler)]) {
            for (number, id) in ids.enumerated() {
                try await publisher.publish(message("replayed", "message \(number)", id: id))
            }
            try await eventually("three dead letters") { try await readyMessages(deadQueue) == 3 }
        }
        #expect(try await readyMessages(queue) == 0)
        // act
        let moved = try await BrokerAdmin.replay(from: deadQueue, to: queue, limit: 10, settings: TestEnvironment.amqp)
        // check
        #expect(moved == 3)
        try await eventually("the dead-letter queue emptied") { try await readyMessages(deadQueue) == 0 }
        #expect(try await readyMessages(queue) == 3)
        let replayed = try await BrokerAdmin.peek(queue: queue, limit: 10, settings: TestEnvironment.amqp)
        #expect(replayed.compactMap(\.messageID).sorted() == ids.sorted())
        #expect(replayed.allSatisfy { $0.headers["dialogue-replayed-from"] == .string(deadQueue) })
        #expect(Set(replayed.map(\.text)) == ["message 0", "message 1", "message 2"])
        await publisher.close()
    }

    @Test func replayHonoursItsLimit() async throws {
        // setup: five dead letters published straight to the dead-letter exchange
        let queue = "\(topology.prefix)partial"
        let deadQueue = topology.deadLetterQueue(of: queue)
        try await declareWorkQueue(queue, key: "partial", topology: topology)
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        await publisher.connect()
        for number in 1...5 {
            try await publisher.publish(OutgoingMessage(
                exchange: topology.deadLetterExchange, routingKey: queue, body: Array("dead \(number)".utf8), type: "test.message"
            ))
        }
        // act
        let moved = try await BrokerAdmin.replay(from: deadQueue, to: queue, limit: 2, settings: TestEnvironment.amqp)
        // check
        #expect(moved == 2)
        try await eventually("two replayed") { try await readyMessages(queue) == 2 }
        #expect(try await readyMessages(deadQueue) == 3)
        await publisher.close()
    }
}
