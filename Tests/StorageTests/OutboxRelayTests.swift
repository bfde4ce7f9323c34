import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import Storage
import Testing
import TestSupport

@Suite struct OutboxRelayTests {
    let topology = TestEnvironment.isolatedTopology()

    /// A queue of its own that receives the events of `type`.
    private func declareEventQueue(for type: String) async throws -> String {
        let queue = "\(topology.prefix)listener.\(type)"
        try await BrokerAdmin.declare(
            topology.exchanges + topology.workQueue(queue, bindings: [(topology.eventsExchange, type)]), settings: TestEnvironment.amqp
        )
        return queue
    }

    private func connectedPublisher() async -> AMQPPublisher {
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        await publisher.connect()
        return publisher
    }

    private func relay(
        _ client: PostgresClient, _ publisher: AMQPPublisher, batchSize: Int = 500, pollInterval: Duration = .seconds(1)
    ) -> OutboxRelay {
        OutboxRelay(
            client: client, publisher: publisher, topology: topology, schema: "petitions",
            batchSize: batchSize, pollInterval: pollInterval, logger: TestEnvironment.logger
        )
    }

    private func enqueue<Event: DialogueEvent>(
        _ event: Event, messageID: UUID = UUID(), correlationID: String? = nil, traceparent: String? = nil, on client: PostgresClient
    ) async throws {
        try await client.withTransaction(logger: TestEnvironment.logger) { connection in
            try await Outbox.enqueue(
                event, messageID: messageID, correlationID: correlationID, traceparent: traceparent, on: connection, logger: TestEnvironment.logger
            )
        }
    }

    private func unpublishedCount(on client: PostgresClient) async throws -> Int {
        let rows = try await client.query("SELECT count(*)::int FROM outbox WHERE published_at IS NULL", logger: TestEnvironment.logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    @Test func committedEventIsPublishedWithItsEnvelopeAndMarkedSent() async throws {
        // setup
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        let queue = try await declareEventQueue(for: PetitionThresholdReached.messageType)
        let publisher = await connectedPublisher()
        let event = PetitionThresholdReached.sample()
        let messageID = UUID()
        let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        try await asService(.petitions, in: database) { client in
            try await enqueue(event, messageID: messageID, correlationID: "req-42", traceparent: traceparent, on: client)
            // act
            let relayed = try await relay(client, publisher).relayBatch()
            // check
            #expect(relayed == 1)
            #expect(try await relay(client, publisher).relayBatch() == 0)
            let rows = try await client.query(
                "SELECT created_at, published_at, attempts FROM outbox WHERE message_id = \(messageID)", logger: TestEnvironment.logger
            )
            var createdAt: Date?
            for try await (created, published, attempts) in rows.decode((Date, Date?, Int).self) {
                createdAt = created
                #expect(published != nil)
                #expect(attempts == 0)
            }
            let created = try #require(createdAt)
            let messages = try await BrokerAdmin.peek(queue: queue, limit: 5, settings: TestEnvironment.amqp)
            #expect(messages.count == 1)
            let message = try #require(messages.first)
            #expect(message.messageID == messageID.uuidString.lowercased())
            #expect(message.type == PetitionThresholdReached.messageType)
            #expect(message.exchange == topology.eventsExchange)
            #expect(message.routingKey == PetitionThresholdReached.messageType)
            #expect(message.contentType == "application/json")
            #expect(message.correlationID == "req-42")
            #expect(message.headers["schema-version"] == .int(Int64(PetitionThresholdReached.schemaVersion)))
            #expect(message.headers["traceparent"] == .string(traceparent))
            // AMQP timestamps have one-second resolution.
            let timestamp = try #require(message.timestamp)
            #expect(abs(timestamp.timeIntervalSince(created)) < 1)
            let decoded = try MessageCoding.decode(PetitionThresholdReached.self, from: message.body)
            #expect(decoded.petitionID == event.petitionID)
            #expect(decoded.title == event.title)
            #expect(decoded.signatureCount == event.signatureCount)
            #expect(decoded.reachedAt == event.reachedAt)
        }
        await publisher.close()
    }

    @Test func eventOfARolledBackTransactionIsNeverPublished() async throws {
        // setup
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        let queue = try await declareEventQueue(for: PetitionThresholdReached.messageType)
        let publisher = await connectedPublisher()
        let kept = UUID()
        try await asService(.petitions, in: database) { client in
            await expectRollback(on: client) { connection in
                try await Outbox.enqueue(PetitionThresholdReached.sample(title: "annulée"), on: connection, logger: TestEnvironment.logger)
            }
            try await enqueue(PetitionThresholdReached.sample(title: "gardée"), messageID: kept, on: client)
            // act
            let relayed = try await relay(client, publisher).relayBatch()
            // check
            #expect(relayed == 1)
            let rows = try await client.query("SELECT message_id FROM outbox", logger: TestEnvironment.logger)
            var ids: [UUID] = []
            for try await id in rows.decode(UUID.self) { ids.append(id) }
            #expect(ids == [kept])
        }
        let messages = try await BrokerAdmin.peek(queue: queue, limit: 5, settings: TestEnvironment.amqp)
        #expect(messages.compactMap(\.messageID) == [kept.uuidString.lowercased()])
        await publisher.close()
    }

    @Test func runningRelayIsWokenByNotify() async throws {
        // setup: polling once a minute, so only a notification explains a quick arrival
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        let queue = try await declareEventQueue(for: PetitionThresholdReached.messageType)
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        try await asService(.petitions, in: database) { client in
            let relay = relay(client, publisher, pollInterval: .seconds(60))
            try await withRunningServices([publisher, relay]) {
                try await eventually("the relay listening") {
                    let rows = try await client.query(
                        """
                        SELECT count(*)::int FROM pg_stat_activity
                        WHERE datname = current_database() AND usename = current_user AND query = 'LISTEN "petitions_outbox";'
                        """,
                        logger: TestEnvironment.logger
                    )
                    for try await count in rows.decode(Int.self) { return count == 1 }
                    return false
                }
                // act
                try await enqueue(PetitionThresholdReached.sample(title: "première"), on: client)
                // check
                try await eventually(timeout: .seconds(10), "the first event published") { try await readyMessages(queue) == 1 }
                try await enqueue(PetitionThresholdReached.sample(title: "seconde"), on: client)
                try await eventually(timeout: .seconds(10), "the second event published") { try await readyMessages(queue) == 2 }
                // The broker confirms before the relay's transaction marks the rows sent.
                try await eventually(timeout: .seconds(10), "both rows marked published") { try await unpublishedCount(on: client) == 0 }
            }
        }
    }

    @Test func twoRelaysOnOneOutboxPublishEachRowExactlyOnce() async throws {
        // setup: two replicas, each with its own pool and publisher, working in small batches
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        let queue = try await declareEventQueue(for: PetitionThresholdReached.messageType)
        let publishers = [
            AMQPPublisher(settings: TestEnvironment.amqp, name: "replica-a", logger: TestEnvironment.logger),
            AMQPPublisher(settings: TestEnvironment.amqp, name: "replica-b", logger: TestEnvironment.logger),
        ]
        let transactions = 20
        let eventsPerTransaction = 15
        let total = transactions * eventsPerTransaction
        try await asService(.petitions, in: database) { writer in
            try await asService(.petitions, in: database) { replicaA in
                try await asService(.petitions, in: database) { replicaB in
                    let relays = [
                        relay(replicaA, publishers[0], batchSize: 10, pollInterval: .milliseconds(100)),
                        relay(replicaB, publishers[1], batchSize: 10, pollInterval: .milliseconds(100)),
                    ]
                    try await withRunningServices(publishers + relays) {
                        // act: every commit wakes both relays at once
                        for _ in 0..<transactions {
                            let events = (0..<eventsPerTransaction).map { _ in PetitionThresholdReached.sample() }
                            try await writer.withTransaction(logger: TestEnvironment.logger) { connection in
                                try await Outbox.enqueue(all: events, on: connection, logger: TestEnvironment.logger)
                            }
                        }
                        try await eventually(timeout: .seconds(30), "every row marked published") {
                            try await unpublishedCount(on: writer) == 0
                        }
                    }
                }
            }
            // check: a row is marked only after its publish was confirmed, so the queue is complete now
            var ids: Set<String> = []
            for try await id in try await writer.query("SELECT message_id FROM outbox", logger: TestEnvironment.logger).decode(UUID.self) {
                ids.insert(id.uuidString.lowercased())
            }
            #expect(ids.count == total)
            try await eventually("all events counted in the queue") { try await readyMessages(queue) >= total }
            #expect(try await readyMessages(queue) == total)
            let delivered = try await BrokerAdmin.peek(queue: queue, limit: total + 50, settings: TestEnvironment.amqp)
            let deliveriesByID = Dictionary(grouping: delivered.compactMap(\.messageID), by: { $0 }).mapValues(\.count)
            #expect(Set(deliveriesByID.keys) == ids)
            #expect(deliveriesByID.values.allSatisfy { $0 == 1 }, "published twice: \(deliveriesByID.filter { $0.value > 1 }.keys.sorted())")
        }
    }

    @Test func eventNobodySubscribesToCountsAsDelivered() async throws {
        // setup: nobody listens to threshold events
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        try await BrokerAdmin.declare(topology.exchanges, settings: TestEnvironment.amqp)
        let publisher = await connectedPublisher()
        try await asService(.petitions, in: database) { client in
            try await enqueue(PetitionThresholdReached.sample(), on: client)
            // act
            let relayed = try await relay(client, publisher).relayBatch()
            // check: delivered to all of its zero subscribers, not retried forever
            #expect(relayed == 1)
            #expect(try await unpublishedCount(on: client) == 0)
        }
        await publisher.close()
    }

    @Test func commandNobodyTakesStaysInTheOutboxWithItsError() async throws {
        // setup: the petitions service has no command queue yet
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        try await BrokerAdmin.declare(topology.exchanges, settings: TestEnvironment.amqp)
        let publisher = await connectedPublisher()
        let command = SignPetition(petitionID: UUID(), name: "Camille", email: "camille@example.fr", postcode: "59000", signedAt: Date())
        try await asService(.petitions, in: database) { client in
            try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await Outbox.enqueue(command: command, on: connection, logger: TestEnvironment.logger)
            }
            // act
            let relayed = try await relay(client, publisher).relayBatch()
            // check: handled (so the relay moves on), not published, its next try pushed back
            // (compared with its creation, not the clock, so a slow machine cannot race it)
            #expect(relayed == 1)
            let rows = try await client.query(
                "SELECT published_at, attempts, last_error, next_attempt_at >= created_at + interval '1 second' FROM outbox", logger: TestEnvironment.logger
            )
            var seen = 0
            for try await (published, attempts, error, waits) in rows.decode((Date?, Int, String?, Bool).self) {
                seen += 1
                #expect(published == nil)
                #expect(attempts == 1)
                #expect(error?.contains(topology.commandsExchange) == true, "\(String(describing: error))")
                #expect(waits)
            }
            #expect(seen == 1)
            // A row whose next try lies ahead is left alone (the backoff is stretched to be sure of it).
            try await client.query("UPDATE outbox SET next_attempt_at = now() + interval '1 hour'", logger: TestEnvironment.logger)
            #expect(try await relay(client, publisher).relayBatch() == 0)
            // The backoff has passed.
            try await client.query("UPDATE outbox SET next_attempt_at = now()", logger: TestEnvironment.logger)
            // act: the service's queue appears; the next pass delivers the command
            let queue = topology.commandsQueue(ServiceName.petitions.rawValue)
            try await BrokerAdmin.declare(
                topology.workQueue(queue, bindings: [(topology.commandsExchange, SignPetition.targetService.rawValue)]),
                settings: TestEnvironment.amqp
            )
            #expect(try await relay(client, publisher).relayBatch() == 1)
            #expect(try await unpublishedCount(on: client) == 0)
            let delivered = try await BrokerAdmin.peek(queue: queue, limit: 2, settings: TestEnvironment.amqp)
            #expect(delivered.map(\.type) == [SignPetition.messageType])
            #expect(delivered.first?.routingKey == "petitions")
        }
        await publisher.close()
    }

    /// `petition.signature_recorded` has no subscriber (see `ServiceCatalog`). Were its rows
    /// left unpublished, a batch's worth of them at the head of the outbox would keep the
    /// relay from ever reaching the events behind them.
    @Test func eventsNobodySubscribesToDoNotBlockTheEventsBehindThem() async throws {
        // setup: more unsubscribed events than one batch, then one event with a subscriber
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        let queue = try await declareEventQueue(for: PetitionThresholdReached.messageType)
        let publisher = await connectedPublisher()
        try await asService(.petitions, in: database) { client in
            let unsubscribed = (0..<10).map { _ in
                PetitionSignatureRecorded(petitionID: UUID(), signatureID: UUID(), departement: "59", recordedAt: Date())
            }
            try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await Outbox.enqueue(all: unsubscribed, on: connection, logger: TestEnvironment.logger)
            }
            try await enqueue(PetitionThresholdReached.sample(), on: client)
            let relay = relay(client, publisher, batchSize: 10)
            // act: several passes, as the poll timer would run them
            for _ in 0..<3 { await relay.drain() }
            // check
            #expect(try await readyMessages(queue) == 1, "the threshold event is stuck behind unroutable events")
        }
        await publisher.close()
    }
}
