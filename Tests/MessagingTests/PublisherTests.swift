import Foundation
import Messaging
import Testing
import TestSupport

@Suite struct PublisherTests {
    let topology = TestEnvironment.isolatedTopology()

    @Test func manyConcurrentPublishesAreAllConfirmedThroughASmallConfirmWindow() async throws {
        // setup: a window far smaller than the burst, so most messages wait their turn
        let queue = "\(topology.prefix)burst"
        try await declareWorkQueue(queue, key: "burst", topology: topology)
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, confirmWindow: 64, logger: TestEnvironment.logger)
        await publisher.connect()
        let total = 2_000
        // act
        let failures = await withTaskGroup(of: AMQPError?.self) { group in
            for number in 0..<total {
                group.addTask {
                    do throws(AMQPError) {
                        try await publisher.publish(OutgoingMessage(
                            exchange: topology.commandsExchange, routingKey: "burst", body: Array("\(number)".utf8), type: "test.burst"
                        ))
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            var failures: [AMQPError] = []
            for await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        // check
        #expect(failures.isEmpty, "\(failures.count) publishes failed, first: \(String(describing: failures.first))")
        try await eventually("all messages counted in the queue") { try await readyMessages(queue) >= total }
        #expect(try await readyMessages(queue) == total)
        await publisher.close()
    }

    @Test func closingWhilePublishesAreInFlightLosesNoConfirmedMessage() async throws {
        // setup
        let queue = "\(topology.prefix)closing"
        try await declareWorkQueue(queue, key: "closing", topology: topology)
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, confirmWindow: 32, logger: TestEnvironment.logger)
        await publisher.connect()
        let total = 500
        // act: close as soon as the first publish is confirmed, with most still queued or unconfirmed
        let outcomes = await withTaskGroup(of: AMQPError?.self) { group in
            for number in 0..<total {
                group.addTask {
                    do throws(AMQPError) {
                        try await publisher.publish(OutgoingMessage(
                            exchange: topology.commandsExchange, routingKey: "closing", body: Array("\(number)".utf8), type: "test.message"
                        ))
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            var outcomes: [AMQPError?] = []
            for await outcome in group {
                if outcomes.isEmpty { await publisher.close() }
                outcomes.append(outcome)
            }
            return outcomes
        }
        // check: every publish finished; a confirmed one is in the queue, a refused one says why
        let confirmed = outcomes.filter { $0 == nil }.count
        let refusals = outcomes.compactMap { $0 }.filter { $0 != .shuttingDown }
        #expect(outcomes.count == total)
        #expect(refusals.isEmpty, "\(refusals)")
        try await eventually("the confirmed messages counted") { try await readyMessages(queue) >= confirmed }
        #expect(try await readyMessages(queue) == confirmed)
    }

    @Test func publishingWithAPublisherThatWasNeverStartedFailsAtOnce() async throws {
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)

        await #expect(throws: AMQPError.notConnected) {
            try await publisher.publish(OutgoingMessage(exchange: topology.commandsExchange, routingKey: "x", body: [], type: "test.message"))
        }
    }

    @Test func publishingAfterCloseSaysShuttingDown() async throws {
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        await publisher.connect()
        await publisher.close()

        await #expect(throws: AMQPError.shuttingDown) {
            try await publisher.publish(OutgoingMessage(exchange: topology.commandsExchange, routingKey: "x", body: [], type: "test.message"))
        }
    }

    @Test func envelopeSurvivesTheRoundTrip() async throws {
        // setup
        let queue = "\(topology.prefix)envelope"
        try await declareWorkQueue(queue, key: "envelope", topology: topology)
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        await publisher.connect()
        let sent = OutgoingMessage(
            exchange: topology.commandsExchange, routingKey: "envelope", body: Array(#"{"petitionID":"42"}"#.utf8),
            type: "petition.sign", timestamp: Date(timeIntervalSince1970: 1_800_000_000),
            correlationID: "corr-7", replyTo: "nobody.replies",
            headers: [
                "schema-version": .int(3), "traceparent": .string("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                "dialogue-flag": .bool(true), "empty": .string(""),
            ]
        )
        // act
        try await publisher.publish(sent)
        // check
        let received = try #require(try await BrokerAdmin.peek(queue: queue, limit: 1, settings: TestEnvironment.amqp).first)
        #expect(received.body == sent.body)
        #expect(received.messageID == sent.messageID)
        #expect(received.type == "petition.sign")
        #expect(received.timestamp == Date(timeIntervalSince1970: 1_800_000_000))
        #expect(received.correlationID == "corr-7")
        #expect(received.replyTo == "nobody.replies")
        #expect(received.contentType == "application/json")
        #expect(received.exchange == topology.commandsExchange)
        #expect(received.routingKey == "envelope")
        #expect(received.headers["schema-version"] == .int(3))
        #expect(received.headers["traceparent"] == sent.headers["traceparent"])
        #expect(received.headers["dialogue-flag"] == .bool(true))
        #expect(received.headers["empty"] == .string(""))
        await publisher.close()
    }
}
