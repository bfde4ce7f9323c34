import Foundation
import Messaging
import NIOConcurrencyHelpers
import Testing
import TestSupport

/// A handler that never returns (a dependency that will never answer) must not stop its queue.
@Suite struct HandlerDeadlineTests {
    let topology = TestEnvironment.isolatedTopology()

    /// Hangs on its first batch, waiting on something that never comes and ignoring
    /// cancellation, as a query on a dead connection can; acks every later batch.
    final class WedgedOnceHandler: MessageBatchHandler {
        private let calls = NIOLockedValueBox<[[IncomingMessage]]>([])
        private let parked = NIOLockedValueBox<[CheckedContinuation<Void, Never>]>([])

        var batches: [[IncomingMessage]] { calls.withLockedValue { $0 } }

        func handle(_ batch: [IncomingMessage], context: ConsumerContext) async -> [DeliveryOutcome] {
            let first = calls.withLockedValue { calls in
                calls.append(batch)
                return calls.count == 1
            }
            if first {
                await withCheckedContinuation { continuation in parked.withLockedValue { $0.append(continuation) } }
            }
            return batch.map { _ in .ack }
        }

        /// Lets the parked call end, so the test leaves no task waiting behind it.
        func release() {
            for continuation in parked.withLockedValue({ parked in defer { parked = [] }; return parked }) { continuation.resume() }
        }
    }

    @Test func aBatchWhoseHandlerNeverReturnsGoesBackToTheQueueAfterTheDeadline() async throws {
        // setup
        let queue = "\(topology.prefix)wedged"
        try await declareWorkQueue(queue, key: "wedged", topology: topology)
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        await publisher.connect()
        let handler = WedgedOnceHandler()
        let consumer = AMQPConsumer(
            settings: TestEnvironment.amqp, queue: queue, deadLetterExchange: topology.deadLetterExchange,
            retry: RetryPolicy(deliveryLimit: 5, initialBackoff: .milliseconds(10), maximumBackoff: .milliseconds(50), handlerDeadline: .milliseconds(500)),
            handler: handler, logger: TestEnvironment.logger
        )
        let id = UUID().uuidString.lowercased()
        // act
        let start = ContinuousClock.now
        try await withRunningServices([consumer]) {
            try await publisher.publish(OutgoingMessage(
                exchange: topology.commandsExchange, routingKey: "wedged", body: Array("bloqué".utf8), messageID: id, type: "test.message"
            ))
            try await eventually("the message handled after the wedged call") { handler.batches.count == 2 }
        }
        let elapsed = ContinuousClock.now - start
        handler.release()
        // check: delivered again after the deadline, handled, and gone from the queue
        let deliveries = handler.batches.flatMap { $0 }
        #expect(deliveries.map(\.messageID) == [id, id])
        #expect(deliveries.map(\.redelivered) == [false, true])
        #expect(elapsed >= .milliseconds(500))
        #expect(try await readyMessages(queue) == 0)
        #expect(try await readyMessages(topology.deadLetterQueue(of: queue)) == 0)
        await publisher.close()
    }

    @Test func workWithinItsDeadlineIsWaitedForAndWorkPastItIsLeft() async throws {
        let slow = await Watchdog.result(within: .seconds(5)) { () -> Int in
            try? await Task.sleep(for: .milliseconds(200))
            return 42
        }
        #expect(slow == 42)
        let start = ContinuousClock.now
        let stuck = await Watchdog.result(within: .milliseconds(100)) { () -> Int in
            try? await Task.sleep(for: .seconds(30))
            return 1
        }
        #expect(stuck == nil)
        #expect(ContinuousClock.now - start < .seconds(5))
    }
}
