import DialogueContracts
import DialogueCtl
import Foundation
import Messaging
import ServiceKit
import Testing
import TestSupport

/// Each service connects as its own broker user, limited to its exchanges and queues.
@Suite struct BrokerUsersTests {
    @Test func onlyTheGatewayMayWriteToTheCommandsAndRequestsExchanges() throws {
        let topology = MessagingTopology()
        let gateway = BrokerUsers.permissions(of: .gateway, topology: topology)
        #expect(try gateway.write.matches("dialogue.commands") && gateway.write.matches("dialogue.rpc"))
        for service in ServiceName.allCases where service != .gateway {
            let permissions = BrokerUsers.permissions(of: service, topology: topology)
            #expect(try !permissions.write.matches("dialogue.commands"), "\(service) may send commands")
            #expect(try !permissions.write.matches("dialogue.rpc"), "\(service) may send requests")
            #expect(try permissions.write.matches("dialogue.events"), "\(service) cannot publish its events")
        }
        // no service reads or reconfigures another's queues, nor binds from an exchange it does not consume
        let notifications = BrokerUsers.permissions(of: .notifications, topology: topology)
        #expect(try notifications.read.matches("notifications.events") && notifications.configure.matches("notifications.events.dead"))
        #expect(try !notifications.read.matches("petitions.commands") && !notifications.configure.matches("petitions.commands"))
        #expect(try !notifications.read.matches("dialogue.commands"))
        #expect(try !notifications.read.matches("rpc.reply.x") && gateway.read.matches("rpc.reply.x"))
        #expect(try !gateway.read.matches("petitions.rpc"))
    }

    @Test func aServiceUserCannotPublishACommandItDoesNotSendAndDoesWhatItNeeds() async throws {
        // setup: an isolated topology declared by the administrator, as `dialoguectl topology declare`
        // does, and two users with the permissions of the notification worker and of the gateway,
        // imported from a definitions file as the local bring-up does
        let topology = TestEnvironment.isolatedTopology()
        try await BrokerAdmin.declare(ServiceCatalog.allDeclarations(topology: topology), settings: TestEnvironment.amqp)
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let password = UUID().uuidString
        let worker = user("test_notifications_\(suffix)", password: password, of: .notifications, topology: topology)
        let gateway = user("test_gateway_\(suffix)", password: password, of: .gateway, topology: topology)
        try await rabbitmqctl("import_definitions", input: try TopologyDefinitions.json(for: [], users: [worker, gateway]))
        var failure: (any Error)?
        do {
            try await exercise(topology: topology, worker: settings(worker.name, password), gateway: settings(gateway.name, password))
        } catch {
            failure = error
        }
        _ = try? await rabbitmqctl("delete_user", worker.name)
        _ = try? await rabbitmqctl("delete_user", gateway.name)
        await deleteQueues(of: topology, services: ServiceName.allCases)
        if let failure { throw failure }
    }

    private func exercise(topology: MessagingTopology, worker workerSettings: AMQPSettings, gateway gatewaySettings: AMQPSettings) async throws {
        let command = OutgoingMessage(
            exchange: topology.commandsExchange, routingKey: ServiceName.petitions.rawValue, body: Array("{}".utf8), type: "petition.sign"
        )

        // act + check: the worker declares its queues (as its consumers do on connect) and reads them
        try await BrokerAdmin.declare(topology.declarations(for: ServiceCatalog.endpoints(of: .notifications)), settings: workerSettings)
        #expect(try await BrokerAdmin.peek(queue: topology.eventsQueue("notifications"), limit: 1, settings: workerSettings).isEmpty)
        // ... publishes an event (its outbox relay does) ...
        let workerPublisher = AMQPPublisher(settings: workerSettings, name: "worker", logger: TestEnvironment.logger)
        await workerPublisher.connect()
        try await workerPublisher.publish(OutgoingMessage(
            exchange: topology.eventsExchange, routingKey: "petition.threshold_reached", body: Array("{}".utf8), type: "petition.threshold_reached"
        ))
        await workerPublisher.close()
        #expect(try await BrokerAdmin.messageCount(queue: topology.eventsQueue("notifications"), settings: TestEnvironment.amqp) == 1)

        // ... but cannot send a command, nor read another service's queue
        let forger = AMQPPublisher(settings: workerSettings, name: "forger", logger: TestEnvironment.logger)
        await forger.connect()
        let refused = await #expect(throws: AMQPError.self) { try await forger.publish(command) }
        #expect(refused.map { "\($0)" }?.contains("403") == true, "\(String(describing: refused))")
        await forger.close()
        await #expect(throws: (any Error).self) {
            try await BrokerAdmin.peek(queue: topology.commandsQueue("petitions"), limit: 1, settings: workerSettings)
        }
        #expect(try await BrokerAdmin.messageCount(queue: topology.commandsQueue("petitions"), settings: TestEnvironment.amqp) == 0)

        // the gateway's user sends that command
        let gatewayPublisher = AMQPPublisher(settings: gatewaySettings, name: "gateway", logger: TestEnvironment.logger)
        await gatewayPublisher.connect()
        try await gatewayPublisher.publish(command)
        await gatewayPublisher.close()
        #expect(try await BrokerAdmin.messageCount(queue: topology.commandsQueue("petitions"), settings: TestEnvironment.amqp) == 1)
    }

    private func user(_ name: String, password: String, of service: ServiceName, topology: MessagingTopology) -> TopologyDefinitions.User {
        TopologyDefinitions.User(
            name: name, passwordHash: BrokerUsers.passwordHash(password), permissions: BrokerUsers.permissions(of: service, topology: topology)
        )
    }

    private func settings(_ user: String, _ password: String) -> AMQPSettings {
        var settings = TestEnvironment.amqp
        settings.user = user
        settings.password = password
        return settings
    }
}

extension String {
    /// Whether RabbitMQ's permission pattern `self` grants `resource` (an unanchored regular-expression search).
    func matches(_ resource: String) throws -> Bool {
        try NSRegularExpression(pattern: self).firstMatch(in: resource, range: NSRange(resource.startIndex..., in: resource)) != nil
    }
}
