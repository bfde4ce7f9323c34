public import DialogueContracts
public import Foundation
public import Logging
public import Messaging
public import PostgresNIO
public import ServiceLifecycle
public import Storage

/// The shared parts a service is built from: its database, its publisher, its outbox relay,
/// and factories for its consumers. Tests build one directly against their own database
/// and topology; executables get one from `ServiceRunner`.
public struct ServicePlatform: Sendable {
    public let settings: ServiceSettings
    public let logger: Logger
    public let database: PostgresClient
    public let publisher: AMQPPublisher
    public let readiness: ReadinessChecks
    /// The queues the service consumes, as its routes declare them.
    public let endpoints: ServiceEndpoints

    public init(settings: ServiceSettings, endpoints: ServiceEndpoints, logger: Logger, readiness: ReadinessChecks = ReadinessChecks()) {
        self.settings = settings
        self.endpoints = endpoints
        self.logger = logger
        self.database = settings.database.makeClient(searchPath: settings.service.schema, logger: logger)
        self.publisher = AMQPPublisher(
            settings: settings.amqp, name: "\(settings.service.rawValue)-publisher",
            declarations: settings.topology.declarations(for: endpoints),
            logger: logger
        )
        self.readiness = readiness
        readiness.register("database") { [database] in
            (try? await database.query("SELECT 1", logger: logger)) != nil
        }
        readiness.register("broker") { [publisher] in publisher.isConnected }
    }

    public var topology: MessagingTopology { settings.topology }

    /// The relay that publishes this service's outbox.
    public func outboxRelay() -> OutboxRelay {
        OutboxRelay(client: database, publisher: publisher, topology: topology, schema: settings.service.schema, logger: logger)
    }

    /// The job that trims this service's published outbox rows and old inbox rows.
    public func retentionJob() -> PeriodicJob {
        let job = RetentionJob(client: database, schema: settings.service.schema, logger: logger)
        return PeriodicJob(name: "retention pass", interval: .seconds(3600), logger: logger) { try await job.runOnce() }
    }

    /// A consumer of one of this service's queues (declaring them on connect, so the
    /// service starts even on a broker nobody has prepared).
    public func consumer(of queue: ServiceQueue, handler: some MessageBatchHandler, retry: RetryPolicy? = nil) -> AMQPConsumer {
        let name: String = switch queue {
        case .events: topology.eventsQueue(endpoints.name)
        case .commands: topology.commandsQueue(endpoints.name)
        case .rpc: topology.rpcQueue(endpoints.name)
        }
        let consumer = AMQPConsumer(
            settings: settings.amqp, queue: name, deadLetterExchange: topology.deadLetterExchange,
            declarations: topology.declarations(for: endpoints),
            prefetch: settings.prefetch, batchSize: settings.batchSize,
            retry: retry ?? RetryPolicy(deliveryLimit: topology.deliveryLimit),
            handler: handler, logger: logger
        )
        readiness.register("consumer \(name)") { consumer.isConnected }
        return consumer
    }

    /// Applies the schema's migrations (platform tables, then the service's own files).
    public func migrate(directory: URL?) async throws {
        let migrations = try SchemaMigrations(schema: settings.service.schema, directory: directory)
        try await Migrator(client: database, logger: logger).migrate(migrations)
    }
}

/// The three kinds of queue a service may consume.
public enum ServiceQueue: Sendable {
    case events
    case commands
    case rpc
}

/// A deployable service: its name, migrations, the messages it handles and the long-running parts it adds.
public protocol DialogueService {
    /// What the service's message handlers work with (its stores, settings, logger).
    associatedtype Parts: Sendable = NoParts
    /// The settings the service reads beyond the common ones.
    associatedtype Settings: ServiceSpecificSettings = NoSettings
    static var name: ServiceName { get }
    /// The port of the service's operations endpoints unless `OPERATIONS_PORT` says otherwise.
    static var defaultPort: Int { get }
    /// The service's `Migrations` resource folder.
    static var migrationsDirectory: URL? { get }
    /// Every message the service handles: its queues and their bindings derive from these.
    static var routes: ServiceRoutes<Parts> { get }
    /// What it sends beyond its events (commands, requests): with its queues, its broker user's permissions derive from it.
    static var sends: BrokerSends { get }
    /// The service's own parts, started after the database, the publisher and the outbox relay.
    static func services(on platform: ServicePlatform, settings: Settings, operations: OperationsEndpoints) throws -> [any Service]
}

extension DialogueService {
    /// Most services only publish events.
    public static var sends: BrokerSends { BrokerSends() }

    /// The queues the service consumes and what its events queue is bound to, read from its routes.
    public static var endpoints: ServiceEndpoints { routes.endpoints(of: name) }
}

extension DialogueService where Parts == NoParts {
    /// A service that handles no message consumes no queue.
    public static var routes: ServiceRoutes<NoParts> { ServiceRoutes() }
}

/// The parts of a service whose handlers need none (or that has no handlers).
public struct NoParts: Sendable {
    public init() {}
}
