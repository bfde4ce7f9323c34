import Foundation
import Messaging
import Testing
import TestSupport

/// A publisher whose broker cannot be reached must keep running and refuse work at once, so
/// that callers (the gateway answering 503) never wait on a broker that is away.
@Suite struct UnreachableBrokerTests {
    let topology = TestEnvironment.isolatedTopology()

    @Test func publishingToAnUnreachableBrokerFailsFast() async throws {
        // setup: nothing listens on port 1
        let unreachable = try AMQPSettings(url: "amqp://guest:guest@127.0.0.1:1/")
        try await expectPublishesFailFast(on: unreachable)
    }

    /// A broker that accepts connections and never answers (a load balancer with no backend,
    /// a wedged node) is as away as one that refuses them.
    @Test func publishingToABrokerThatNeverAnswersFailsFast() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let silent = try AMQPSettings(url: "amqp://guest:guest@127.0.0.1:\(listener.port)/")
        try await expectPublishesFailFast(on: silent)
    }

    /// Publishes for a while to a publisher that cannot connect: every attempt, whatever the
    /// phase of its connection loop (first attempt, backoff, next attempt), fails at once.
    private func expectPublishesFailFast(on settings: AMQPSettings) async throws {
        let publisher = AMQPPublisher(settings: settings, logger: TestEnvironment.logger)
        try await withRunningServices([publisher]) {
            for attempt in 1...15 {
                // act
                let start = ContinuousClock.now
                let error = await #expect(throws: AMQPError.self) {
                    try await publisher.publish(OutgoingMessage(
                        exchange: topology.commandsExchange, routingKey: "anything", body: [], type: "test.message"
                    ))
                }
                let elapsed = ContinuousClock.now - start
                // check
                #expect(error?.meansNoConnection == true, "attempt \(attempt): \(String(describing: error))")
                #expect(error?.isTransient == true)
                // Generous: a loaded CI machine is slow, but a publish that waited for a connection
                // would wait for the 5 s connect timeout or forever.
                #expect(elapsed < .seconds(4), "attempt \(attempt) took \(elapsed)")
                if elapsed >= .seconds(4) { break }  // One slow attempt says it all.
                // Spread the attempts over the loop's first connection attempts and backoffs.
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(!publisher.isConnected)
        }
    }
}
