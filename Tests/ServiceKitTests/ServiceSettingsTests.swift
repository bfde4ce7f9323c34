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
                "HTTP_PORT": "eighty", "OPERATIONS_PORT": "0", "LOG_LEVEL": "loud", "AMQP_PREFETCH": "0",
            ])
        }
        // check
        let problems = try #require(error).problems
        #expect(problems.contains("DATABASE_URL is missing"))
        #expect(problems.contains("AMQP_URL is missing"))
        #expect(problems.contains { $0.hasPrefix("HTTP_PORT must be a whole number") })
        #expect(problems.contains { $0.hasPrefix("OPERATIONS_PORT must be a whole number from 1") })
        #expect(problems.contains { $0.hasPrefix("LOG_LEVEL must be one of") })
        #expect(problems.contains { $0.hasPrefix("AMQP_PREFETCH must be a whole number from 1") })
        #expect(problems.count == 6)
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
        // the service's own port is its operations listener's; the site's port is the gateway's
        #expect(settings.operationsPort == 8181 && settings.operationsHost == "127.0.0.1")
        #expect(settings.httpPort == 8080)
        #expect(settings.database.host == "db.example" && settings.database.port == 6432)
        #expect(settings.database.user == "dialogue_petitions" && settings.database.requireTLS)
        #expect(settings.amqp.port == 5671 && settings.amqp.virtualHost == "dialogue" && settings.amqp.tls != nil)
        #expect(settings.logFormat == .text && settings.logLevel == .info)
        #expect(settings.topology.deliveryLimit == 4 && settings.topology.prefix == "")
    }

    @Test func theOperationsListenerIsConfiguredApartFromTheSite() throws {
        let settings = try ServiceSettings(service: .gateway, defaultPort: 8180, environment: [
            "DATABASE_URL": "postgres://dialogue_identity:secret@db.example/dialogue", "AMQP_URL": "amqp://u:p@broker.example/",
            "HTTP_HOST": "0.0.0.0", "HTTP_PORT": "8080", "OPERATIONS_HOST": "10.1.2.3", "OPERATIONS_PORT": "9090",
        ])
        #expect(settings.httpHost == "0.0.0.0" && settings.httpPort == 8080)
        #expect(settings.operationsHost == "10.1.2.3" && settings.operationsPort == 9090)
    }
}
