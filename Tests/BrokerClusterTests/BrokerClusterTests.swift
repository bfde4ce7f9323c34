import Foundation
import Messaging
import NIOConcurrencyHelpers
import Testing
import TestSupport

/// The three-node cluster of `deploy/local/test` (start_rabbitmq_cluster): a steady load of
/// confirmed publishes to a quorum queue, as the gateway sends signatures to
/// `petitions.commands`, while the node leading that queue is stopped and started again.
/// Nothing confirmed is lost, the consumer keeps going, and the window during which
/// publishes failed (the gateway's 503s) is measured and printed. Runs alone, last.
@Suite(.serialized) struct BrokerClusterTests {
    let topology = TestEnvironment.isolatedTopology()

    @Test(.timeLimit(.minutes(4)))
    func stoppingTheQueueLeaderLosesNothingConfirmed() async throws {
        let cluster = try AMQPSettings(url: TestEnvironment.variable("TEST_AMQP_CLUSTER_URL"))
        #expect(cluster.brokers.count == 3)
        let queue = "\(topology.prefix)signatures"
        let declarations = topology.exchanges + topology.workQueue(queue, bindings: [(topology.commandsExchange, "sign")])
        try await BrokerAdmin.declare(declarations, settings: cluster)

        // The queue is replicated on all three nodes; find its leader.
        let status = try await ClusterNodes.queueStatus(queue)
        #expect(status.members.count == 3, "members: \(status.members)")
        let leader = status.leader

        let load = PublishLoad()
        let recorder = DistinctBodies()
        let publishers = (0..<4).map { _ in AMQPPublisher(settings: cluster, declarations: declarations, logger: TestEnvironment.logger) }
        let consumer = AMQPConsumer(
            settings: cluster, queue: queue, deadLetterExchange: topology.deadLetterExchange,
            declarations: declarations, handler: recorder, logger: TestEnvironment.logger
        )
        try await withRunningServices(publishers + [consumer]) {
            try await eventually(timeout: .seconds(30), "connected") { publishers.allSatisfy(\.isConnected) && consumer.isConnected }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, publisher) in publishers.enumerated() {
                    group.addTask { await load.run(publisher, index: index, exchange: topology.commandsExchange, key: "sign") }
                }
                // act: under load, stop the leader, then bring it back
                try await Task.sleep(for: .seconds(4))
                let stoppedAt = ContinuousClock.now
                try await ClusterNodes.rabbitmqctl(node: leader, "stop_app")
                do {
                    try await eventually(timeout: .seconds(60), "publishes confirmed again without the leader") {
                        load.lastSuccess > stoppedAt + .milliseconds(500)
                    }
                    try await Task.sleep(for: .seconds(3))
                } catch {
                    _ = try? await ClusterNodes.rabbitmqctl(node: leader, "start_app")
                    throw error
                }
                try await ClusterNodes.rabbitmqctl(node: leader, "start_app")
                try await Task.sleep(for: .seconds(3))
                load.stop()
                try await group.waitForAll()
            }
            // check: every confirmed publish was delivered
            let confirmed = load.confirmedBodies
            try await eventually(timeout: .seconds(60), "every confirmed message consumed") {
                recorder.bodies.isSuperset(of: confirmed)
            }
        }
        let confirmed = load.confirmedBodies
        let lost = confirmed.subtracting(recorder.bodies)
        #expect(confirmed.count > 100, "the load confirmed only \(confirmed.count) publishes")
        #expect(lost.isEmpty, "\(lost.count) confirmed messages never delivered")
        let window = load.longestFailureWindow
        print("""
            broker cluster: leader \(leader) stopped under load; confirmed \(confirmed.count), failed \(load.failures), \
            lost \(lost.count), delivered \(recorder.bodies.count) distinct; publishes failed for \(window) at most
            """)
        // The gateway answers 503 meanwhile: a window of seconds, not the node's whole absence.
        #expect(window < .seconds(30))
    }
}

/// Publishes numbered messages as fast as confirms come back, until stopped; records what
/// was confirmed and the longest time without a confirmed publish after a failure.
final class PublishLoad: Sendable {
    private struct State {
        var confirmed = Set<String>()
        var failures = 0
        var stopped = false
        var lastSuccess = ContinuousClock.now
        var failingSince: ContinuousClock.Instant?
        var longestWindow: Duration = .zero
    }

    private let state = NIOLockedValueBox(State())

    var confirmedBodies: Set<String> { state.withLockedValue { $0.confirmed } }
    var failures: Int { state.withLockedValue { $0.failures } }
    var lastSuccess: ContinuousClock.Instant { state.withLockedValue { $0.lastSuccess } }
    var longestFailureWindow: Duration { state.withLockedValue { $0.longestWindow } }

    func stop() { state.withLockedValue { $0.stopped = true } }

    func run(_ publisher: AMQPPublisher, index: Int, exchange: String, key: String) async {
        var number = 0
        while !state.withLockedValue({ $0.stopped }) {
            number += 1
            let body = "\(index)-\(number)"
            do {
                try await publisher.publish(OutgoingMessage(exchange: exchange, routingKey: key, body: Array(body.utf8), type: "test.signature"))
                let now = ContinuousClock.now
                state.withLockedValue { state in
                    state.confirmed.insert(body)
                    state.lastSuccess = now
                    if let since = state.failingSince {
                        state.longestWindow = max(state.longestWindow, now - since)
                        state.failingSince = nil
                    }
                }
            } catch {
                let now = ContinuousClock.now
                state.withLockedValue { state in
                    state.failures += 1
                    if state.failingSince == nil { state.failingSince = now }
                }
                // As a client retrying after a 503.
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
    }
}

/// The distinct bodies consumed (a redelivery after a node's loss may repeat one).
final class DistinctBodies: MessageBatchHandler {
    private let received = NIOLockedValueBox(Set<String>())

    var bodies: Set<String> { received.withLockedValue { $0 } }

    func handle(_ batch: [IncomingMessage], context: ConsumerContext) async -> [DeliveryOutcome] {
        received.withLockedValue { $0.formUnion(batch.map { String(decoding: $0.body, as: UTF8.self) }) }
        return batch.map { _ in .ack }
    }
}

/// The cluster's nodes, through their `rabbitmqctl` wrappers (deploy/local/lib.sh).
enum ClusterNodes {
    static var names: [String] { (1...3).map { TestEnvironment.variable("TEST_RABBITMQ_CLUSTER_NODE_\($0)") } }

    static func rabbitmqctl(node: String, _ arguments: String...) async throws {
        _ = try await run(node: node, arguments)
    }

    /// The quorum queue's leader and members, as the broker reports them.
    static func queueStatus(_ queue: String) async throws -> (leader: String, members: [String]) {
        let output = try await run(node: names[0], ["-q", "list_queues", "name", "leader", "members", "--formatter", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]] ?? []
        guard let row = rows.first(where: { $0["name"] as? String == queue }),
              let leader = row["leader"] as? String, let members = row["members"] as? [String]
        else { throw ClusterError(message: "queue \(queue) not listed: \(output)") }
        return (leader, members)
    }

    private static func run(node: String, _ arguments: [String]) async throws -> String {
        guard let index = names.firstIndex(of: node) else { throw ClusterError(message: "unknown node \(node)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.variable("TEST_RABBITMQ_CLUSTER_CTL_\(index + 1)"))
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ClusterError(message: "rabbitmqctl \(arguments.joined(separator: " ")) on \(node) exited \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

struct ClusterError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
