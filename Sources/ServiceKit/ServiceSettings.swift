public import DialogueContracts
public import Logging
public import Messaging
public import Storage

/// What every service reads from its environment.
public struct ServiceSettings: Sendable {
    public var service: ServiceName
    public var database: DatabaseSettings
    public var amqp: AMQPSettings
    public var topology: MessagingTopology
    /// Where the gateway's site and API listen (`HTTP_HOST`, `HTTP_PORT`); services without a site ignore them.
    public var httpHost: String
    public var httpPort: Int
    /// Where `/healthz`, `/readyz` and `/metrics` listen (`OPERATIONS_HOST`, `OPERATIONS_PORT`), every
    /// service alike: a listener of its own, never the public site's, so that only the orchestrator and
    /// the metrics scraper reach them.
    public var operationsHost: String
    public var operationsPort: Int
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    /// Messages a consumer holds unacknowledged at once.
    public var prefetch: Int
    /// Messages handled in one database transaction.
    public var batchSize: Int

    public init(
        service: ServiceName, database: DatabaseSettings, amqp: AMQPSettings, topology: MessagingTopology = MessagingTopology(),
        httpHost: String = "127.0.0.1", httpPort: Int, operationsHost: String = "127.0.0.1", operationsPort: Int = 0, logLevel: Logger.Level = .info, logFormat: LogFormat = .json,
        prefetch: Int = 300, batchSize: Int = 200
    ) {
        self.service = service
        self.database = database
        self.amqp = amqp
        self.topology = topology
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.operationsHost = operationsHost
        self.operationsPort = operationsPort
        self.logLevel = logLevel
        self.logFormat = logFormat
        self.prefetch = prefetch
        self.batchSize = batchSize
    }

    /// Reads the common settings alone (see `read(service:defaultPort:from:)`); throws naming every problem.
    public init(service: ServiceName, defaultPort: Int, environment: [String: String]) throws(ConfigurationError) {
        var reader = SettingsReader(environment: environment)
        let settings = Self.read(service: service, defaultPort: defaultPort, from: &reader)
        try reader.validate()
        guard let settings else { throw ConfigurationError(problems: ["the settings could not be read"]) }
        self = settings
    }

    /// The port of the gateway's site and API unless `HTTP_PORT` says otherwise.
    public static let defaultHTTPPort = 8080

    /// Reads `DATABASE_URL`, `AMQP_URL`, `HTTP_HOST`, `HTTP_PORT`, `OPERATIONS_HOST`, `OPERATIONS_PORT`
    /// (default `defaultPort`, the service's own), `LOG_LEVEL`, `LOG_FORMAT`, `DATABASE_POOL_SIZE`,
    /// `AMQP_PREFETCH`, `BATCH_SIZE` and `DELIVERY_LIMIT`, recording every problem in `reader` (so a
    /// service's own settings can be read in the same pass); nil when a problem leaves nothing usable.
    public static func read(service: ServiceName, defaultPort: Int, from reader: inout SettingsReader) -> ServiceSettings? {
        let databaseURL = reader.required("DATABASE_URL", secret: true)
        let amqpURL = reader.required("AMQP_URL", secret: true)
        let poolSize = reader.integer("DATABASE_POOL_SIZE", default: 20, in: 1...500)
        let database = reader.parse("DATABASE_URL", databaseURL) { try DatabaseSettings(url: $0, maximumConnections: poolSize) }
        // An unusable TLS file is named now, with the other problems, rather than found by a
        // connection that would otherwise retry it forever.
        let amqp = reader.parse("AMQP_URL", amqpURL) { url in
            let settings = try AMQPSettings(url: url)
            try settings.checkTLSFiles()
            return settings
        }
        let host = reader.optional("HTTP_HOST", default: "127.0.0.1")
        let port = reader.integer("HTTP_PORT", default: defaultHTTPPort, in: 1...65535)
        let operationsHost = reader.optional("OPERATIONS_HOST", default: "127.0.0.1")
        let operationsPort = reader.integer("OPERATIONS_PORT", default: defaultPort, in: 1...65535)
        let level = reader.choice("LOG_LEVEL", default: Logger.Level.info)
        let format = reader.choice("LOG_FORMAT", default: LogFormat.json)
        let prefetch = reader.integer("AMQP_PREFETCH", default: 300, in: 1...10_000)
        let batchSize = reader.integer("BATCH_SIZE", default: 200, in: 1...5_000)
        let deliveryLimit = reader.integer("DELIVERY_LIMIT", default: 10, in: 1...100)
        guard let database, let amqp else { return nil }
        return ServiceSettings(
            service: service, database: database, amqp: amqp, topology: MessagingTopology(deliveryLimit: deliveryLimit),
            httpHost: host, httpPort: port, operationsHost: operationsHost, operationsPort: operationsPort, logLevel: level, logFormat: format, prefetch: prefetch, batchSize: batchSize
        )
    }
}

/// The settings a service reads beyond the common ones, in the same pass as them, so that
/// every missing or invalid variable is named at once, before the database is touched.
public protocol ServiceSpecificSettings: Sendable {
    /// Reads the settings, recording each problem in `reader` rather than stopping at the first.
    init(reader: inout SettingsReader)
}

/// The specific settings of a service that reads only the common ones.
public struct NoSettings: ServiceSpecificSettings {
    public init() {}
    public init(reader: inout SettingsReader) {}
}
