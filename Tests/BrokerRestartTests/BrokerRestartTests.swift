import Foundation
import Messaging
import NIOConcurrencyHelpers
import Testing
import TestSupport

/// Records the bodies a consumer was handed and acks them.
final class BodyRecorder: MessageBatchHandler {
    private let received = NIOLockedValueBox<[String]>([])

    var bodies: [String] { received.withLockedValue { $0 } }

    func handle(_ batch: [IncomingMessage], context: ConsumerContext) async -> [DeliveryOutcome] {
        received.withLockedValue { $0.append(contentsOf: batch.map { String(decoding: $0.body, as: UTF8.self) }) }
        return batch.map { _ in .ack }
    }
}

/// Stops and starts the broker application under running clients. Runs alone: it takes the
/// broker away from every other test (`deploy/local/test` runs it last, on its own broker).
@Suite(.serialized) struct BrokerRestartTests {
    let topology = TestEnvironment.isolatedTopology()

    @Test(.timeLimit(.minutes(2)))
    func publisherAndConsumerSurviveABrokerRestart() async throws {
        // setup
        let queue = "\(topology.prefix)survivor"
        let declarations = topology.exchanges + topology.workQueue(queue, bindings: [(topology.commandsExchange, "survivor")])
        try await BrokerAdmin.declare(declarations, settings: TestEnvironment.amqp)
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, declarations: declarations, logger: TestEnvironment.logger)
        let recorder = BodyRecorder()
        let consumer = AMQPConsumer(
            settings: TestEnvironment.amqp, queue: queue, deadLetterExchange: topology.deadLetterExchange,
            declarations: declarations, handler: recorder, logger: TestEnvironment.logger
        )
        @Sendable func message(_ text: String) -> OutgoingMessage {
            OutgoingMessage(exchange: topology.commandsExchange, routingKey: "survivor", body: Array(text.utf8), type: "test.message")
        }

        try await withRunningServices([publisher, consumer]) {
            try await eventually("both connected") { publisher.isConnected && consumer.isConnected }
            try await publisher.publish(message("avant"))
            try await eventually("the first message consumed") { recorder.bodies == ["avant"] }

            // act: take the broker away
            do {
                try await rabbitmqctl("stop_app")
                try await eventually("the clients noticed") { !publisher.isConnected && !consumer.isConnected }

                // check: publishing fails at once with an error worth retrying
                let start = ContinuousClock.now
                let error = await #expect(throws: AMQPError.self) { try await publisher.publish(message("pendant")) }
                #expect(error?.isTransient == true, "\(String(describing: error))")
                #expect(ContinuousClock.now - start < .seconds(5))
            } catch {
                _ = try? await rabbitmqctl("start_app")
                throw error
            }

            // act: bring it back
            try await rabbitmqctl("start_app")

            // check: publishing works again, and the same consumer receives what is published now
            try await eventually(timeout: .seconds(40), "a publish confirmed again") {
                do {
                    try await publisher.publish(message("sonde"))
                    return true
                } catch {
                    return false
                }
            }
            try await publisher.publish(message("après"))
            try await eventually(timeout: .seconds(40), "the message published after the restart consumed") {
                recorder.bodies.contains("après")
            }
        }
        #expect(recorder.bodies.first == "avant")
        #expect(!recorder.bodies.contains("pendant"))
        #expect(try await BrokerAdmin.messageCount(queue: queue, settings: TestEnvironment.amqp) == 0)
    }
}
