import DialogueContracts
import Messaging
import ServiceKit
import Storage
import Logging
import Testing

@Suite struct ServiceSettingsTests {
    @Test func everyMissingAndInvalidVariableIsNamedAtOnce() throws {
        // act
        let error = #expect(throws: ConfigurationError.self) {
            try ServiceSettings(service: .petitions, defaultPort: 8181, environment: [
                "HTTP_PORT": "eighty", "LOG_LEVEL": "loud", "AMQP_PREFETCH": "0",
            ])
        }
        // check
        let problems = try #require(error).problems
        #expect(problems.contains("DATABASE_URL is missing"))
        #expect(problems.contains("AMQP_URL is missing"))
        #expect(problems.contains { $0.hasPrefix("HTTP_PORT must be a whole number") })
        #expect(problems.contains { $0.hasPrefix("LOG_LEVEL must be one of") })
        #expect(problems.contains { $0.hasPrefix("AMQP_PREFETCH must be a whole number from 1") })
        #expect(problems.count == 5)
    }

    @Test func malformedURLsAreNamedWithoutTheirSecrets() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try ServiceSettings(service: .gateway, defaultPort: 8080, environment: [
                "DATABASE_URL": "mysql://user:hunter2@db/x", "AMQP_URL": "http://guest:hunter2@broker",
            ])
        }
        let description = try #require(error).description
        #expect(description.contains("DATABASE_URL is invalid"))
        #expect(description.contains("AMQP_URL is invalid"))
        #expect(!description.contains("hunter2"))
    }

    @Test func validEnvironmentIsReadWithDefaults() throws {
        let settings = try ServiceSettings(service: .petitions, defaultPort: 8181, environment: [
            "DATABASE_URL": "postgres://dialogue_petitions:secret@db.example:6432/dialogue?sslmode=require",
            "AMQP_URL": "amqps://dialogue:secret@broker.example/dialogue",
            "LOG_FORMAT": "text", "DELIVERY_LIMIT": "4",
        ])
        #expect(settings.httpPort == 8181)
        #expect(settings.database.host == "db.example" && settings.database.port == 6432)
        #expect(settings.database.user == "dialogue_petitions" && settings.database.requireTLS)
        #expect(settings.amqp.port == 5671 && settings.amqp.virtualHost == "dialogue" && settings.amqp.tls != nil)
        #expect(settings.logFormat == .text && settings.logLevel == .info)
        #expect(settings.topology.deliveryLimit == 4 && settings.topology.prefix == "")
    }

    @Test func catalogDeclaresEachServiceQueuesWithDeadLetters() {
        let topology = MessagingTopology()
        let elements = ServiceCatalog.allDeclarations(topology: topology)
        var queues: [String] = []
        for case .queue(let name, _, _, _, _) in elements { queues.append(name) }
        #expect(queues.contains("petitions.commands") && queues.contains("petitions.commands.dead"))
        #expect(queues.contains("notifications.events") && queues.contains("notifications.events.dead"))
        #expect(!queues.contains("gateway.rpc"))
        #expect(Set(queues).count == queues.count, "each queue declared once")
        var bindings: [(String, String, String)] = []
        for case .binding(let queue, let exchange, let key) in elements { bindings.append((queue, exchange, key)) }
        #expect(bindings.contains { $0 == ("notifications.events", "dialogue.events", "petition.threshold_reached") })
        #expect(bindings.contains { $0 == ("petitions.commands.dead", "dialogue.dlx", "petitions.commands") })
    }
}
