// Measures how fast the Messaging layer publishes with publisher confirms to a durable
// quorum queue: one message at a time (one round trip each), then with many in flight.
import Foundation
import Logging
import Messaging

let environment = ProcessInfo.processInfo.environment
guard let url = environment["AMQP_URL"], let settings = try? AMQPSettings(url: url) else {
    FileHandle.standardError.write(Data("set AMQP_URL to the broker to measure\n".utf8))
    exit(2)
}
let total = Int(environment["BENCH_MESSAGES"] ?? "") ?? 20_000
let inFlight = Int(environment["BENCH_IN_FLIGHT"] ?? "") ?? 512
let bodySize = Int(environment["BENCH_BODY_BYTES"] ?? "") ?? 256

var logger = Logger(label: "bench")
logger.logLevel = .warning
let topology = MessagingTopology(prefix: "bench\(UInt32.random(in: 0...UInt32.max)).")
let queue = "\(topology.prefix)publish"
try await BrokerAdmin.declare(
    topology.exchanges + topology.workQueue(queue, bindings: [(topology.commandsExchange, "bench")]),
    settings: settings
)
let publisher = AMQPPublisher(settings: settings, confirmWindow: inFlight, logger: logger)
await publisher.connect()
let body = [UInt8](repeating: UInt8(ascii: "x"), count: bodySize)
func message() -> OutgoingMessage {
    OutgoingMessage(exchange: topology.commandsExchange, routingKey: "bench", body: body, type: "bench.message")
}

func measure(_ label: String, count: Int, concurrency: Int) async throws {
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        var started = 0
        while started < min(concurrency, count) {
            group.addTask { try await publisher.publish(message()) }
            started += 1
        }
        while try await group.next() != nil {
            if started < count {
                group.addTask { try await publisher.publish(message()) }
                started += 1
            }
        }
    }
    let elapsed = (ContinuousClock.now - start).components
    let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    let padded = label.padding(toLength: 36, withPad: " ", startingAt: 0)
    print(padded + String(format: "%8d msgs  %7.2f s  %9.0f msgs/s", count, seconds, Double(count) / seconds))
}

print("publish with confirms to a quorum queue, \(bodySize)-byte bodies")
try await measure("one at a time (1 in flight)", count: min(total / 10, 2_000), concurrency: 1)
try await measure("confirm window (\(inFlight) in flight)", count: total, concurrency: inFlight)
let stored = try await BrokerAdmin.messageCount(queue: queue, settings: settings)
print("messages in the queue afterwards: \(stored)")
await publisher.close()
try await BrokerAdmin.deleteQueues([queue, topology.deadLetterQueue(of: queue)], settings: settings)
