import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import Storage
import Testing
import TestSupport

/// A message holding a live secret leaves no copy of it in the outbox once published.
@Suite struct OutboxSecretsTests {
    let topology = TestEnvironment.isolatedTopology()

    private func texts(_ query: PostgresQuery, on client: PostgresClient) async throws -> [String] {
        var found: [String] = []
        for try await text in try await client.query(query, logger: TestEnvironment.logger).decode(String.self) { found.append(text) }
        return found
    }

    @Test func aPublishedSecretBearingRowKeepsNoTokenAndOtherRowsKeepTheirBody() async throws {
        // setup: a signature link, a reset link, and an event without secret, in one transaction
        let database = try await TestDatabase.make()
        try await migrate(petitionsMigrations(), as: .petitions, in: database)
        let queue = "\(topology.prefix)listener.secrets"
        try await BrokerAdmin.declare(
            topology.exchanges + topology.workQueue(queue, bindings: [(topology.eventsExchange, PetitionSignatureConfirmationRequested.messageType)]),
            settings: TestEnvironment.amqp
        )
        let signatureToken = "jeton-de-signature-\(UUID().uuidString)"
        let resetToken = "jeton-de-reinitialisation-\(UUID().uuidString)"
        let publisher = AMQPPublisher(settings: TestEnvironment.amqp, logger: TestEnvironment.logger)
        await publisher.connect()
        try await asService(.petitions, in: database) { client in
            try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await Outbox.enqueue(
                    all: [PetitionSignatureConfirmationRequested(
                        petitionID: UUID(), title: "Des bancs au parc", email: "lea@exemple.fr", name: "Léa", token: signatureToken, expiresAt: Date()
                    )],
                    on: connection, logger: TestEnvironment.logger
                )
                try await Outbox.enqueue(
                    AccountPasswordResetRequested(
                        accountID: UUID(), email: "lea@exemple.fr", displayName: nil,
                        resetURL: "http://dialogue.test/mot-de-passe/nouveau?jeton=\(resetToken)", expiresAt: Date()
                    ),
                    on: connection, logger: TestEnvironment.logger
                )
                try await Outbox.enqueue(PetitionThresholdReached.sample(), on: connection, logger: TestEnvironment.logger)
            }
            // Before publication the relay needs the secret: it is there.
            #expect(try await texts("SELECT convert_from(body, 'UTF8') FROM outbox", on: client).contains { $0.contains(signatureToken) })

            // act
            let relayed = try await OutboxRelay(
                client: client, publisher: publisher, topology: topology, schema: "petitions", logger: TestEnvironment.logger
            ).relayBatch()

            // check: all published; no token in any row; the event without secret keeps its body
            #expect(relayed == 3)
            #expect(try await texts("SELECT message_type FROM outbox WHERE published_at IS NULL", on: client).isEmpty)
            let bodies = try await texts("SELECT convert_from(body, 'UTF8') FROM outbox", on: client)
            #expect(bodies.count == 3)
            #expect(!bodies.contains { $0.contains(signatureToken) || $0.contains(resetToken) })
            #expect(try await texts(
                "SELECT message_type FROM outbox WHERE convert_from(body, 'UTF8') <> '{}'", on: client
            ) == [PetitionThresholdReached.messageType])
            // The broker got the secret, which the mail needs.
            let messages = try await BrokerAdmin.peek(queue: queue, limit: 5, settings: TestEnvironment.amqp)
            let published = try MessageCoding.decode(PetitionSignatureConfirmationRequested.self, from: try #require(messages.first).body)
            #expect(published.token == signatureToken)
        }
        await publisher.close()
        try? await BrokerAdmin.deleteQueues([queue], exchanges: [], settings: TestEnvironment.amqp)
    }

    @Test func messagesThatCarryLinkTokensDeclareIt() {
        #expect(AccountEmailConfirmationRequested.carriesSecrets)
        #expect(AccountPasswordResetRequested.carriesSecrets)
        #expect(PetitionSignatureConfirmationRequested.carriesSecrets)
        #expect(!PetitionThresholdReached.carriesSecrets)
    }
}
