import DialogueContracts
import DialogueCtl
import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Messaging
import Prometheus
import ServiceKit
import Testing
import TestSupport

/// What the gateway answers when what stands behind it is away, and its operations endpoints.
@Suite struct AvailabilityTests {
    @Test func signingWithTheBrokerAwayIsRefusedWith503() async throws {
        // setup: the gateway's publisher points at a closed port; its RPC client (and the
        // petitions service) use the real broker, so the petition can be read
        let closedPort = try AMQPSettings(url: "amqp://guest:guest@127.0.0.1:1/")
        let stack = try await GatewayStack.make(gatewayBroker: closedPort)
        try await stack.run(waitForGateway: false) { client, probe in
            let petition = try await stack.rpc.request(CreatePetition(title: "Un titre suffisant", text: "Un texte assez long pour passer.", reasons: "Les habitants attendent une réponse depuis des années."))
            try await probe.openThroughModeration(petition.id, topology: stack.topology)
            #expect(try await client.petition(petition.id).id == petition.id)

            // act
            let response = try await client.sign(petition.id, email: "camille@example.fr")

            // check: nothing accepted, and the client is told to retry
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "5")
            #expect(response.isJSON)
            #expect(response.apiError?.code == "unavailable")
            #expect(response.apiError?.message.isEmpty == false)
            let queued = try await BrokerAdmin.messageCount(queue: stack.topology.commandsQueue("petitions"), settings: TestEnvironment.amqp)
            #expect(queued == 0)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.inbox WHERE message_type = 'petition.sign'") == 0)

            try await stack.operations { operations in
                let ready = try await operations.get("/readyz")
                #expect(ready.status == .serviceUnavailable)
                #expect(ready.text.contains("broker"))
                #expect(try await operations.get("/healthz").status == .ok)
            }
        }
    }

    @Test func signingWhileThePublisherHasNoConnectionIsRefusedWith503() async throws {
        // setup: the gateway's publisher is never started, as during start-up or a broker outage
        let stack = try await GatewayStack.make()
        try await stack.run(waitForGateway: false, gatewayPublisher: false) { client, probe in
            let petition = try await client.createPetition()
            try await probe.openThroughModeration(petition.id, topology: stack.topology)

            // act
            let response = try await client.sign(petition.id, email: "camille@example.fr")

            // check
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "5")
            #expect(response.isJSON)
            #expect(response.apiError?.code == "unavailable")
            let queued = try await BrokerAdmin.messageCount(queue: stack.topology.commandsQueue("petitions"), settings: TestEnvironment.amqp)
            #expect(queued == 0)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.inbox WHERE message_type = 'petition.sign'") == 0)
            try await stack.operations { operations in
                let ready = try await operations.get("/readyz")
                #expect(ready.status == .serviceUnavailable)
                #expect(ready.text == "not ready: broker\n")
            }
        }
    }

    @Test func noPetitionsServiceIsUnavailableNotAnError() async throws {
        let stack = try await GatewayStack.make(withPetitionsService: false)
        try await stack.run(settings: GatewaySettings(petitionCacheTTL: .zero, rpcTimeout: .milliseconds(500))) { client, _ in
            // nobody has declared the petitions RPC queue: the request is unroutable
            let unroutable = try await client.get("/api/v1/petitions/\(UUID().uuidString.lowercased())")
            #expect(unroutable.status == .serviceUnavailable)
            #expect(unroutable.headers[.retryAfter] != nil)
            #expect(unroutable.apiError?.code == "unavailable")
            let create = try await client.post("/api/v1/petitions", ["title": "Un titre suffisant", "text": "Un texte assez long pour passer.", "reasons": "Une raison assez longue."])
            #expect(create.status == .serviceUnavailable)
            #expect(create.apiError?.code == "unavailable")
            // The home page stays up and says the petitions are away.
            let home = try await client.get("/")
            #expect(home.status == .ok)
            #expect(home.text.contains("Les pétitions sont momentanément indisponibles"))

            // the queue exists but nobody consumes it: the deadline passes
            try await BrokerAdmin.declare(
                stack.topology.declarations(for: ServiceCatalog.endpoints(of: .petitions)), settings: TestEnvironment.amqp
            )
            let start = ContinuousClock.now
            let late = try await client.get("/api/v1/petitions/\(UUID().uuidString.lowercased())")
            let elapsed = ContinuousClock.now - start
            #expect(late.status == .serviceUnavailable)
            #expect(late.apiError?.code == "unavailable")
            #expect(elapsed >= .milliseconds(450))
            #expect(elapsed < .seconds(4))  // below the default 5 s: the configured deadline was used
        }
    }

    @Test func operationsEndpointsAnswerOnTheOperationsListenerOnly() async throws {
        let stack = try await GatewayStack.make()
        let requests = stack.registry.makeCounter(descriptor: MetricNameDescriptor(
            namespace: "gateway", subsystem: "test", metricName: "requests", unitName: "total", helpText: "Requests seen by the test."
        ))
        requests.increment(by: Int64(3))
        let catalog = RouteCatalog()
        try await stack.run(settings: .forSecurityTests(), catalog: catalog) { client, _ in
            // check: the public site knows none of them ...
            for path in OperationsEndpoints.paths {
                #expect(try await client.get(path).status == .notFound, "\(path) answers on the public site")
            }

            // ... the operations listener answers each ...
            try await stack.operations { operations in
                let health = try await operations.get("/healthz")
                #expect(health.status == .ok)
                #expect(health.text == "ok\n")

                try await eventually("ready") { try await operations.get("/readyz").status == .ok }
                let ready = try await operations.get("/readyz")
                #expect(ready.text == "ready\n")

                let metrics = try await operations.get("/metrics")
                #expect(metrics.status == .ok)
                #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(metrics.text.contains("gateway_test_requests_total 3"))
            }

            // ... and the route catalogue lists them there
            let listed = catalog.all.filter { $0.listener == .operations }
            #expect(Set(listed.map(\.path)) == Set(OperationsEndpoints.paths))
            #expect(listed.allSatisfy { $0.method == .get })
            #expect(!catalog.all.contains { $0.listener == .site && OperationsEndpoints.paths.contains($0.path) })
        }
    }
}

extension GatewayStack {
    /// Runs `body` against the gateway's operations listener, as the runner serves it (own port).
    func operations(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let endpoints = OperationsEndpoints(readiness: gateway.readiness, registry: registry)
        try await endpoints.makeServer(host: "127.0.0.1", port: 0, logger: gateway.logger).test(.live, body)
    }
}
