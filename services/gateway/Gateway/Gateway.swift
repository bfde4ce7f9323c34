public import DialogueContracts
public import Foundation
public import Hummingbird
public import Messaging
public import ServiceKit
public import ServiceLifecycle

/// The only HTTP edge: the JSON API (and, later, the French site and back-office).
/// Owns schema `identity`; reaches every other service over AMQP.
public enum Gateway: DialogueService {
    public static let name = ServiceName.gateway
    public static let defaultPort = 8080
    public static let migrationsDirectory: URL? = nil
    public static var servesHTTP: Bool { true }

    public static func services(on platform: ServicePlatform, operations: OperationsEndpoints) throws -> [any Service] {
        var reader = SettingsReader(environment: ProcessInfo.processInfo.environment)
        let settings = GatewaySettings(reader: &reader)
        try reader.validate()
        let rpc = RPCClient(settings: platform.settings.amqp, topology: platform.topology, name: "gateway-rpc", logger: platform.logger)
        platform.readiness.register("rpc client") { rpc.isConnected }
        let application = buildApplication(platform: platform, rpc: rpc, settings: settings, operations: operations)
        return [rpc, application]
    }

    /// The HTTP application, separate from the runner so tests drive it directly.
    public static func buildApplication(
        platform: ServicePlatform, rpc: RPCClient, settings: GatewaySettings, operations: OperationsEndpoints
    ) -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware(logger: platform.logger))
        operations.register(on: router)
        let petitions = PetitionsAPI(
            rpc: rpc,
            commands: CommandSender(publisher: platform.publisher, topology: platform.topology),
            cache: PetitionCache(timeToLive: settings.petitionCacheTTL),
            settings: settings
        )
        petitions.register(on: router.group("api/v1/petitions"))
        return Application(
            router: router,
            configuration: .init(address: .hostname(platform.settings.httpHost, port: platform.settings.httpPort), serverName: "dialogue"),
            logger: platform.logger
        )
    }
}

/// Settings of the HTTP edge.
public struct GatewaySettings: Sendable {
    /// Largest request body accepted, in bytes; more gets 413.
    public var bodyLimit: Int
    /// How long a petition read is served from memory: refreshes by thousands never reach the service.
    public var petitionCacheTTL: Duration
    /// Longest wait for a service's answer before 503.
    public var rpcTimeout: Duration

    public init(bodyLimit: Int = 64 * 1024, petitionCacheTTL: Duration = .seconds(2), rpcTimeout: Duration = .seconds(5)) {
        self.bodyLimit = bodyLimit
        self.petitionCacheTTL = petitionCacheTTL
        self.rpcTimeout = rpcTimeout
    }

    /// Reads `HTTP_BODY_LIMIT`, `PETITION_CACHE_TTL_MS` and `RPC_TIMEOUT_MS`.
    public init(reader: inout SettingsReader) {
        self.init(
            bodyLimit: reader.integer("HTTP_BODY_LIMIT", default: 64 * 1024, in: 1024...(10 * 1024 * 1024)),
            petitionCacheTTL: .milliseconds(reader.integer("PETITION_CACHE_TTL_MS", default: 2000, in: 0...60_000)),
            rpcTimeout: .milliseconds(reader.integer("RPC_TIMEOUT_MS", default: 5000, in: 100...60_000))
        )
    }
}
