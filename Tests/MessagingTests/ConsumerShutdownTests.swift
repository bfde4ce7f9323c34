import Foundation
import Messaging
import NIOConcurrencyHelpers
import Testing
import TestSupport

/// Takes its time over each batch, then records the ids it handled.
final class SlowHandler: MessageBatchHandler {
    private let handled = NIOLockedValueBox<[String]>([])
    private let pause: Duration

    init(pause: Duration) {
        self.pause = pause
    }

    var ids: [String] { handled.withLockedValue { $0 } }

    func handle(_ batch: [IncomingMessage], context: ConsumerContext) async -> [DeliveryOutcome] {
        try? await Task.sleep(for: pause)
        handled.withLockedValue { $0.append(contentsOf: batch.compactMap(\.messageID)) }
        return batch.map { _ in .ack }
    }
}

@Suite struct ConsumerShutdownTests {
    let topology = TestEnvironment.isolatedTopology()

    private func consumer(of queue: String, handler: some MessageBatchHandler) -> AMQPConsumer {
        AMQPConsumer(
            settings: TestEnvironment.amqp, queue: queue, deadLetterExchange: topology.deadLetterExchange,
            prefetch: 20, batchSize: 5, handler: handler, logger: TestEnvironment.logger
        )
    }

    @Test func shuttingDownMidStreamLosesNothing() async throws {
        // setup: a backlog far longer than the first consumer will live
        let queue = "\(topology.prefix)backlog"
        try await declareWorkQueue(queue, key: "backlog", topology: topology)
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        await publisher.connect()
        let ids = (0..<100).map { _ in UUID().uuidString.lowercased() }
        for id in ids {
            try await publisher.publish(OutgoingMessage(
                exchange: topology.commandsExchange, routingKey: "backlog", body: Array(id.utf8), messageID: id, type: "test.message"
            ))
        }
        let first = SlowHandler(pause: .milliseconds(150))
        // act: stop the slow consumer as soon as it has done a little, with deliveries still prefetched
        try await withRunningServices([consumer(of: queue, handler: first)]) {
            try await eventually("the first consumer under way") { first.ids.count >= 10 }
        }
        let handledBeforeShutdown = first.ids
        let second = RecordingHandler()
        try await withRunningServices([consumer(of: queue, handler: second)]) {
            try await eventually("every message handled") {
                Set(handledBeforeShutdown).union(second.messages.compactMap(\.messageID)) == Set(ids)
            }
        }
        // check
        #expect(handledBeforeShutdown.count < ids.count, "the first consumer finished before it was stopped; the test proves nothing")
        #expect(first.ids == handledBeforeShutdown, "the first consumer handled messages after its shutdown")
        // The batch in hand at shutdown was settled: nothing the first consumer finished comes back.
        let redelivered = Set(handledBeforeShutdown).intersection(second.messages.compactMap(\.messageID))
        #expect(redelivered.isEmpty, "\(redelivered.count) messages handled before the shutdown were delivered again")
        #expect(try await readyMessages(queue) == 0)
        #expect(try await readyMessages(topology.deadLetterQueue(of: queue)) == 0)
        await publisher.close()
    }
}
