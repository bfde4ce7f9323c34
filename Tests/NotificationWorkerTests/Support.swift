import DialogueContracts
import DialogueCtl
import Foundation
import Messaging
@testable import NotificationWorker
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import TestSupport

/// A running notification worker on a fresh database, an isolated topology and the test
/// command's SMTP server, with what a test needs to feed it and look at its effects.
struct NotificationHarness: Sendable {
    let topology: MessagingTopology
    let publisher: AMQPPublisher
    let probe: Probe
    /// The worker's own client (its schema on the search path).
    let database: PostgresClient

    /// Publishes an event as its producer would, with a given message id (the same id twice
    /// is a redelivery).
    func publish<Event: DialogueEvent>(_ event: Event, messageID: String = UUID().uuidString.lowercased()) async throws {
        try await publisher.publish(OutgoingMessage(
            exchange: topology.eventsExchange, routingKey: Event.messageType, body: try MessageCoding.encode(event),
            messageID: messageID, type: Event.messageType
        ))
    }

    /// The delivery row of the mails to this address: (status, attempts, last SMTP code).
    func deliveries(to address: String) async throws -> [(status: String, attempts: Int, code: Int?)] {
        let rows = try await probe.texts(
            """
            SELECT status || ' ' || attempts || ' ' || coalesce(last_smtp_code::text, '-')
            FROM notifications.email_deliveries WHERE recipient = \(address) ORDER BY created_at
            """
        )
        return rows.compactMap { $0 }.map { row in
            let parts = row.split(separator: " ").map(String.init)
            return (parts[0], Int(parts[1]) ?? -1, Int(parts[2]))
        }
    }
}

/// Delivery settings for tests: retries within seconds, not minutes; the production limits
/// on requested mails unless a test asks for others.
func quickDelivery(retryDelays: [Duration] = [.seconds(1)], requestedLimits: RequestedMailLimits = RequestedMailLimits()) -> MailDeliveryPolicy {
    MailDeliveryPolicy(retryDelays: retryDelays, lease: .seconds(40), pollInterval: .milliseconds(200), concurrency: 4, requestedLimits: requestedLimits)
}

func testSMTP(url: String = TestEnvironment.smtpURL, timeout: Duration = .seconds(10)) -> SMTPSettings {
    SMTPSettings(url: url, tls: .none, fromAddress: "ne-pas-repondre@dialogue.localhost", timeout: timeout)
}

/// An address of this test only; a prefix like `refuse-451x1-` tells the SMTP server to refuse it.
func testAddress(_ prefix: String = "") -> String {
    "\(prefix)citoyen-\(UUID().uuidString.prefix(12).lowercased())@exemple.fr"
}

func withNotificationWorker(
    smtp: SMTPSettings = testSMTP(), delivery: MailDeliveryPolicy = quickDelivery(),
    _ body: @Sendable (NotificationHarness) async throws -> Void
) async throws {
    let topology = TestEnvironment.isolatedTopology()
    let database = try await TestDatabase.make()
    try await migrate(.notifications, directory: NotificationWorker.migrationsDirectory, on: database)
    let platform = ServicePlatform.forTest(.notifications, database: database, topology: topology)
    let publisher = AMQPPublisher(
        settings: TestEnvironment.amqp, name: "test-events",
        declarations: topology.declarations(for: ServiceCatalog.endpoints(of: .notifications)), logger: TestEnvironment.logger
    )
    let services: [any Service] = [platform.database, platform.publisher, platform.outboxRelay(), publisher]
        + NotificationWorker.parts(on: platform, smtp: smtp, delivery: delivery, links: testNotificationLinks)
    try await withRunningServices(services) {
        try await eventually(timeout: .seconds(20), "worker ready") {
            await platform.readiness.failing().isEmpty && publisher.isConnected
        }
        try await Probe.on(database) { probe in
            try await body(NotificationHarness(topology: topology, publisher: publisher, probe: probe, database: platform.database))
        }
    }
    await deleteQueues(of: topology, services: [.notifications])
}


func confirmationRequest(to address: String, accountID: UUID = UUID(), expiresAt: Date = Date().addingTimeInterval(86_400)) -> AccountEmailConfirmationRequested {
    AccountEmailConfirmationRequested(
        accountID: accountID, email: address, displayName: "Camille", confirmationURL: "https://dialogue.example/confirmation?jeton=abc",
        expiresAt: expiresAt
    )
}
