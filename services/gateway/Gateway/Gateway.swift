public import DialogueContracts
public import Foundation
public import Hummingbird
import Logging
import Identity
public import Messaging
public import ServiceKit
public import ServiceLifecycle

/// The only HTTP edge: the French site, the staff back-office and the JSON API.
/// Owns schema `identity` (accounts, sessions, tokens, audit log); reaches every other service over AMQP.
public enum Gateway: DialogueService {
    public static let name = ServiceName.gateway
    /// The operations listener's port; the site's is `HTTP_PORT` (8080).
    public static let defaultPort = 8180
    public static var migrationsDirectory: URL? { IdentitySchema.migrationsDirectory }
    /// The only part that sends commands and requests to the services.
    public static var sends: BrokerSends { BrokerSends(commands: true, requests: true) }

    public static func services(on platform: ServicePlatform, settings: GatewaySettings, operations: OperationsEndpoints) throws -> [any Service] {
        let rpc = RPCClient(settings: platform.settings.amqp, topology: platform.topology, name: "gateway-rpc", logger: platform.logger)
        platform.readiness.register("rpc client") { rpc.isConnected }
        let application = try buildApplication(platform: platform, rpc: rpc, settings: settings, operations: operations)
        let sessions = SessionStore(
            client: platform.database, logger: platform.logger,
            idleTimeout: settings.sessionIdleTimeout, maximumAge: settings.sessionMaximumAge
        )
        // Idempotent: replicas may run it side by side.
        let sessionCleanup = PeriodicJob(name: "expired sessions cleanup", interval: .seconds(3600), logger: platform.logger) {
            try await sessions.deleteExpired()
        }
        return consumers(on: platform) + [rpc, sessionCleanup, application]
    }

    /// The consumers of the gateway's events, for the runner and for tests.
    public static func consumers(on platform: ServicePlatform) -> [any Service] {
        platform.consumers(serving: routes, with: Parts(logger: platform.logger))
    }

    public static var routes: ServiceRoutes<Parts> {
        var routes = ServiceRoutes<Parts>()
        // The staff actions other services recorded in their own transaction: the audit page lists them with the gateway's own.
        routes.events.on(StaffActionRecorded.self) { parts, event, connection in
            try await AuditLog.copy(event, on: connection, logger: parts.logger)
        }
        return routes
    }

    /// What the gateway's event handlers work with.
    public struct Parts: Sendable {
        let logger: Logger
    }

    /// The features of the site, in the order their routes are added.
    static let features: [any GatewayFeature.Type] = [
        SiteFeature.self, IdentityFeature.self, ModerationFeature.self, NotificationsFeature.self, PetitionsFeature.self, SurveysFeature.self, SynthesisFeature.self, ConsultationsFeature.self, ForumsFeature.self,
        ProcessesFeature.self,
    ]

    /// The HTTP application, separate from the runner so tests drive it directly. It serves the
    /// site and the API only: the operations endpoints answer on the runner's operations listener.
    /// - Parameters:
    ///   - operations: the endpoints of the operations listener, recorded in the catalogue only.
    ///   - catalog: filled with every declared route and who may use it, the operations endpoints
    ///     included (on their own listener).
    public static func buildApplication(
        platform: ServicePlatform, rpc: RPCClient, settings: GatewaySettings, operations: OperationsEndpoints,
        catalog: RouteCatalog = RouteCatalog()
    ) throws -> some ApplicationProtocol {
        let notices = NoticeBook(features.flatMap { $0.notices })
        let web = try WebDependencies(platform: platform, rpc: rpc, settings: settings, notices: notices)
        // HEAD is served wherever GET is, as HTTP requires of every general-purpose server.
        let router = Router(context: WebContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: ResponseMetricsMiddleware())
        router.add(middleware: TraceMiddleware(logger: platform.logger))
        router.add(middleware: SecurityHeadersMiddleware(https: settings.secureCookies))
        router.add(middleware: CanonicalPathMiddleware())
        router.add(middleware: VisitorMiddleware(
            sessions: web.sessions, apiTokens: web.apiTokens, cookies: web.cookies, proxies: settings.trustedProxies, logger: platform.logger
        ))
        router.add(middleware: ErrorPresentationMiddleware(renderer: web.renderer, logger: platform.logger))
        router.add(middleware: MethodNotAllowedMiddleware(catalog: catalog))
        router.add(middleware: NullCharacterQueryMiddleware())
        for path in operations.paths {
            catalog.add(DeclaredRoute(method: .get, path: path, access: .everyone, listener: .operations))
        }
        StaticAssets.register(on: router)

        let api = SecuredRoutes(group: router.group("api/v1"), prefix: "/api/v1", catalog: catalog)
        OpenAPIDocument.register(on: api)
        let pages = SecuredRoutes(
            group: router.group().add(middleware: FormMiddleware(csrfKey: web.csrfKey, bodyLimit: settings.bodyLimit)),
            prefix: "", catalog: catalog
        )
        // The routes whose forms take a file: the same pages, with the multipart reader and a larger body.
        let uploads = SecuredRoutes(
            group: router.group().add(middleware: FormMiddleware(csrfKey: web.csrfKey, bodyLimit: settings.bodyLimit, uploads: MultipartLimits())),
            prefix: "", catalog: catalog
        )
        let routes = FeatureRoutes(pages: pages, admin: pages.group("admin"), api: api, uploads: uploads)
        for feature in features {
            feature.register(web: web, on: routes)
        }

        return Application(
            router: router,
            configuration: .init(address: .hostname(platform.settings.httpHost, port: platform.settings.httpPort), serverName: "dialogue"),
            logger: platform.logger
        )
    }
}

/// Read by the runner with the common settings (`GatewaySettings.init(reader:)`).
extension GatewaySettings: ServiceSpecificSettings {}
