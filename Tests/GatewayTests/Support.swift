import DialogueContracts
import Foundation
import Gateway
import Identity
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Messaging
import ModerationWorker
import NIOCore
import NotificationWorker
import PetitionsService
import PostgresNIO
import Prometheus
import ServiceKit
import ServiceLifecycle
import SurveyService
import ConsultationService
import TestSupport

/// The gateway with what stands behind it: the petitions and survey services, the notification
/// worker, the gateway's own publisher and RPC client, on one test database and topology.
struct GatewayStack: Sendable {
    let database: TestDatabase
    let topology: MessagingTopology
    let gateway: ServicePlatform
    let petitions: ServicePlatform?
    let surveys: ServicePlatform
    let consultations: ServicePlatform
    let notifications: ServicePlatform
    /// The moderation worker, for the tests of moderation's pages (nil: nobody answers its queue).
    let moderation: ServicePlatform?
    let rpc: RPCClient
    let registry = PrometheusCollectorRegistry()
    let threshold: Int

    /// - Parameters:
    ///   - withPetitionsService: false to leave nobody answering the petitions RPC queue.
    ///   - gatewayBroker: where the gateway's publisher connects (the RPC client always uses the test broker).
    ///   - withModerationWorker: true to run the moderation worker too.
    static func make(
        threshold: Int = 1_000, withPetitionsService: Bool = true, gatewayBroker: AMQPSettings = TestEnvironment.amqp,
        withModerationWorker: Bool = false
    ) async throws -> GatewayStack {
        let database = try await TestDatabase.make()
        let topology = TestEnvironment.isolatedTopology()
        try await migrate(.petitions, directory: PetitionsService.migrationsDirectory, on: database)
        try await migrate(.notifications, directory: NotificationWorker.migrationsDirectory, on: database)
        try await migrate(.surveys, directory: SurveyService.migrationsDirectory, on: database)
        try await migrate(.consultations, directory: ConsultationService.migrationsDirectory, on: database)
        try await migrate(.gateway, directory: Gateway.migrationsDirectory, on: database)
        if withModerationWorker { try await migrate(.moderation, directory: ModerationWorker.migrationsDirectory, on: database) }
        let gateway = ServicePlatform(
            settings: ServiceSettings(
                service: .gateway, database: database.settings(for: .gateway), amqp: gatewayBroker, topology: topology, httpPort: 0
            ),
            endpoints: Gateway.endpoints,
            logger: TestEnvironment.logger
        )
        let rpc = RPCClient(settings: TestEnvironment.amqp, topology: topology, name: "gateway-rpc", logger: TestEnvironment.logger)
        // As `Gateway.services` does.
        gateway.readiness.register("rpc client") { rpc.isConnected }
        return GatewayStack(
            database: database, topology: topology, gateway: gateway,
            petitions: withPetitionsService ? ServicePlatform.forTest(.petitions, database: database, topology: topology) : nil,
            surveys: ServicePlatform.forTest(.surveys, database: database, topology: topology),
            consultations: ServicePlatform.forTest(.consultations, database: database, topology: topology),
            notifications: ServicePlatform.forTest(.notifications, database: database, topology: topology),
            moderation: withModerationWorker ? ServicePlatform.forTest(.moderation, database: database, topology: topology) : nil,
            rpc: rpc, threshold: threshold
        )
    }

    /// Everything but the HTTP application, which `app.test` runs itself.
    private func services(gatewayPublisher: Bool) throws -> [any Service] {
        var services: [any Service] = [gateway.database, rpc] + (gatewayPublisher ? [gateway.publisher] : [])
        // The gateway's copy of the staff actions the services record.
        services += Gateway.consumers(on: gateway)
        if let petitions {
            services += [petitions.database, petitions.publisher, petitions.outboxRelay()]
            services += PetitionsService.parts(on: petitions, rules: PetitionRules(threshold: threshold))
        }
        services += [surveys.database, surveys.publisher, surveys.outboxRelay()] + SurveyService.parts(on: surveys)
        services += [consultations.database, consultations.publisher, consultations.outboxRelay()] + ConsultationService.parts(on: consultations)
        services += [notifications.database, notifications.publisher, notifications.outboxRelay()]
        services += notificationWorkerParts(on: notifications)
        if let moderation {
            // Queue alerts never fire on their own here.
            services += [moderation.database, moderation.publisher, moderation.outboxRelay()]
            services += ModerationWorker.parts(
                on: moderation, alerts: QueueAlertSettings(count: 100_000, ageMinutes: 43_200, reminderMinutes: 43_200), alertInterval: .seconds(3600)
            )
        }
        return services
    }

    /// Runs the stack and a live gateway, then `body` with an HTTP client and a database probe.
    ///
    /// - Parameters:
    ///   - waitForGateway: false when the gateway is not expected to become ready.
    ///   - gatewayPublisher: false to leave the gateway's publisher never started (never connected).
    ///   - asStaff: true to send every request with the bearer token of a staff account
    ///     (administrator and staff), as an API client of the assembly would.
    func run(
        settings: GatewaySettings = GatewaySettings(petitionCacheTTL: .zero, bcryptCost: 4), waitForGateway: Bool = true,
        gatewayPublisher: Bool = true, asStaff: Bool = true,
        _ body: @escaping @Sendable (any TestClientProtocol, Probe) async throws -> Void
    ) async throws {
        let application = try Gateway.buildApplication(
            platform: gateway, rpc: rpc, settings: settings,
            operations: OperationsEndpoints(readiness: gateway.readiness, registry: registry)
        )
        let backends = [petitions, surveys, consultations, notifications, moderation].compactMap { $0 } + (waitForGateway ? [gateway] : [])
        try await withRunningServices(try services(gatewayPublisher: gatewayPublisher)) {
            try await eventually(timeout: .seconds(20), "services ready") {
                for platform in backends where !(await platform.readiness.failing().isEmpty) { return false }
                return rpc.isConnected
            }
            let token = asStaff ? try await issueStaffToken(roles: [.administrator, .staff]) : nil
            try await Probe.on(database) { probe in
                try await application.test(.live) { client in
                    try await body(token.map { BearerClient(base: client, token: $0) } ?? client, probe)
                }
            }
        }
        await deleteQueues()
    }

    /// Creates a staff account with `roles` and returns a bearer token for it.
    func issueStaffToken(roles: Set<StaffRole>, email: String = "equipe-\(UUID().uuidString.prefix(8))@ceser.example") async throws -> String {
        let accounts = AccountStore(client: gateway.database, logger: TestEnvironment.logger)
        let account = try await accounts.upsertStaff(email: email, displayName: nil, roles: roles, passwordHash: "unused")
        return try await APITokenStore(client: gateway.database, logger: TestEnvironment.logger).issue(to: account, label: "tests", lifetimeDays: 1)
    }

    /// Removes this stack's queues from the shared development broker (best effort).
    func deleteQueues() async {
        await TestSupport.deleteQueues(of: topology, services: [.petitions, .surveys, .consultations, .notifications, .gateway] + (moderation == nil ? [] : [.moderation]))
    }
}


// MARK: - HTTP helpers

/// The API's error format.
struct ErrorBody: Decodable, Equatable {
    struct Detail: Decodable, Equatable {
        let code: String
        let message: String
        let field: String?
    }
    let error: Detail
}

struct AcceptedBody: Decodable {
    let status: String
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func decode<Value: Decodable>(_: Value.Type) throws -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Value.self, from: Data(text.utf8))
    }

    /// The `{"error": ...}` body, or nil when the body is not in that format.
    var apiError: ErrorBody.Detail? { (try? decode(ErrorBody.self))?.error }

    var isJSON: Bool { headers[.contentType]?.hasPrefix("application/json") == true }
}

extension TestClientProtocol {
    func get(_ uri: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .get)
    }

    func post(_ uri: String, json: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: json))
    }

    func post(_ uri: String, _ value: [String: String]) async throws -> TestResponse {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        return try await post(uri, json: String(decoding: data, as: UTF8.self))
    }

    /// Creates a petition through the API and returns it.
    func createPetition(title: String = "Plus de TER entre Lille et Amiens") async throws -> PetitionView {
        let response = try await post("/api/v1/petitions", ["title": title, "text": "Nous demandons davantage de trains régionaux.", "reasons": "Les trains sont bondés aux heures de pointe."])
        guard response.status == .created else { throw UnexpectedResponse(response: response) }
        return try response.decode(PetitionView.self)
    }

    /// The same client without the staff token: a visitor without an account.
    var anonymous: any TestClientProtocol { (self as? BearerClient)?.base ?? self }

    /// Signs as a visitor without an account (a staff token is left out: a signed-in
    /// citizen would sign under their own address), consent given.
    func sign(_ petition: UUID, email: String, name: String = "Camille Martin", postcode: String = "59000") async throws -> TestResponse {
        if let bearer = self as? BearerClient { return try await bearer.base.sign(petition, email: email, name: name, postcode: postcode) }
        let body: [String: Any] = ["name": name, "email": email, "postcode": postcode, "consent": true]
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        return try await post("/api/v1/petitions/\(petition.uuidString.lowercased())/signatures", json: String(decoding: data, as: UTF8.self))
    }

    /// Presses the button of a mailed confirmation link, through the API.
    func confirmSignature(_ token: String) async throws -> TestResponse {
        try await post("/api/v1/petitions/signatures/confirmation", ["token": token])
    }

    /// Signs as a visitor and confirms with the link mailed to `email`.
    func signAndConfirm(_ petition: UUID, email: String, name: String = "Camille Martin", postcode: String = "59000", probe: Probe) async throws {
        let signed = try await sign(petition, email: email, name: name, postcode: postcode)
        guard signed.status == .accepted else { throw UnexpectedResponse(response: signed) }
        let token = try await probe.signatureToken(to: email)
        let confirmed = try await confirmSignature(token)
        guard confirmed.status == .accepted else { throw UnexpectedResponse(response: confirmed) }
    }

    func petition(_ id: UUID) async throws -> PetitionView {
        let response = try await get("/api/v1/petitions/\(id.uuidString.lowercased())")
        guard response.status == .ok else { throw UnexpectedResponse(response: response) }
        return try response.decode(PetitionView.self)
    }
}

/// A client that sends a bearer token with every request that does not name its own authorization.
struct BearerClient: TestClientProtocol {
    let base: any TestClientProtocol
    let token: String

    var port: Int? { base.port }

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        if headers[.authorization] == nil { headers[.authorization] = "Bearer \(token)" }
        return try await base.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }
}

struct UnexpectedResponse: Error, CustomStringConvertible {
    let response: TestResponse
    var description: String { "unexpected response \(response.status): \(response.text)" }
}

// MARK: - Identity and security tests

extension GatewayStack {
    /// As `run`, with no bearer token on any request unless it names one, and `catalog`
    /// filled with every route the gateway declares (and who may use it).
    func run(
        settings: GatewaySettings, catalog: RouteCatalog,
        _ body: @escaping @Sendable (any TestClientProtocol, Probe) async throws -> Void
    ) async throws {
        let application = try Gateway.buildApplication(
            platform: gateway, rpc: rpc, settings: settings,
            operations: OperationsEndpoints(readiness: gateway.readiness, registry: registry), catalog: catalog
        )
        let backends = [petitions, surveys, consultations, notifications, gateway].compactMap { $0 }
        try await withRunningServices(try services(gatewayPublisher: true)) {
            try await eventually(timeout: .seconds(20), "services ready") {
                for platform in backends where !(await platform.readiness.failing().isEmpty) { return false }
                return rpc.isConnected
            }
            try await Probe.on(database) { probe in
                try await application.test(.live) { client in try await body(client, probe) }
            }
        }
        await deleteQueues()
    }
}
